/// The marker segments of a JPEG file's header, found by a bounds-checked walk from SOI up to
/// and including the first SOS (start of scan). Malformed structure ends the walk early; it
/// never traps.
struct JPEGSegments {
    struct Segment {
        /// The marker's second byte (e.g. `0xE1` for APP1).
        let marker: UInt8
        /// The payload after the two length bytes, as indices into the file's bytes.
        let payload: Range<Int>
    }

    static let startOfScan: UInt8 = 0xDA
    static let app1: UInt8 = 0xE1

    private(set) var segments: [Segment] = []
    /// The offset of the first SOS marker's `FF` byte, if the walk reached it.
    private(set) var startOfScanOffset: Int?

    init(_ bytes: [UInt8]) {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return }
        var index = 2
        while index < bytes.count {
            // Like libjpeg, skip stray bytes before a marker (it warns and goes on).
            while index < bytes.count, bytes[index] != 0xFF { index += 1 }
            let markerStart = index
            while index < bytes.count, bytes[index] == 0xFF { index += 1 }  // fill bytes
            guard index < bytes.count else { return }
            let marker = bytes[index]
            index += 1
            switch marker {
            case 0x00, 0x01, 0xD0...0xD8: continue  // stuffed zero and standalone markers: no length
            case 0xD9: return  // EOI before any scan
            default: break
            }
            guard index + 2 <= bytes.count else { return }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            guard length >= 2, index + length <= bytes.count else { return }
            segments.append(Segment(marker: marker, payload: (index + 2)..<(index + length)))
            if marker == Self.startOfScan {
                startOfScanOffset = markerStart
                return
            }
            index += length
        }
    }

    /// Whether an EOI marker (`FF D9`) follows the first scan. Inside entropy-coded data an
    /// `FF` byte is always followed by `00` or a restart marker, so an `FF D9` after the
    /// first SOS can only be the end of the image; a file without one was cut short. (An
    /// EXIF thumbnail's own EOI lies before the first SOS and does not count.)
    static func hasEndOfImage(_ bytes: [UInt8], after startOfScanOffset: Int) -> Bool {
        var index = bytes.count - 1
        while index > startOfScanOffset {
            if bytes[index] == 0xD9, bytes[index - 1] == 0xFF { return true }
            index -= 1
        }
        return false
    }
}
