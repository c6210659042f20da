import Foundation
import Logging
import Synchronization

/// `LOG_FORMAT=json`: one JSON object per line on standard error, for log collectors. The keys are
/// `time` (RFC 3339 with milliseconds, UTC), `level`, `label`, `message`, `source`, then the
/// metadata's own keys at the top level (a request's line has `request_id`, `user_id`, `route`,
/// `status` and `duration_ms`: ``RequestLogMiddleware``). Nothing secret is ever put in metadata.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let output: @Sendable (String) -> Void

    public init(label: String, output: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: Any] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = Self.json(value) }
        fields["time"] = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        fields["source"] = event.source
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        output(String(decoding: data, as: UTF8.self))
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    private static let standardErrorLock = Mutex(())

    /// Writes whole lines, one at a time, so concurrent lines never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        standardErrorLock.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
