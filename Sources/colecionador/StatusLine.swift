import Foundation

/// A line on standard error that rewrites itself in place (`\r`), for progress whose end is
/// not known in advance — training stops early — so that `ProgressBar` cannot draw it.
struct StatusLine {
    private var width = 0

    /// Replaces the line with `text` (padded to blank out a longer previous text).
    mutating func show(_ text: String) {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        width = text.count
        FileHandle.standardError.write(Data(("\r" + text + padding).utf8))
    }

    /// Ends the line, leaving its last text on screen.
    mutating func finish() {
        guard width > 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        width = 0
    }
}
