import Foundation
@testable import MBTCLI
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

/// `mbt jobs run paper.assignment_at_expiry` killed with SIGKILL mid-run, some accounts settled and
/// the rest not: a `serve` with the scheduler on takes the abandoned job-date over once its lease
/// lapses and settles the rest; no option is settled twice and `mbt verify` is clean
/// (docs/jobs.md, "Exactly once").
@Suite(
    "jobs: a run killed mid-job", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["MBT_FAULT_TESTS"] == "1", "the fault tests run on their own: scripts/test.sh")
)
struct KilledJobTests {
    /// Friday 2026-03-20, a monthly expiry, and 21:00 New York that evening (the expiry ran at 16:15).
    static let friday = MarketDate(year: 2026, month: 3, day: 20)!
    static let opened = Date(timeIntervalSince1970: 1_774_013_400)
    static let evening = "2026-03-21T01:00:00Z"
    static let accounts = 2_000
    static let roots = ["AAPL", "MSFT", "NVDA", "AMZN"]

    @Test func anAbandonedExpiryIsFinishedByAServerAndNothingIsSettledTwice() async throws {
        try await TestDatabase.withFresh { database, url in
            let total = try await Self.openOptionPositions(in: database)
            let environment = ["DATABASE_URL": url.connectionString]
            let job = try CLIProcess.start(
                ["jobs", "run", DailyJob.assignmentAtExpiry.rawValue, "--date", "\(Self.friday)", "--market", "simulated",
                 "--clock-start", Self.evening],
                environment: environment, output: .discarded)
            defer { if job.isRunning { job.terminate() } }

            // Kill it once some accounts are settled (their batches committed).
            let started = ContinuousClock.now
            var open = total
            while open == total && job.isRunning && ContinuousClock.now - started < .seconds(120) {
                try await Task.sleep(for: .milliseconds(50))
                open = try await Self.openOptions(database)
            }
            kill(job.processIdentifier, SIGKILL)
            job.waitUntilExit()
            open = try await Self.openOptions(database)
            #expect(open > 0 && open < total, "killed with \(open) of \(total) options open: not mid-run, the test needs more positions")
            let abandoned = try #require(try await Self.expiryRun(database))
            #expect(abandoned.status == .running)

            let port = TestPort.random()
            let serve = try CrashRecoveryTests.serve(port: port, url: url, clockStart: Self.evening, jobs: true)
            defer { if serve.isRunning { serve.terminate() } }
            let waiting = ContinuousClock.now
            var finished: JobRunStore.Run?
            // A bound so a broken takeover fails rather than hangs, not a speed target: the lease
            // lapses after 15 s, then the rest is settled, which a slow machine takes a minute over.
            while finished == nil && ContinuousClock.now - waiting < .seconds(180) {
                try await Task.sleep(for: .milliseconds(250))
                finished = try await Self.expiryRun(database).flatMap { $0.status == .running ? nil : $0 }
            }
            let run = try #require(finished, "the abandoned run was not finished within 180 s; serve's log:\n\(CrashRecoveryTests.logTail(port: port))")
            #expect(run.status == .succeeded && run.owner != abandoned.owner, "\(run)")
            #expect(run.rowsWritten == open, "the takeover settled the \(open) options left, no more")
            #expect(try await Self.openOptions(database) == 0)
            #expect(try await Self.optionsNotFilledExactlyTwice(database).isEmpty, "an option opened once and settled once")
            let verify = try await CLIProcess.run(["verify"], environment: environment)
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    /// Long and short calls and puts on four underlyings, strikes far apart so some are exercised
    /// or assigned and the rest expire, through the ledger's own statements.
    static func openOptionPositions(in database: any DatabaseClient) async throws -> Int {
        let users = try await BenchData.createUsersInBulk(accounts, in: database, at: opened)
        var holdings: [BenchData.Holding] = []
        for (account, userId) in users.enumerated() {
            for leg in roots.indices {
                let strike = Decimal6(50 + 100 * ((account + leg) % 4))
                let right: OptionSymbol.Right = (account + leg) % 2 == 0 ? .call : .put
                let contract = try OptionSymbol(root: roots[leg], expiry: friday, right: right, strike: strike)
                holdings.append(
                    BenchData.Holding(
                        userId: userId, symbol: contract.description, assetClass: .option, side: account % 3 == 0 ? .sell : .buy,
                        quantity: 1, price: 1))
            }
        }
        try await BenchData.open(holdings, in: database, at: opened)
        return holdings.count
    }

    static func openOptions(_ database: any DatabaseClient) async throws -> Int {
        try await database.withConnection { db in try await LedgerStore.openOptionPositions(on: db) }.count
    }

    static func expiryRun(_ database: any DatabaseClient) async throws -> JobRunStore.Run? {
        try await JobRunStore(database: database).run(job: DailyJob.assignmentAtExpiry.rawValue, date: friday.description)
    }

    /// (account, contract) pairs with other than two fills: the opening one and the settlement.
    static func optionsNotFilledExactlyTwice(_ database: any DatabaseClient) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT o.user_id, o.symbol, COUNT(*) AS fills FROM paper_fills f JOIN paper_orders o ON o.id = f.paper_order_id \
                WHERE o.asset_class = 'option' GROUP BY o.user_id, o.symbol HAVING COUNT(*) <> 2
                """
            ).all().map { row in
                "\(try row.decode(column: "user_id", as: Int64.self)) \(try row.decode(column: "symbol", as: String.self)): \(try row.decode(column: "fills", as: Int.self))"
            }
        }
    }
}
