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

    /// The accounts per transaction of a job whose own batch is `size`.
    func batchSize(_ size: Int) -> Int { accountsPerBatch ?? size }

    /// Reports the accounts done once batch `index` (of `size` accounts each) is written.
    func reportProgress(batch index: Int, of size: Int, total: Int) async {
        await progress?.report(min((index + 1) * size, total), total)
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
