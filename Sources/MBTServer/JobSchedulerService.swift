import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading
import ServiceLifecycle

/// Runs the daily jobs inside `serve` (off with `--no-jobs`): every poll it asks the
/// ``JobScheduler`` which job-dates are due on the market clock and runs them; several servers on
/// one database share the work through the `job_runs` claims (docs/jobs.md).
public struct JobSchedulerService: Service {
    public let scheduler: JobScheduler
    public let pollInterval: Duration
    public let logger: Logger

    public init(scheduler: JobScheduler, pollInterval: Duration = .seconds(2), logger: Logger) {
        self.scheduler = scheduler
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for outcome in try await scheduler.runDue(at: scheduler.context.marketData.clock.now()) {
                    guard case .ran(let run) = outcome else { continue }
                    logger.info(
                        "job ran",
                        metadata: [
                            "job": "\(run.job)", "date": "\(run.date)", "status": "\(run.status.rawValue)", "accounts": "\(run.accounts)",
                            "rows": "\(run.rowsWritten)",
                        ])
                }
            } catch {
                logger.error("job scheduler pass failed; retrying", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }
}
