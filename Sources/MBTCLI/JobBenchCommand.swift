import ArgumentParser
import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading
import SQLKit

/// `mbt bench jobs`: the daily jobs' targets, on a database it fills in bulk through the ledger's
/// own statements (orders, fills, positions, cash), so `mbt verify` holds before and after.
///
/// - `expiry`: `paper.assignment_at_expiry` over `--positions` option positions (long and short
///   calls and puts, strikes 80 to 120 around a close of 100, so some are exercised or assigned
///   and the rest expire) spread over `--accounts` accounts. Target: 100,000 over 10,000, < 10 s
///   on PostgreSQL.
/// - `snapshot`: `paper.eod_snapshot` of `--accounts` accounts holding two stocks each. Target:
///   100,000 accounts, < 10 s on PostgreSQL.
struct JobBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Daily jobs: option expiry over 100,000 positions, a snapshot of 100,000 accounts.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case expiry
        case snapshot
    }

    @Argument(help: "expiry or snapshot.") var mode: Mode = .expiry
    @Option(help: "Database URL of an empty database (default: a new SQLite file).") var databaseURL: String?
    @Option(help: "Accounts (default 10,000 for expiry, 100,000 for snapshot).") var accounts: Int?
    @Option(help: "Option positions for expiry (default 100,000).") var positions = 100_000
    @Option(help: "Underlyings the options (and the snapshot's stocks) are on; an account holds at most one contract of each.")
    var underlyings = 20
    @Flag(inversion: .prefixedNo, help: "Run the tax ledger as the post-fill hook, as serve does.") var taxLedger = true

    func validate() throws {
        if let accounts, !(1...1_000_000).contains(accounts) { throw ValidationError("--accounts must be 1...1000000") }
        guard (1...2_000_000).contains(positions) else { throw ValidationError("--positions must be 1...2000000") }
        guard (1...500).contains(underlyings) else { throw ValidationError("--underlyings must be 1...500") }
    }

    /// Friday 2026-03-20, a monthly expiry: 09:30 and 16:00 New York.
    static let open = BarBench.open
    static let close = open.addingTimeInterval(390 * 60)
    static let expiry = MarketDate(containing: open)

    func run() async throws {
        try await BenchData.withEmptyDatabase(databaseURL, name: "jobs") { database, logger in
            switch mode {
            case .expiry: try await benchExpiry(database, logger: logger)
            case .snapshot: try await benchSnapshot(database, logger: logger)
            }
            print("  peak resident memory (setup included): \(PeakMemory.megabytes()) MB")
        }
    }

    private func benchExpiry(_ database: any DatabaseClient, logger: Logger) async throws {
        let accountCount = accounts ?? 10_000
        let names = BarBench.symbolNames(underlyings)
        let setup = ContinuousClock.now
        let userIds = try await BenchData.createUsersInBulk(accountCount, in: database, at: Self.open)
        let strikes: [Decimal6] = [80, 85, 90, 95, 100, 105, 110, 115, 120]
        // Each account holds options on different underlyings, so no two of its positions share a contract.
        let perAccount = max(1, min(names.count, positions / accountCount))
        let holdings = userIds.enumerated().flatMap { account, userId in
            (0..<perAccount).map { leg -> BenchData.Holding in
                let contract = try! OptionSymbol(
                    root: names[(account + leg) % names.count], expiry: Self.expiry, right: (account + leg) % 2 == 0 ? .call : .put,
                    strike: strikes[(account * 7 + leg) % strikes.count])
                return BenchData.Holding(
                    userId: userId, symbol: contract.description, assetClass: .option, side: (account + leg / 2) % 2 == 0 ? .buy : .sell,
                    quantity: 1, price: 1)
            }
        }
        try await BenchData.open(holdings, in: database, at: Self.open)
        if taxLedger { try await BenchData.taxEveryAccount(userIds, in: database, logger: logger) }
        print(
            "setup: \(holdings.count) option positions on \(underlyings) underlyings over \(accountCount) accounts in \(BarBench.seconds(since: setup))"
        )
        let bars = names.flatMap { BarBench.flatSession($0, from: Self.open, price: 100) }
        let run = try await runJob(.assignmentAtExpiry, bars: bars, at: Self.close.addingTimeInterval(15 * 60), database, logger: logger)
        print("expiry: \(run.accounts) accounts, \(run.rowsWritten) positions settled, \(run.status.rawValue), in \(run.elapsed)")
    }

    private func benchSnapshot(_ database: any DatabaseClient, logger: Logger) async throws {
        let accountCount = accounts ?? 100_000
        let names = BarBench.symbolNames(underlyings)
        let setup = ContinuousClock.now
        let userIds = try await BenchData.createUsersInBulk(accountCount, in: database, at: Self.open)
        let holdings = userIds.enumerated().flatMap { index, userId in
            (0..<2).map { leg in
                BenchData.Holding(
                    userId: userId, symbol: names[(index + leg) % names.count], assetClass: .usEquity, side: .buy, quantity: 10, price: 100)
            }
        }
        try await BenchData.open(holdings, in: database, at: Self.open)
        print("setup: \(accountCount) accounts with \(holdings.count) stock positions in \(BarBench.seconds(since: setup))")
        let bars = names.flatMap { BarBench.flatSession($0, from: Self.open, price: 101) }
        let run = try await runJob(.eodSnapshot, bars: bars, at: Self.close.addingTimeInterval(3600), database, logger: logger)
        print("snapshot: \(run.accounts) accounts, \(run.rowsWritten) rows, \(run.status.rawValue), in \(run.elapsed)")
    }

    private func runJob(_ job: DailyJob, bars: [Bar], at instant: Date, _ database: any DatabaseClient, logger: Logger) async throws
        -> (accounts: Int, rowsWritten: Int, status: JobRunStore.Status, elapsed: String)
    {
        let clock = FixedClock(instant)
        let market = ReplayMarket(recording: ReplayRecording(quotes: [], bars: bars), clock: clock)
        let marketData = MarketDataService(
            provider: market, clock: clock,
            accessLog: AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: logger))
        let ledger = TaxLedger(database: database, logger: logger)
        var context = JobContext(
            database: database, marketData: marketData, calendar: NYSECalendar(), taxLedger: ledger, logger: logger,
            postFillHook: taxLedger ? ledger : NoPostFillHook())
        context.progress = ProgressLine.forTerminal(job.rawValue)
        let started = ContinuousClock.now
        let outcome = try await JobRunner(context: context, owner: "bench", leaseClock: clock).run(job, on: Self.expiry)
        let elapsed = BarBench.seconds(since: started)
        guard case .ran(let run) = outcome else { throw CommandFailure("\(job.rawValue) did not run") }
        if let error = run.error { print("errors: \(error.prefix(500))") }
        return (run.accounts, run.rowsWritten, run.status, elapsed)
    }
}
