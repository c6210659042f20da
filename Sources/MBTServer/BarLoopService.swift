import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTTrading
import ServiceLifecycle

/// Runs the bar loop inside `serve`: a tick whenever a new minute has been published by the market
/// clock, so a simulated clock running 60× ticks every real second and a live one every minute.
/// A failed tick is logged and retried on the next poll from the watermarks, which is what makes
/// the loop resumable; at shutdown the engine hands its symbols back.
public struct BarLoopService: Service {
    public let evaluator: RestingOrderEvaluator
    /// Real time between looks at the clock.
    public let pollInterval: Duration
    public let logger: Logger

    public init(evaluator: RestingOrderEvaluator, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.evaluator = evaluator
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await renewLeases() }
            await tickLoop()
            group.cancelAll()
        }
        // Also when the task was cancelled rather than shut down gracefully: a new task does not
        // inherit the cancellation, and the symbols should go to another engine at once either way.
        await Task { try? await evaluator.release() }.value
    }

    /// A tick whenever a new minute is published, or at once when another engine's claims lapse
    /// (it died), so its symbols are taken over and caught up within a second of lapsing.
    private func tickLoop() async {
        var walkedTo: Date?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let end = evaluator.windowEnd(at: evaluator.marketData.clock.now())
            var due = walkedTo.map { $0 < end } ?? true
            if !due { due = (try? await evaluator.othersHaveLapsed()) ?? false }
            if due {
                do {
                    let report = try await evaluator.tick()
                    walkedTo = end
                    log(report)
                } catch {
                    logger.error("bar loop tick failed; retrying from the watermarks", metadata: ["error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }

    /// Renews this engine's claims every third of a lease, also while a long catch-up runs;
    /// stops once shutdown begins, so the claims lapse (or are released) for another engine.
    private func renewLeases() async {
        let interval = Duration.seconds(evaluator.settings.leaseDuration / 3)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            do {
                try await evaluator.renewLeases()
            } catch {
                logger.warning("bar loop could not renew its leases", metadata: ["error": "\(error)"])
            }
        }
    }

    private func log(_ report: RestingOrderEvaluator.TickReport) {
        let outcomes = report.outcomes
        guard outcomes.filled + outcomes.expired + outcomes.canceled > 0 else { return }
        logger.info(
            "bar loop tick",
            metadata: [
                "symbols": "\(report.symbols)", "bars": "\(report.bars)", "filled": "\(outcomes.filled)",
                "expired": "\(outcomes.expired)", "canceled": "\(outcomes.canceled)",
            ])
    }
}
