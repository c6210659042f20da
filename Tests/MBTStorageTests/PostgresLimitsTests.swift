import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

/// Every PostgreSQL connection MBT opens bounds its statements and its idle transactions on the
/// server (docs/operations.md, "Limits"), so no call can run or hold locks for ever; a statement
/// cut off that way counts as the database not answering (a 503, not a 500).
@Suite("PostgreSQL connection limits", .enabled(if: TestDatabase.dialect == .postgres, "PostgreSQL only"))
struct PostgresLimitsTests {
    @Test func statementsAndIdleTransactionsAreBounded() async throws {
        try await TestDatabase.withFresh { database in
            let settings = try await database.withConnection { db in
                (
                    try await db.raw("SHOW statement_timeout").first()?.decode(column: "statement_timeout", as: String.self),
                    try await db.raw("SHOW idle_in_transaction_session_timeout").first()?.decode(
                        column: "idle_in_transaction_session_timeout", as: String.self)
                )
            }
            #expect(settings.0 == "1min" && settings.1 == "1min", "\(settings)")
        }
    }

    /// The test cluster's default is `synchronous_commit = off` (scripts/test.sh); MBT's sessions
    /// wait for their commits all the same (docs/operations.md, "Durability").
    @Test func commitsAreSynchronousWhateverTheServerDefault() async throws {
        try await TestDatabase.withFresh { database in
            let setting = try await database.withConnection { db in
                try await db.raw("SHOW synchronous_commit").first()?.decode(column: "synchronous_commit", as: String.self)
            }
            #expect(setting == "on")
        }
    }

    @Test func aStatementPastItsLimitIsTheDatabaseNotAnswering() async throws {
        try await TestDatabase.withFresh { database in
            let failure = await #expect(throws: (any Error).self) {
                try await database.withTransaction { db in
                    try await db.raw("SET LOCAL statement_timeout = 50").run()
                    try await db.raw("SELECT pg_sleep(1)").run()
                }
            }
            #expect(failure.map(DatabaseFailure.isUnavailable) == true, "\(String(describing: failure))")
        }
    }
}
