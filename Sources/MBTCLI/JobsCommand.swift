import ArgumentParser
import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// `mbt jobs`: the daily jobs' table and recent runs, and running one for a date by hand.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List the daily jobs or run one for a date.", subcommands: [List.self, Run.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each job, its schedule (New York time) and its last runs.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let runs = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: CommandEnvironment.logger()) {
                try await JobRunStore(database: $0).recent(limit: 200)
            }
            for job in DailyJob.allCases {
                print("\(job.rawValue)  \(job.scheduleDescription)")
                for run in runs.filter({ $0.job == job.rawValue }).prefix(3) {
                    let counts = "\(run.accounts) account(s), \(run.rowsWritten) row(s)"
                    print("    \(run.date)  \(run.status.rawValue)  \(counts)\(run.error.map { "  error: \($0)" } ?? "")")
                }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one job for a market date; a finished date runs again only with --force (and changes nothing).")

        @Argument(help: "The job's name, as `mbt jobs list` shows it.") var name: String
        @Option(help: "The market date, YYYY-MM-DD.") var date: String
        @Flag(help: "Run a date that already finished.") var force = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var market: MarketOptions

        func validate() throws {
            guard DailyJob(rawValue: name) != nil else {
                throw ValidationError("unknown job \(name); the jobs are \(DailyJob.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard MarketDate(iso: date) != nil else { throw ValidationError("--date must be a date YYYY-MM-DD, such as 2026-03-20") }
        }

        func run() async throws {
            guard let job = DailyJob(rawValue: name), let date = MarketDate(iso: date) else { return }
            let logger = CommandEnvironment.logger()
            let (provider, clock) = try market.make(environment: ProcessInfo.processInfo.environment, logger: logger)
            guard date <= MarketDate(containing: clock.now()) else {
                throw CommandFailure(
                    "--date \(date) is in the future of the market clock (today is \(MarketDate(containing: clock.now())))")
            }
            let outcome = try await CommandEnvironment.withCurrentSchema(try database.resolve(), logger: logger) { database in
                let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: logger)
                let marketData = MarketDataService(provider: provider, clock: clock, accessLog: accessLog)
                var context = JobContext(
                    database: database, marketData: marketData, calendar: NYSECalendar(),
                    taxLedger: TaxLedger(database: database, logger: logger),
                    logger: logger)
                context.progress = ProgressLine.forTerminal("\(job.rawValue) \(date)")
                let runner = JobRunner(
                    context: context, owner: "cli-\(ProcessInfo.processInfo.processIdentifier)", leaseClock: SystemClock())
                let outcome = try await runner.run(job, on: date, force: force)
                await accessLog.flush()
                return outcome
            }
            switch outcome {
            case .ran(let run):
                print("\(run.job) \(run.date): \(run.status.rawValue), \(run.accounts) account(s), \(run.rowsWritten) row(s) written")
                if run.status == .failed { throw CommandFailure("\(run.job) \(run.date) failed: \(run.error ?? "see the log")") }
            case .skipped(let run?) where run.status == .succeeded:
                throw CommandFailure("\(run.job) \(run.date) already succeeded; add --force to run it again (it changes nothing)")
            case .skipped(let run?):
                throw CommandFailure(
                    "\(run.job) \(run.date) is being run by \(run.owner) (lease until \(run.leaseUntil.formatted(.iso8601)))")
            case .skipped(nil):
                throw CommandFailure("\(name) \(date) could not be claimed")
            }
        }
    }
}
