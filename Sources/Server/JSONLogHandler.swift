import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to standard output, for log
/// collectors: `{"timestamp", "level", "label", "message", "request_id", …metadata}`.
///
/// Hummingbird's request id (`hb.request.id`, which an incoming `X-Request-ID` sets) is written
/// as `request_id`, and a `trace_id` in the metadata as is, so a line can be joined to the answer
/// and to its trace. Other metadata values are written as JSON strings, nested dictionaries and
/// lists as JSON. `colecionador serve --log-format json` installs it.
///
/// The `metadataProvider` (swift-otel's, when tracing is on) adds the current span's
/// `trace_id` and `span_id` to every line written inside a request; explicit metadata wins
/// over it, and it over the handler's own.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let output: @Sendable (String) -> Void

    /// - Parameter output: where each line goes (standard output by default; tests collect them).
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil,
        output: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        var fields: [String: Any] = [
            "timestamp": Self.timestamp(Date()), "level": level.rawValue, "label": label, "message": message.description,
        ]
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { all.merge(provided) { _, new in new } }
        all.merge(explicit ?? [:]) { _, new in new }
        for (key, value) in all {
            fields[key == "hb.request.id" ? "request_id" : key] = Self.json(value)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]),
            let text = String(data: data, encoding: .utf8)
        else { return }
        output(text)
    }

    @Sendable
    public static func standardOutput(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let dictionary): dictionary.mapValues(json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
