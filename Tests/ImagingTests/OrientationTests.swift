import Imaging
import Testing

/// (c) EXIF orientation: decoding applies the transform Pillow's `ImageOps.exif_transpose`
/// applies; malformed EXIF blocks are ignored (the stored pixels come back unchanged).
@Suite struct OrientationTests {
    /// Both decoders are libjpeg-turbo with the same settings, so pixels must be identical.
    @Test(arguments: Fixtures.manifest.exif)
    func matchesExifTranspose(_ entry: Fixtures.Manifest.Exif) throws {
        let bytes = try Fixtures.bytes(entry.file)
        #expect(ExifOrientation(jpeg: bytes)?.rawValue == entry.orientation.map(UInt16.init))
        let image = try Image(decoding: bytes)
        #expect(image.width == entry.width && image.height == entry.height)
        #expect(image.pixels == (try Fixtures.bytes(entry.expected)))
    }

    @Test(arguments: Fixtures.manifest.exifMalformed)
    func ignoresMalformedExif(_ entry: Fixtures.Manifest.Exif) throws {
        let bytes = try Fixtures.bytes(entry.file)
        #expect(ExifOrientation(jpeg: bytes) == nil)
        let image = try Image(decoding: bytes)
        #expect(image.width == entry.width && image.height == entry.height)
        #expect(image.pixels == (try Fixtures.bytes(entry.expected)))
    }

    /// Every prefix of an EXIF-bearing JPEG header parses without trapping.
    @Test func everyTruncationOfTheHeaderIsSafe() throws {
        let bytes = try Fixtures.bytes("exif/orientation_6.jpg")
        for length in 0..<300 {
            let orientation = ExifOrientation(jpeg: Array(bytes.prefix(length)))
            #expect(orientation == nil || orientation == .rightTop)
        }
    }

    /// Hand-checkable: a 3×2 image under each orientation, against the definition in the
    /// EXIF specification (where the stored row 0 / column 0 belong in the upright picture).
    @Test func smallImageTransforms() {
        // Stored pixels, labelled by their value in channel R: 1 2 3 / 4 5 6.
        let stored = Image(width: 3, height: 2, pixels: (1...6).flatMap { [UInt8($0), 0, 0] })
        let expected: [ExifOrientation: (Int, Int, [UInt8])] = [
            .topLeft: (3, 2, [1, 2, 3, 4, 5, 6]),
            .topRight: (3, 2, [3, 2, 1, 6, 5, 4]),
            .bottomRight: (3, 2, [6, 5, 4, 3, 2, 1]),
            .bottomLeft: (3, 2, [4, 5, 6, 1, 2, 3]),
            .leftTop: (2, 3, [1, 4, 2, 5, 3, 6]),
            .rightTop: (2, 3, [4, 1, 5, 2, 6, 3]),
            .rightBottom: (2, 3, [6, 3, 5, 2, 4, 1]),
            .leftBottom: (2, 3, [3, 6, 2, 5, 1, 4]),
        ]
        for orientation in ExifOrientation.allCases {
            let (width, height, red) = expected[orientation]!
            let upright = stored.oriented(orientation)
            #expect(upright.width == width && upright.height == height, "\(orientation)")
            #expect(stride(from: 0, to: upright.pixels.count, by: 3).map { upright.pixels[$0] } == red, "\(orientation)")
        }
    }
}
