import Metrics
import Prometheus

/// The process's Prometheus registry, installed as the swift-metrics backend once per process
/// (docs/metrics.md). Everything MBT counts goes through swift-metrics (`Counter`, `Timer`,
/// `Gauge`), so the domain and trading code know nothing of Prometheus.
public enum PrometheusMetrics {
    public static let registry = PrometheusCollectorRegistry()

    private static let installed: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Makes the registry the metrics backend; later calls do nothing.
    public static func install() {
        _ = installed
    }

    /// The text exposition format, what `/metrics` answers.
    static func exposition() -> String {
        registry.emitToString()
    }
}
