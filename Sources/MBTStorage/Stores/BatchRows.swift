import Foundation
import MBTDomain
import SQLKit

/// Rows that one statement inserts or joins, given column by column, in the form each database
/// takes best: `VALUES (…), (…)` with a bind per value on SQLite (in process, where a long
/// statement is cheap to prepare), and one array per column through `unnest` on PostgreSQL, which
/// spends longer planning a thousand-row `VALUES` than running it but plans `unnest` in constant
/// time.
///
/// On PostgreSQL every value travels as an element of a `bigint[]`, `text[]` or `boolean[]` (types
/// the driver encodes directly) and is converted back exactly in SQL: amounts as micro-units,
/// instants as microseconds since 1970. A missing value travels as a sentinel the column cannot
/// hold (`Int64.min`, or the empty string for the optional texts, all enumeration values here).
struct BatchRows: Sendable {
    /// One column's values, typed as the database stores them.
    enum Values: Sendable {
        case int([Int64]), optionalInt([Int64?]), text([String]), optionalText([String?]), bool([Bool])
        case decimal([Decimal6]), optionalDecimal([Decimal6?]), instant([Date]), optionalInstant([Date?])
        /// JSON documents (`JSONB` on PostgreSQL, text on SQLite), as their text.
        case optionalJSON([String?])
    }

    let names: [String]
    let columns: [Values]
    let count: Int

    /// `columns` in order; each must hold the same number of values.
    init(_ columns: KeyValuePairs<String, Values>) {
        names = columns.map(\.key)
        self.columns = columns.map(\.value)
        count = self.columns.first?.count ?? 0
        precondition(self.columns.allSatisfy { $0.count == count }, "batch columns differ in length")
    }

    /// The row ranges of the statements to run: as many rows as the bind limit allows on SQLite,
    /// effectively one statement on PostgreSQL.
    func chunks(on db: any SQLDatabase) -> [Range<Int>] {
        let size = Self.isPostgres(db) ? 10_000 : max(1, TaxLotStore.bindsPerStatement / max(1, columns.count))
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// The rows of `range` as a statement's source of rows with this batch's column names: after
    /// `INSERT INTO t (names)`, or in `WITH v(names) AS (…)`.
    func source(_ range: Range<Int>, on db: any SQLDatabase) -> SQLQueryString {
        Self.isPostgres(db) ? unnest(range) : values(range)
    }

    /// Inserts every row into `table`; returns the `returning` columns of the rows inserted.
    /// `conflict` is what follows `ON CONFLICT` (the same text on both databases), for an upsert.
    func insert(into table: String, returning: [String] = [], conflict: String? = nil, on db: any SQLDatabase) async throws
        -> [any SQLRow]
    {
        var returned: [any SQLRow] = []
        for range in chunks(on: db) {
            var query: SQLQueryString = "INSERT INTO \(ident: table) (\(idents: names, joinedBy: ", ")) "
            query += source(range, on: db)
            if let conflict { query += " ON CONFLICT \(unsafeRaw: conflict)" }
            if !returning.isEmpty { query += " RETURNING \(idents: returning, joinedBy: ", ")" }
            returned += try await db.raw(query).all()
        }
        return returned
    }

    /// Runs `WITH v(names) AS (rows) statement` over every row, `statement` naming the rows `v`
    /// (an `UPDATE … FROM v`); returns what it returns.
    func with(_ statement: String, on db: any SQLDatabase) async throws -> [any SQLRow] {
        var returned: [any SQLRow] = []
        for range in chunks(on: db) {
            var query: SQLQueryString = "WITH v(\(idents: names, joinedBy: ", ")) AS ("
            query += source(range, on: db)
            query += ") \(unsafeRaw: statement)"
            returned += try await db.raw(query).all()
        }
        return returned
    }

    static func isPostgres(_ db: any SQLDatabase) -> Bool {
        db.dialect.name == "postgresql"
    }

    private func values(_ range: Range<Int>) -> SQLQueryString {
        var query: SQLQueryString = "VALUES "
        for row in range {
            query.appendLiteral(row == range.lowerBound ? "(" : ", (")
            for (index, column) in columns.enumerated() {
                if index > 0 { query.appendLiteral(", ") }
                query.appendInterpolation(bind: column.bind(at: row))
            }
            query.appendLiteral(")")
        }
        return query
    }

    private func unnest(_ range: Range<Int>) -> SQLQueryString {
        let aliases = columns.indices.map { "r.c\($0)" }
        let selects = zip(columns, zip(aliases, names)).map { column, named in "\(column.select(named.0)) AS \(named.1)" }
        let arrays = columns.map { column in
            let (array, type) = column.array(range)
            return "\(bind: array)::\(unsafeRaw: type)" as SQLQueryString
        }
        let list = columns.indices.map { "c\($0)" }.joined(separator: ", ")
        return "SELECT \(unsafeRaw: selects.joined(separator: ", ")) FROM unnest(" + arrays.joined(separator: ", ")
            + ") AS r(\(unsafeRaw: list))"
    }
}

extension BatchRows.Values {
    var count: Int {
        switch self {
        case .int(let values): values.count
        case .optionalInt(let values): values.count
        case .text(let values): values.count
        case .optionalText(let values): values.count
        case .bool(let values): values.count
        case .decimal(let values): values.count
        case .optionalDecimal(let values): values.count
        case .instant(let values): values.count
        case .optionalInstant(let values): values.count
        case .optionalJSON(let values): values.count
        }
    }

