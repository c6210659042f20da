import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// The `SQLDatabase` a PostgreSQL connection is used through: PostgresKit's, except that rows are
/// read by ``PostgresCellRow``. PostgresKit decodes every cell through its `Codable` bridge (a
/// coding path allocated and the type's conformances looked up per cell), which was a fifth of
/// the process's time in the daily jobs (docs/performance.md); the stored types decode straight
/// from the cell here. Binds are encoded as PostgresKit encodes them; a query with a bind this
/// cannot encode runs through PostgresKit whole.
struct PostgresSQLDatabase: SQLDatabase {
    let connection: PostgresConnection
    /// PostgresKit's database over the same connection: the dialect, the logger and the fallback.
    private let base: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
        self.base = connection.sql()
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard let bindings = try Self.bindings(binds) else { return try await base.execute(sql: query, onRow) }
        if let level = queryLogLevel, logger.logLevel <= level {
            logger.log(level: level, "Executing query", metadata: ["sql": .string(sql)])
        }
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
            onRow(PostgresCellRow(row))
        }
    }

    /// The binds as PostgresKit's translation encodes them (`NULL` for a missing value, the
    /// value's own PostgreSQL encoding otherwise); `nil` when one has no such encoding.
    private static func bindings(_ binds: [any Encodable & Sendable]) throws -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            if Self.isNone(bind) {
                bindings.appendNull()
            } else if let value = bind as? any PostgresThrowingDynamicTypeEncodable {
                try bindings.append(value, context: .default)
            } else {
                return nil
            }
        }
        return bindings
    }

    private static func isNone(_ value: Any) -> Bool {
        (value as? any OptionalBind)?.isNone ?? false
    }
}

private protocol OptionalBind {
    var isNone: Bool { get }
}

extension Optional: OptionalBind {
    var isNone: Bool { self == nil }
}

/// A row read straight from its cells for the types MBT stores (integers, text, booleans,
/// ``StoredDecimal``, ``StoredTimestamp`` and ``StoredJSON``, and the optional integers, texts,
/// decimals and instants); any other type is decoded by PostgresKit, as before.
struct PostgresCellRow: SQLRow {
    private let row: PostgresRow
    private let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row
        self.cells = row.makeRandomAccess()
    }

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        !cells.contains(column) || cells[column].bytes == nil
    }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard cells.contains(column) else { return try row.sql().decode(column: column, as: T.self) }
        let cell = cells[column]
        // One comparison of type identities per stored type: no conformance lookup, no allocation.
        switch ObjectIdentifier(T.self) {
        case StoredType.int64: return try Self.value(cell, Int64.self)
        case StoredType.string: return try Self.value(cell, String.self)
        case StoredType.decimal: return try Self.value(cell, StoredDecimal.self)
        case StoredType.timestamp: return try Self.value(cell, StoredTimestamp.self)
        case StoredType.int: return try Self.value(cell, Int.self)
        case StoredType.bool: return try Self.value(cell, Bool.self)
        case StoredType.json: return try Self.value(cell, StoredJSON.self)
        case StoredType.optionalInt64: return try Self.optional(cell, Int64.self)
        case StoredType.optionalString: return try Self.optional(cell, String.self)
        case StoredType.optionalDecimal: return try Self.optional(cell, StoredDecimal.self)
        case StoredType.optionalTimestamp: return try Self.optional(cell, StoredTimestamp.self)
        default: return try row.sql().decode(column: column, as: T.self)
        }
    }

    /// The cell as `V`, returned as `T`, which the caller has checked is `V`.
    private static func value<V: PostgresDecodable, T>(_ cell: PostgresCell, _: V.Type) throws -> T {
        unsafeBitCast(try cell.decode(V.self, context: .default), to: T.self)
    }

    /// The cell as `V?` (`nil` for NULL), returned as `T`, which the caller has checked is `V?`.
    private static func optional<V: PostgresDecodable, T>(_ cell: PostgresCell, _: V.Type) throws -> T {
        let value: V? = cell.bytes == nil ? nil : try cell.decode(V.self, context: .default)
        return unsafeBitCast(value, to: T.self)
    }

    private enum StoredType {
        static let int64 = ObjectIdentifier(Int64.self)
        static let string = ObjectIdentifier(String.self)
        static let decimal = ObjectIdentifier(StoredDecimal.self)
        static let timestamp = ObjectIdentifier(StoredTimestamp.self)
        static let int = ObjectIdentifier(Int.self)
        static let bool = ObjectIdentifier(Bool.self)
        static let json = ObjectIdentifier(StoredJSON.self)
        static let optionalInt64 = ObjectIdentifier(Int64?.self)
        static let optionalString = ObjectIdentifier(String?.self)
        static let optionalDecimal = ObjectIdentifier(StoredDecimal?.self)
        static let optionalTimestamp = ObjectIdentifier(StoredTimestamp?.self)
    }
}
