import Foundation
import MBTDomain
import MBTTestSupport
import PropertyBased
import SQLKit
import Testing

@testable import MBTStorage

/// Decimals, instants and JSON survive a trip through the database exactly, on both engines.
@Suite("Stored values")
struct StoredValueTests {
    @Test func decimalsRoundTripExactlyAcrossTheWholeRange() async throws {
        try await TestDatabase.withFresh { database in
            try await createScratchTable(database)
            let edges: [Decimal6] = [
                .zero, .storageMax, .storageMin, Decimal6(micros: 1), Decimal6(micros: -1), Decimal6(micros: 123_456_789_012_123_456),
            ]
            for value in edges { #expect(try await roundTrip(value, database) == value) }
            await propertyCheck(count: 50, input: Gen.int64(in: Decimal6.storageMin.micros...Decimal6.storageMax.micros)) { micros in
                let value = Decimal6(micros: micros)
                let stored = try await roundTrip(value, database)
                #expect(stored == value)
            }
        }
    }

    @Test func sumsStayExact() async throws {
        try await TestDatabase.withFresh { database in
            try await createScratchTable(database)
            let values = (1...10).map { Decimal6(micros: 100_000_000_000_000_001 * Int64($0) % 999_999_999_999) }
            for value in values { _ = try await roundTrip(value, database) }
            let sum = try await database.withConnection { db in
                try await db.select().column(SQLFunction("SUM", args: SQLColumn("amount")), as: "total").from("scratch").first()
            }
            #expect(try sum?.decimal("total") == values.reduce(.zero, +))
        }
    }

    @Test func refusesToStoreAValueOutsideNumeric18x6() async throws {
        try await TestDatabase.withFresh { database in
            try await createScratchTable(database)
            await #expect(throws: (any Error).self) {
                try await roundTrip(Decimal6.storageMax + Decimal6(micros: 1), database)
            }
        }
    }

    /// Rows read every stored type straight from its cell (PostgreSQL's `PostgresCellRow`) and
    /// anything else through the driver: each comes back as written (instants to the microsecond),
    /// a NULL as `nil`.
    @Test func rowsReadEveryStoredTypeAndNullsAsWritten() async throws {
        try await TestDatabase.withFresh { database in
            try await createScratchTable(database)
            let instant = Date(timeIntervalSince1970: 1_774_012_345.123456)
            try await database.withConnection { db in
                try await db.insert(into: "scratch").columns("amount", "at", "doc")
                    .values(SQLBind(StoredDecimal("-12.345678")), SQLBind(StoredTimestamp(instant)), SQLBind(StoredJSON(text: #"{"a":[1,2]}"#)))
                    .run()
                try await db.insert(into: "scratch").columns("amount").values(SQLBind(StoredDecimal(.zero))).run()
            }
            let rows = try await database.withConnection { db in
                try await db.raw(
                    """
                    SELECT id, amount, at, doc, CAST(id AS TEXT) AS label, id > 1 AS later, COUNT(*) OVER () AS total,
                        CAST(id AS REAL) AS ratio
                    FROM scratch ORDER BY id
                    """
                ).all()
            }
            #expect(rows.count == 2)
            let (first, second) = (rows[0], rows[1])
            #expect(try first.decode(column: "id", as: Int64.self) == 1)
            #expect(try first.decode(column: "label", as: String.self) == "1")
            #expect(try first.decimal("amount") == "-12.345678")
            #expect(abs(try first.timestamp("at").timeIntervalSince(instant)) < 0.000_001)
            #expect(try first.optionalTimestamp("at") == StoredTimestamp(instant).date)
            #expect(try first.json("doc").replacingOccurrences(of: " ", with: "") == #"{"a":[1,2]}"#)
            #expect(try first.decode(column: "later", as: Bool.self) == false)
            #expect(try second.decode(column: "later", as: Bool.self) == true)
            #expect(try first.decode(column: "total", as: Int.self) == 2)
            #expect(try second.decode(column: "at", as: StoredTimestamp?.self) == nil)
            #expect(try second.decode(column: "doc", as: String?.self) == nil)
            #expect(try second.decode(column: "id", as: Int64?.self) == 2)
            #expect(try second.decodeNil(column: "at"))
            // A type the row does not read itself still decodes, through the driver.
            #expect(try first.decode(column: "ratio", as: Double.self) == 1)
            #expect(throws: (any Error).self) { try first.decode(column: "missing", as: Int64.self) }
        }
    }

    /// A batch's columns travel as arrays on PostgreSQL (``PostgresInt64ArrayBind``,
    /// ``PostgresTextArrayBind``) and as `VALUES` on SQLite: either way every value comes back,
    /// the extremes, the empty text and text beyond ASCII included.
    @Test func batchColumnsArriveWhole() async throws {
        try await TestDatabase.withFresh { database in
            let numbers: [Int64] = [0, 1, -1, Decimal6.storageMax.micros, Decimal6.storageMin.micros, 42]
            let texts = ["", "plain", "quote \" and backslash \\", "naïve 東京 🚀", String(repeating: "x", count: 5_000), "end"]
            let rows = BatchRows(["n": .int(numbers), "t": .text(texts), "d": .decimal(numbers.map(Decimal6.init(micros:)))])
            let read = try await database.withConnection { db in
                try await rows.with("SELECT n, t, d FROM v ORDER BY n", on: db).map {
                    (try $0.decode(column: "n", as: Int64.self), try $0.decode(column: "t", as: String.self), try $0.decimal("d"))
                }
            }
            let expected = zip(numbers, texts).sorted { $0.0 < $1.0 }
            #expect(read.map(\.0) == expected.map(\.0))
            #expect(read.map(\.1) == expected.map(\.1))
            #expect(read.map(\.2) == expected.map { Decimal6(micros: $0.0) })
        }
    }

    private func createScratchTable(_ database: any DatabaseClient) async throws {
        let ddl = "CREATE TABLE scratch (id BIGSERIAL PRIMARY KEY, amount NUMERIC(18,6) NOT NULL, at TIMESTAMPTZ, doc JSONB)"
        try await database.withConnection { db in
            try await db.raw(SQLQueryString(database.dialect == .sqlite ? try SQLiteDDLTranslator.translate(ddl) : ddl)).run()
        }
    }

    @discardableResult
    private func roundTrip(_ value: Decimal6, _ database: any DatabaseClient) async throws -> Decimal6 {
        try await database.withConnection { db in
            let id = try await db.insert(into: "scratch").columns("amount").values(SQLBind(StoredDecimal(value)))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            let row = try await db.select().column("amount").from("scratch").where("id", .equal, SQLBind(id)).first()
            return try #require(row).decimal("amount")
        }
    }
}
