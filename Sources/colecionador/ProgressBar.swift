import Foundation

/// A one-line progress bar on standard error: `[#####.....] 120/500  34.5 photos/s`.
struct ProgressBar {
    let total: Int
    private let start = Date()
    private(set) var done = 0

    init(total: Int) { self.total = total }

    mutating func advance(by count: Int = 1) {
        done += count
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-6)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)  \(String(format: "%.1f", rate)) photos/s".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
