import NIOCore
import PostgresNIO

/// A `bigint[]` bind, as ``BatchRows`` hands PostgreSQL a column of a thousand rows: written in
/// PostgreSQL's binary array format in one loop. PostgresNIO encodes an array bound through the
/// `SQLBind` existential element by element through its generic witnesses, which was a tenth of
/// the process's time in the daily jobs (docs/performance.md).
struct PostgresInt64ArrayBind: PostgresArrayBind {
    let values: [Int64]

    static var psqlType: PostgresDataType { .int8Array }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        PostgresArrayHeader.write(count: values.count, element: .int8, into: &buffer)
        buffer.reserveCapacity(minimumWritableBytes: values.count * 12)
        for value in values {
            buffer.writeInteger(Int32(8))
            buffer.writeInteger(value)
        }
    }
}

/// A `text[]` bind, written like ``PostgresInt64ArrayBind``.
struct PostgresTextArrayBind: PostgresArrayBind {
    let values: [String]

    static var psqlType: PostgresDataType { .textArray }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        PostgresArrayHeader.write(count: values.count, element: .text, into: &buffer)
        for value in values {
            buffer.writeInteger(Int32(value.utf8.count))
            buffer.writeString(value)
        }
    }
}

/// What the array binds share: the binary format, and `Encodable` (which `SQLBind` requires) as
/// the plain array.
protocol PostgresArrayBind: PostgresEncodable, Encodable, Sendable {
    associatedtype Element: Encodable
    var values: [Element] { get }
}

extension PostgresArrayBind {
    static var psqlFormat: PostgresFormat { .binary }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// The header of a one-dimensional binary array without NULLs: dimensions, a has-NULLs flag of 0,
/// the element type, then the length and lower bound 1 (an empty array has no dimension).
private enum PostgresArrayHeader {
    static func write(count: Int, element: PostgresDataType, into buffer: inout ByteBuffer) {
        buffer.writeInteger(count == 0 ? 0 : 1, as: Int32.self)
        buffer.writeInteger(0, as: Int32.self)
        buffer.writeInteger(element.rawValue)
        guard count > 0 else { return }
        buffer.writeInteger(Int32(count))
        buffer.writeInteger(1, as: Int32.self)
    }
}
