/// A strict RFC 8259 parser for safetensors headers.
///
/// Any input either parses or throws `malformedHeader` with the byte position; nesting is limited
/// to `maximumDepth` so that hostile input cannot exhaust the stack. Strings must be valid UTF-8
/// and their `\u` escapes valid UTF-16 (paired surrogates).
struct HeaderJSONParser {
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var position = 0

    /// Parses `bytes` as one JSON value surrounded only by whitespace.
    static func parse(_ bytes: [UInt8]) throws(WeightsError) -> HeaderJSON {
        var parser = HeaderJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw parser.failure("expected the end of the header after the top-level value")
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func failure(_ expectation: String) -> WeightsError {
        let found: String
        if position >= bytes.count {
            found = "the end of the header"
        } else {
            let byte = bytes[position]
            found = (0x21...0x7E).contains(byte)
                ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }
        return WeightsError(
            .malformedHeader,
            "the header is not valid JSON: at byte \(position) of the header, \(expectation), found \(found); "
                + "the file is corrupt or not a safetensors file — re-export or re-download it")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ expectation: String) throws(WeightsError) {
        guard current == byte else { throw failure(expectation) }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(WeightsError) -> HeaderJSON {
        guard let byte = current else { throw failure("expected a JSON value") }
        switch byte {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(literal: try parseNumber())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        default:
            throw failure("expected a JSON value")
        }
    }

    private mutating func parseLiteral(_ word: String) throws(WeightsError) {
        for byte in word.utf8 {
            try expect(byte, "expected the literal \(word)")
        }
    }

    private mutating func parseObject(depth: Int) throws(WeightsError) -> HeaderJSON {
        guard depth <= Self.maximumDepth else { throw failure("expected at most \(Self.maximumDepth) levels of nesting") }
        position += 1
        var members: [(key: String, value: HeaderJSON)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after an object key")
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            try expect(UInt8(ascii: ","), "expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray(depth: Int) throws(WeightsError) -> HeaderJSON {
        guard depth <= Self.maximumDepth else { throw failure("expected at most \(Self.maximumDepth) levels of nesting") }
        position += 1
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            try expect(UInt8(ascii: ","), "expected ',' or ']' in an array")
        }
    }

    private mutating func parseNumber() throws(WeightsError) -> String {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            guard skipDigits() else { throw failure("expected a digit") }
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() else { throw failure("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() else { throw failure("expected a digit in the exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Skips ASCII digits; returns whether there was at least one.
    private mutating func skipDigits() -> Bool {
        let start = position
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            position += 1
        }
        return position > start
    }

    private mutating func parseString() throws(WeightsError) -> String {
        let start = position
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw failure("expected '\"' to close the string opened at byte \(start)") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    position = start
                    throw failure("expected a string of valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw failure("expected no raw control characters inside a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(WeightsError) {
        guard let byte = current else { throw failure("expected an escape character") }
        position += 1
        let simple: UInt8? =
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case UInt8(ascii: "/"): UInt8(ascii: "/")
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            utf8.append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            position -= 1
            throw failure("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u")
        }
        var scalarValue = try parseHexQuad()
        if (0xD800...0xDBFF).contains(scalarValue) {
            guard current == UInt8(ascii: "\\") else { throw failure("expected a low surrogate after a high surrogate") }
            position += 1
            try expect(UInt8(ascii: "u"), "expected a low surrogate after a high surrogate")
            let low = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("expected a low surrogate after a high surrogate") }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw failure("expected no unpaired low surrogate")
        }
        utf8.append(contentsOf: scalar.utf8)
    }

    private mutating func parseHexQuad() throws(WeightsError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexDigitValue(byte) else {
                throw failure("expected four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
