import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO

/// An instant as the database holds it: `TIMESTAMPTZ` on PostgreSQL, integer microseconds since
/// the Unix epoch on SQLite (exact and sortable). Both keep whole microseconds.
public struct StoredTimestamp: Sendable, Hashable, Codable {
    public var date: Date

    public init(_ date: Date) {
        self.date = Self.wholeMicroseconds(date)
    }

    /// The instant `micros` microseconds after the Unix epoch. `Date` holds seconds as a `Double`,
    /// which represents every whole microsecond of the next few centuries exactly enough to round
    /// back to the same integer.
    init(microsecondsSinceEpoch micros: Int64) {
        self.date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    var microsecondsSinceEpoch: Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    static func wholeMicroseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }
}

extension StoredTimestamp: SQLiteDataConvertible {
    public init?(sqliteData: SQLiteData) {
        guard case .integer(let micros) = sqliteData else { return nil }
        self.init(microsecondsSinceEpoch: Int64(micros))
    }

    public var sqliteData: SQLiteData? {
        .integer(Int(microsecondsSinceEpoch))
    }
}

extension StoredTimestamp: PostgresEncodable, PostgresDecodable {
    public static var psqlType: PostgresDataType { .timestamptz }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        date.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(try Date(from: &buffer, type: type, format: format, context: context))
    }
}
