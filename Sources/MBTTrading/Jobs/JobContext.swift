import Logging
import MBTDomain
import MBTMarketData
import MBTStorage

/// What every daily job works with: the database, the market (its clock, prices and corporate
/// actions), the calendar, and the ledger's one writer for every account it changes (docs/jobs.md).
public struct JobContext: Sendable {
    public let database: any DatabaseClient
    public let marketData: MarketDataService
    public let calendar: NYSECalendar
    public let taxLedger: TaxLedger
    public let logger: Logger
    /// Told after each batch of a long run how many accounts are done (the CLI's progress line).
    public var progress: JobProgress?
    /// Accounts per transaction, instead of each job's own (tests run small batches).
    public var accountsPerBatch: Int?
    let writer: LedgerWriter

    /// `postFillHook` is the tax ledger unless given (benchmarks measure the jobs without it).
    public init(
        database: any DatabaseClient, marketData: MarketDataService, calendar: NYSECalendar, taxLedger: TaxLedger, logger: Logger,
        postFillHook: (any PostFillHook)? = nil
    ) {
        self.database = database
        self.marketData = marketData
        self.calendar = calendar
        self.taxLedger = taxLedger
        self.logger = logger
        self.writer = LedgerWriter(database: database, postFillHook: postFillHook ?? taxLedger)
    }

    /// Transactions a job runs at once: its batches lock disjoint accounts, so two keep both the
    /// database's and this process's cores busy (SQLite takes them one after the other anyway).
    static let concurrentBatches = 2

    /// Runs `body` over `userIds` in batches of `size` accounts (``accountsPerBatch`` when set),
    /// ``concurrentBatches`` at a time, reporting progress as batches finish; returns each batch
    /// with its result or error, in batch order.
    func inBatches<T: Sendable>(
        _ userIds: [Int64], size: Int, _ body: @escaping @Sendable ([Int64]) async throws -> T
    ) async -> [(batch: [Int64], result: Result<T, any Error>)] {
        let batches = userIds.chunked(into: accountsPerBatch ?? size)
        var results = [Result<T, any Error>?](repeating: nil, count: batches.count)
        await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            var next = 0
            var done = 0
            func start() {
                let index = next
                next += 1
                group.addTask {
                    do {
                        return (index, .success(try await body(batches[index])))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(Self.concurrentBatches, batches.count) { start() }
            for await (index, result) in group {
                results[index] = result
                done += batches[index].count
                await progress?.report(done, userIds.count)
                if next < batches.count { start() }
            }
        }
        return zip(batches, results).map { ($0, $1 ?? .failure(CancellationError())) }
    }
}

/// How far a run is: accounts done out of the total, reported after each batch.
public struct JobProgress: Sendable {
    public let report: @Sendable (_ done: Int, _ total: Int) async -> Void

    public init(_ report: @escaping @Sendable (_ done: Int, _ total: Int) async -> Void) {
        self.report = report
    }
}

/// What one run of a job did, recorded in `job_runs`.
public struct JobReport: Sendable, Hashable {
    public var accounts = 0
    public var rowsWritten = 0
    /// Accounts (or items) the job could not finish, each with why; the rest are done, and a
    /// re-run finishes these.
    public var failures: [String] = []
    public var detail = ""

    public init(accounts: Int = 0, rowsWritten: Int = 0, failures: [String] = [], detail: String = "") {
        self.accounts = accounts
        self.rowsWritten = rowsWritten
        self.failures = failures
        self.detail = detail
    }
}

/// One daily job's work for one market date. Running it twice for a date changes nothing the
/// second time: every row it writes is keyed so (docs/jobs.md).
public protocol JobAction: Sendable {
    func run(on date: MarketDate, context: JobContext) async throws -> JobReport
}
