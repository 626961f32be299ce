import Foundation
import Imaging
import Testing

/// Test fixtures written by `Tests/Fixtures/imaging/generate.py` (Pillow / numpy / scipy).
enum Fixtures {
    static let testsDirectory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url
    }()
    static let directory = testsDirectory.appendingPathComponent("Fixtures/imaging")
    static let samplesDirectory = testsDirectory.deletingLastPathComponent().appendingPathComponent("Samples")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    static func input(_ entry: Manifest.Pipeline) throws -> [UInt8] {
        try entry.sample.map { try sample($0) } ?? (try bytes(entry.file!))
    }

    static func sample(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: samplesDirectory.appendingPathComponent(name)))
    }

    static let manifest: Manifest = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data)
    }()

    struct Manifest: Decodable {
        struct Pipeline: Decodable, CustomTestStringConvertible {
            /// A photo in Samples/, or a fixture file.
            let sample: String?
            let file: String?
            let expected: String
            let pillowDraft: Bool
            let decodedSize: [Int]
            let resizedSize: [Int]
            var testDescription: String { expected }
        }
        struct PNG: Decodable, CustomTestStringConvertible {
            let name: String
            let file: String
            let expected: String
            let width: Int
            let height: Int
            let sixteenBit: Bool
            var testDescription: String { name }
        }
        struct Exif: Decodable, CustomTestStringConvertible {
            let file: String
            let expected: String
            let orientation: Int?
            let width: Int
            let height: Int
            var testDescription: String { file }
        }
        struct DCT: Decodable {
            struct Case: Decodable {
                let minimumShortSide: Int?
                let width: Int
                let height: Int
                let gridStep: Int
                let grid: String
            }
            let file: String
            let cases: [Case]
        }
        struct Bad: Decodable, CustomTestStringConvertible {
            let file: String
            let code: String
            var testDescription: String { file }
        }
        struct Quality: Decodable, CustomTestStringConvertible {
            let sample: String?
            let file: String?
            let blurScore: Double
            let meanLuma: Double
            let underexposedFraction: Double
            let overexposedFraction: Double
            var testDescription: String { sample ?? file ?? "?" }
        }
        let pipeline: [Pipeline]
        let png: [PNG]
        let exif: [Exif]
        let exifMalformed: [Exif]
        let tolerated: [Exif]
        let dct: [DCT]
        let bad: [Bad]
        let quality: [Quality]
    }
}

/// Mean and maximum absolute difference between two byte arrays of equal length.
func differences(_ a: [UInt8], _ b: [UInt8]) -> (mean: Double, max: Int) {
    precondition(a.count == b.count)
    var sum = 0
    var largest = 0
    for i in a.indices {
        let d = abs(Int(a[i]) - Int(b[i]))
        sum += d
        largest = max(largest, d)
    }
    return (Double(sum) / Double(max(a.count, 1)), largest)
}
