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

/// A row read straight from its cells for the types MBT stores (integers, text, booleans and
/// ``StoredDecimal``, ``StoredTimestamp`` and ``StoredJSON``, optional or not); any other type
/// is decoded by PostgresKit, as before.
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
        if let value = try Self.stored(cell, as: T.self) { return value }
        if let value = try Self.stored(cell, as: T.self, optional: true) { return value }
        return try row.sql().decode(column: column, as: T.self)
    }

    /// `cell` as `T` when `T` is one of the stored types (or, with `optional`, its `Optional`).
    private static func stored<T>(_ cell: PostgresCell, as _: T.Type, optional: Bool = false) throws -> T? {
        func read<V: PostgresDecodable>(_ type: V.Type) throws -> T? {
            if optional {
                guard T.self == V?.self else { return nil }
                let value: V? = cell.bytes == nil ? nil : try cell.decode(V.self, context: .default)
                return unsafeBitCast(value, to: T.self)
            }
            guard T.self == V.self else { return nil }
            return unsafeBitCast(try cell.decode(V.self, context: .default), to: T.self)
        }
        if let value = try read(Int64.self) { return value }
        if let value = try read(String.self) { return value }
        if let value = try read(StoredDecimal.self) { return value }
        if let value = try read(StoredTimestamp.self) { return value }
        if let value = try read(Int.self) { return value }
        if let value = try read(Bool.self) { return value }
        if let value = try read(StoredJSON.self) { return value }
        return nil
    }
}