    /// The value of `row` as a `VALUES` bind, in the stored representation.
    func bind(at row: Int) -> any Encodable & Sendable {
        switch self {
        case .int(let values): values[row]
        case .optionalInt(let values): values[row]
        case .text(let values): values[row]
        case .optionalText(let values): values[row]
        case .bool(let values): values[row]
        case .decimal(let values): StoredDecimal(values[row])
        case .optionalDecimal(let values): values[row].map(StoredDecimal.init)
        case .instant(let values): StoredTimestamp(values[row])
        case .optionalInstant(let values): values[row].map(StoredTimestamp.init)
        case .optionalJSON(let values): values[row].map(StoredJSON.init(text:))
        }
    }

    private static let missing = Int64.min

    /// The values of `range` as one PostgreSQL array and its type.
    func array(_ range: Range<Int>) -> (any Encodable & Sendable, String) {
        switch self {
        case .int(let values): (PostgresInt64ArrayBind(values: Array(values[range])), "bigint[]")
        case .optionalInt(let values): (PostgresInt64ArrayBind(values: values[range].map { $0 ?? Self.missing }), "bigint[]")
        case .text(let values): (PostgresTextArrayBind(values: Array(values[range])), "text[]")
        case .optionalText(let values): (PostgresTextArrayBind(values: values[range].map { $0 ?? "" }), "text[]")
        case .bool(let values): (Array(values[range]), "boolean[]")
        case .decimal(let values): (PostgresInt64ArrayBind(values: values[range].map(\.micros)), "bigint[]")
        case .optionalDecimal(let values): (PostgresInt64ArrayBind(values: values[range].map { $0?.micros ?? Self.missing }), "bigint[]")
        case .instant(let values): (PostgresInt64ArrayBind(values: values[range].map { StoredTimestamp($0).microsecondsSinceEpoch }), "bigint[]")
        case .optionalInstant(let values):
            (
                PostgresInt64ArrayBind(values: values[range].map { $0.map { StoredTimestamp($0).microsecondsSinceEpoch } ?? Self.missing }),
                "bigint[]"
            )
        case .optionalJSON(let values): (PostgresTextArrayBind(values: values[range].map { $0 ?? "" }), "text[]")
        }
    }

    /// The SQL that turns the array element `element` back into the column's value: exact, since
    /// a micro-unit count times 0.000001 is a NUMERIC of scale 6, and adding whole microseconds
    /// to the epoch involves no time zone (the factor stays below 2^53, exact as a double).
    func select(_ element: String) -> String {
        let missing = "\(Self.missing)"
        return switch self {
        case .int, .text, .bool: element
        case .optionalInt: "NULLIF(\(element), \(missing))"
        case .optionalText: "NULLIF(\(element), '')"
        case .decimal: "(\(element) * 0.000001)"
        case .optionalDecimal: "(NULLIF(\(element), \(missing)) * 0.000001)"
        case .optionalJSON: "NULLIF(\(element), '')::jsonb"
        case .instant: "(TIMESTAMPTZ 'epoch' + \(element) * INTERVAL '1 microsecond')"
        case .optionalInstant: "(TIMESTAMPTZ 'epoch' + NULLIF(\(element), \(missing)) * INTERVAL '1 microsecond')"
        }
    }
}
