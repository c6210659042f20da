import Metrics

/// What the Alpaca client counts (docs/metrics.md): calls by endpoint and status, transport
/// failures, retries, and the rate-limit budget Alpaca last reported.
enum UpstreamMetrics {
    static func answered(path: String, status: Int, rateLimitRemaining: Int?) {
        Counter(label: "mbt_market_data_upstream_requests_total", dimensions: [("endpoint", path), ("status", "\(status)")]).increment()
        if let rateLimitRemaining { Gauge(label: "mbt_market_data_rate_limit_remaining").record(rateLimitRemaining) }
    }

    static func failed(path: String) {
        Counter(label: "mbt_market_data_upstream_errors_total", dimensions: [("endpoint", path)]).increment()
    }

    static func retried(path: String) {
        Counter(label: "mbt_market_data_upstream_retries_total", dimensions: [("endpoint", path)]).increment()
    }
}
