import Foundation
import Hummingbird
import MBTDomain

/// A JSON value as a `/v2` route answers it. Alpaca's objects are written key by key (explicit
/// `null`s included, as Alpaca sends them) instead of derived from Swift types, so each mapper
/// shows the wire format it produces.
indirect enum AlpacaValue: Encodable, Sendable, Equatable {
    case string(String)
    case int(Int)
    /// A JSON number written exactly (market data sends prices as numbers, not strings).
    case number(Decimal)
    case bool(Bool)
    case null
    case array([AlpacaValue])
    case object([String: AlpacaValue])

    /// A trading decimal: a string without trailing zeros (`"10"`, `"172.7"`), as Alpaca writes them.
    static func decimal(_ value: Decimal6) -> AlpacaValue { .string(AlpacaFormat.decimal(value)) }
    static func decimal(_ value: Decimal6?) -> AlpacaValue { value.map(decimal) ?? .null }
    static func time(_ value: Date) -> AlpacaValue { .string(AlpacaFormat.time(value)) }
    static func time(_ value: Date?) -> AlpacaValue { value.map(time) ?? .null }
    static func string(_ value: String?) -> AlpacaValue { value.map(AlpacaValue.string) ?? .null }
    /// A market-data price as a JSON number (`172.7`), exact: through its decimal text, never a binary float.
    static func number(_ value: Decimal6) -> AlpacaValue { .number(Decimal(string: AlpacaFormat.decimal(value)) ?? 0) }
    static func number(_ value: Decimal6?) -> AlpacaValue { value.map(number) ?? .null }

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .int(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .number(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let fields):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in fields { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }

    static func response(_ value: AlpacaValue, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// What a `/v2` handler returns: a JSON value with its status.
struct AlpacaResponse: ResponseGenerator {
    let value: AlpacaValue?
    var status: HTTPResponse.Status = .ok

    init(_ value: AlpacaValue, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    /// No body (`DELETE /v2/orders/{id}` answers 204).
    static let noContent = AlpacaResponse(status: .noContent)
    /// 200 without a body (`POST /v2/positions/{symbol}/exercise`, as Alpaca answers it).
    static let emptyOK = AlpacaResponse(status: .ok)

    private init(status: HTTPResponse.Status) {
        self.value = nil
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        guard let value else { return Response(status: status) }
        return AlpacaValue.response(value, status: status)
    }
}

/// Alpaca's text forms of decimals and instants.
enum AlpacaFormat {
    static func decimal(_ value: Decimal6) -> String {
        var text = value.description
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// RFC 3339 in UTC with microseconds, like `2026-03-20T14:00:00.000000Z`.
    static func time(_ value: Date) -> String {
        let micros = StoredMicros.of(value)
        let seconds = Int64((Double(micros) / 1_000_000).rounded(.down))
        let fraction = micros - seconds * 1_000_000
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!))
        return String(whole.dropLast()) + "." + String(format: "%06lld", fraction) + "Z"
    }
}

/// Whole microseconds since the epoch, the resolution the ledger stores instants at.
enum StoredMicros {
    static func of(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }
}
