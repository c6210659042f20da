import NIOCore
import PostgresNIO
import SQLiteNIO

/// A JSON document as the database holds it: `JSONB` on PostgreSQL, `TEXT` on SQLite.
public struct StoredJSON: Sendable, Hashable, Codable {
    /// The document's JSON text.
    public var text: String

    public init(text: String) {
        self.text = text
    }
}

extension StoredJSON: SQLiteDataConvertible {
    public init?(sqliteData: SQLiteData) {
        guard case .text(let text) = sqliteData else { return nil }
        self.text = text
    }

    public var sqliteData: SQLiteData? { .text(text) }
}

extension StoredJSON: PostgresEncodable, PostgresDecodable {
    private static let jsonbVersion: UInt8 = 1

    public static var psqlType: PostgresDataType { .jsonb }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeInteger(Self.jsonbVersion)
        byteBuffer.writeString(text)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer,
        type: PostgresDataType,
        format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        switch (format, type) {
        case (.binary, .jsonb):
            guard buffer.readInteger(as: UInt8.self) == Self.jsonbVersion else {
                throw PostgresDecodingError.Code.failure
            }
            fallthrough
        case (_, .json), (.text, .jsonb):
            guard let text = buffer.readString(length: buffer.readableBytes) else {
                throw PostgresDecodingError.Code.failure
            }
            self.text = text
        default:
            throw PostgresDecodingError.Code.typeMismatch
        }
    }
}
