import Foundation

/// A `multipart/form-data` body (RFC 7578, syntax of RFC 2046 §5.1.1) split into its parts, in
/// order, with no HTTP types: the service's upload parsing, kept here so it can be tested and
/// fuzzed on plain bytes.
///
/// Syntax accepted: an optional preamble, then `--boundary` at the start of the body or after a
/// CRLF; each part is header lines (`Name: value`, CRLF-terminated), an empty line, then data up
/// to the next `CRLF--boundary`; the last delimiter is followed by `--` (anything after it is
/// ignored). Each part keeps the `name` and `filename` parameters of its first
/// `Content-Disposition` header and its bytes; other headers are checked for syntax and
/// ignored. The body must already be bounded by the caller's byte limit; at most
/// `maximumParts` parts are accepted, so a body of empty parts cannot multiply its size in
/// memory.
///
/// Written here rather than taken from MultipartKit 4.7: its parser traps on an empty boundary
/// (`precondition`) and on a header-name byte ≥ 0x80 (an out-of-range table index), both
/// reachable by any client — found by `Fuzz/` (`fuzz-upload`).
public struct MultipartForm: Sendable {
    /// One field or file of the form.
    public struct Part: Sendable, Equatable {
        /// `name` of the `Content-Disposition` header, if present.
        public var name: String?
        /// `filename` of the `Content-Disposition` header, if present (files have one).
        public var filename: String?
        public var bytes: [UInt8]

        public init(name: String?, filename: String?, bytes: [UInt8]) {
            self.name = name
            self.filename = filename
            self.bytes = bytes
        }
    }

    /// Why a body is not a usable form.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Code: String, Sendable, CaseIterable {
            /// The boundary is empty or longer than 70 bytes (RFC 2046 allows 1–70).
            case invalidBoundary = "invalid_boundary"
            /// The bytes do not follow the multipart syntax for the boundary.
            case malformedBody = "malformed_body"
            /// More than `maximumParts` parts.
            case tooManyParts = "too_many_parts"
        }

        public let code: Code
        public let message: String

        public init(_ code: Code, _ message: String) {
            self.code = code
            self.message = message
        }

        public var description: String { "\(code.rawValue): \(message)" }
    }

    /// Maximum boundary length (RFC 2046 §5.1.1).
    public static let maximumBoundaryLength = 70
    /// Maximum number of parts in one body.
    public static let maximumParts = 256

    public let parts: [Part]

    /// Splits `body` at `boundary` (without the leading `--`).
    public init(body: [UInt8], boundary: String) throws(ParseError) {
        guard !boundary.isEmpty, boundary.utf8.count <= Self.maximumBoundaryLength else {
            throw ParseError(
                .invalidBoundary,
                "The multipart boundary is \(boundary.utf8.count) bytes long; it must be 1 to "
                    + "\(Self.maximumBoundaryLength) — send the boundary your client wrote into the body.")
        }
        let crlf: [UInt8] = [0x0D, 0x0A]
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = crlf + dashBoundary
        var position: Int
        if body.starts(with: dashBoundary) {
            position = dashBoundary.count
        } else if let first = body.firstRange(of: delimiter) {
            position = first.upperBound
        } else {
            throw Self.malformed("no line starts with --\(boundary)")
        }
        var parts: [Part] = []
        while !body[position...].starts(with: [0x2D, 0x2D]) {  // "--" closes the form
            while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
            guard body[position...].starts(with: crlf) else {
                throw Self.malformed("a boundary line is followed by other bytes than a line break")
            }
            guard parts.count < Self.maximumParts else {
                throw ParseError(.tooManyParts, "The form has more than \(Self.maximumParts) parts; send fewer files or fields.")
            }
            let headersStart = position + 2
            guard let headersEnd = body[headersStart...].starts(with: crlf)
                ? headersStart..<headersStart + 2 : body[headersStart...].firstRange(of: crlf + crlf)
            else {
                throw Self.malformed("a part's headers do not end with an empty line")
            }
            let disposition = try Self.contentDisposition(body[headersStart..<headersEnd.lowerBound])
            guard let next = body[headersEnd.upperBound...].firstRange(of: delimiter) else {
                throw Self.malformed("the body ends before the closing --\(boundary)--")
            }
            parts.append(
                Part(
                    name: disposition.flatMap { Self.parameter("name", in: $0) },
                    filename: disposition.flatMap { Self.parameter("filename", in: $0) },
                    bytes: Array(body[headersEnd.upperBound..<next.lowerBound])))
            position = next.upperBound
        }
        self.parts = parts
    }

    private static func malformed(_ detail: String) -> ParseError {
        ParseError(
            .malformedBody,
            "The multipart body does not parse (\(detail)); send multipart/form-data with the "
                + "boundary of the Content-Type header.")
    }

    /// The value of the first `Content-Disposition` among CRLF-separated `Name: value` lines;
    /// every line must have a non-empty name of visible ASCII characters and a colon.
    private static func contentDisposition(_ headers: ArraySlice<UInt8>) throws(ParseError) -> String? {
        var disposition: String?
        if headers.isEmpty { return nil }
        for line in headers.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let content = line.last == 0x0D ? line.dropLast() : line
            guard let colon = content.firstIndex(of: 0x3A), colon > content.startIndex,
                content[..<colon].allSatisfy({ (0x21...0x7E).contains($0) })
            else {
                throw malformed("a part header is not a `Name: value` line")
            }
            let name = String(decoding: content[..<colon], as: UTF8.self)
            if disposition == nil, name.lowercased() == "content-disposition" {
                disposition = String(decoding: content[(colon + 1)...], as: UTF8.self)
            }
        }
        return disposition
    }

    /// The part named `image`, or else the first part with a filename.
    public var imagePart: Part? {
        parts.first { $0.name == "image" } ?? parts.first { $0.filename != nil }
    }

    /// The `boundary` parameter of a `multipart/form-data` content type (quotes removed), or nil
    /// for any other content type or when the parameter is missing. An empty boundary is
    /// returned as is: `init(body:boundary:)` rejects it with a message that says so.
    public static func boundary(contentType: String) -> String? {
        let items = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let type = items.first, trimmed(type).lowercased() == "multipart/form-data" else { return nil }
        for item in items.dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2, trimmed(pair[0]).lowercased() == "boundary" {
                return unquoted(trimmed(pair[1]))
            }
        }
        return nil
    }

    /// The value of `key=value` or `key="value"` in a `Content-Disposition` header.
    static func parameter(_ key: String, in disposition: String) -> String? {
        for item in disposition.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.count == 2, trimmed(pair[0]).lowercased() == key {
                return unquoted(trimmed(pair[1]))
            }
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> Substring {
        Substring(text.trimmingCharacters(in: .whitespaces))
    }

    private static func unquoted(_ text: Substring) -> String {
        if text.count >= 2, text.first == "\"", text.last == "\"" {
            return String(text.dropFirst().dropLast())
        }
        return String(text)
    }
}
