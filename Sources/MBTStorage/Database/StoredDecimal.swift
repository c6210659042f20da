import MBTDomain
import NIOCore
import PostgresNIO
import SQLiteNIO

/// A ``Decimal6`` as the database holds it: `NUMERIC(18,6)` on PostgreSQL, integer micro-units on
/// SQLite (where a NUMERIC column would silently become a binary float).
///
/// Bind it with `\(bind: StoredDecimal(x))`; read it with ``SQLKit/SQLRow/decimal(_:)``.
public struct StoredDecimal: Sendable, Hashable, Codable {
    public var value: Decimal6

    public init(_ value: Decimal6) {
        self.value = value
    }
}

extension StoredDecimal: SQLiteDataConvertible {
    public init?(sqliteData: SQLiteData) {
        guard case .integer(let micros) = sqliteData else { return nil }
        self.value = Decimal6(micros: Int64(micros))
    }

    public var sqliteData: SQLiteData? {
        value.fitsStorage ? .integer(Int(value.micros)) : nil
    }
}

extension StoredDecimal: PostgresEncodable, PostgresDecodable {
    public static var psqlType: PostgresDataType { .numeric }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) throws {
        guard value.fitsStorage else {
            throw StorageError.corruptValue("\(value) does not fit NUMERIC(18,6)")
        }
        PostgresNumericWire.write(micros: value.micros, into: &byteBuffer)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        switch (format, type) {
        case (.binary, .numeric):
            guard let micros = PostgresNumericWire.readMicros(from: &buffer) else {
                throw PostgresDecodingError.Code.failure
            }
            self.value = Decimal6(micros: micros)
        case (.text, .numeric):
            guard let text = buffer.readString(length: buffer.readableBytes),
                let parsed = try? Decimal6(parsing: Self.trimmingScale(text))
            else {
                throw PostgresDecodingError.Code.failure
            }
            self.value = parsed
        default:
            throw PostgresDecodingError.Code.typeMismatch
        }
    }

    /// PostgreSQL may print more than six decimals for computed values ("1.500000000"); zeros
    /// beyond the sixth are dropped, anything else is left for the parser to refuse.
    private static func trimmingScale(_ text: String) -> String {
        guard let point = text.firstIndex(of: ".") else { return text }
        var trimmed = text
        while trimmed.distance(from: point, to: trimmed.endIndex) > 7, trimmed.last == "0" {
            trimmed.removeLast()
        }
        return trimmed
    }
}

/// PostgreSQL's binary `numeric` layout: four Int16 header fields (digit count, weight, sign,
/// display scale) and then base-10000 digits, most significant first; the value is
/// Σ digit[i] × 10000^(weight − i).
enum PostgresNumericWire {
    private static let positive: UInt16 = 0x0000
    private static let negative: UInt16 = 0x4000

    static func write(micros: Int64, into buffer: inout ByteBuffer) {
        var digits: [Int16] = []
        let magnitude = micros.magnitude
        var whole = magnitude / 1_000_000
        let fraction = magnitude % 1_000_000
        while whole > 0 {
            digits.insert(Int16(whole % 10_000), at: 0)
            whole /= 10_000
        }
        var weight = Int16(digits.count) - 1
        digits.append(Int16(fraction / 100))
        digits.append(Int16((fraction % 100) * 100))
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            weight -= 1
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        if digits.isEmpty { weight = 0 }

        buffer.writeInteger(Int16(digits.count))
        buffer.writeInteger(weight)
        buffer.writeInteger(micros < 0 ? negative : positive)
        buffer.writeInteger(Int16(6))
        for digit in digits { buffer.writeInteger(digit) }
    }

    /// The value in micro-units, or `nil` for NaN, infinities, more than six significant decimals or
    /// a value outside `Int64`.
    static func readMicros(from buffer: inout ByteBuffer) -> Int64? {
        guard let count = buffer.readInteger(as: Int16.self),
            let weight = buffer.readInteger(as: Int16.self),
            let sign = buffer.readInteger(as: UInt16.self),
            buffer.readInteger(as: Int16.self) != nil,
            sign == positive || sign == negative
        else { return nil }
        var total: Int128 = 0
        for index in 0..<Int(count) {
            guard let digit = buffer.readInteger(as: Int16.self) else { return nil }
            let exponent = Int(weight) - index
            switch exponent {
            case 0...:
                var scaled = Int128(digit) * 1_000_000
                for _ in 0..<exponent {
                    scaled *= 10_000
                    guard scaled.magnitude <= UInt128(UInt64.max) else { return nil }
                }
                total += scaled
            case -1:
                total += Int128(digit) * 100
            case -2:
                guard digit % 100 == 0 else { return nil }
                total += Int128(digit / 100)
            default:
                guard digit == 0 else { return nil }
            }
            guard total.magnitude <= UInt128(Int64.max) else { return nil }
        }
        return Int64(sign == negative ? -total : total)
    }
}
