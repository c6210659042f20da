import Foundation
import MBTDomain
import Metrics

/// What the trading services count (docs/metrics.md), through swift-metrics: orders by type and
/// outcome, refusals by reason, fills by rule, the bar loop's lag and catch-up, and the daily jobs.
enum TradingMetrics {
    /// A submission's outcome: the order as stored (filled, accepted to rest, rejected, canceled).
    static func placed(_ order: PaperOrder) {
        Counter(
            label: "mbt_orders_total",
            dimensions: [("type", order.type.rawValue), ("class", order.orderClass.rawValue), ("outcome", order.status.rawValue)]
        ).increment()
    }

    static func refused(_ reason: OrderRejection.Code) {
        Counter(label: "mbt_order_rejections_total", dimensions: [("reason", reason.rawValue)]).increment()
    }

    static func filled(_ fills: [Fill]) {
        for (rule, count) in Dictionary(grouping: fills, by: \.rule).mapValues(\.count) {
            Counter(label: "mbt_fills_total", dimensions: [("rule", rule.rawValue)]).increment(by: count)
        }
    }

    /// One bar-loop tick: how far behind market time its newest walked minute is, and what it caught up.
    static func tick(_ report: RestingOrderEvaluator.TickReport, at now: Date, took: Duration) {
        Timer(label: "mbt_bar_loop_tick_duration_seconds").recordInterval(took)
        if let last = report.lastBarAt { Gauge(label: "mbt_bar_loop_lag_seconds").record(now.timeIntervalSince(last)) }
        if report.barsCaughtUp > 0 { Counter(label: "mbt_bars_caught_up_total").increment(by: report.barsCaughtUp) }
    }

    static func tickFailed() {
        Counter(label: "mbt_bar_loop_tick_failures_total").increment()
    }

    static func job(_ name: String, status: String, took: Duration) {
        Timer(label: "mbt_job_duration_seconds", dimensions: [("job", name)]).recordInterval(took)
        Counter(label: "mbt_job_runs_total", dimensions: [("job", name), ("status", status)]).increment()
    }
}

extension Timer {
    func recordInterval(_ duration: Duration) {
        recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
