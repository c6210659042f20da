import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import Testing

/// `GET /api/admin/metrics`: admins read the Prometheus exposition, and it moves when orders are placed
/// (docs/metrics.md). The registry is the process's, shared by concurrent tests, so the checks
/// compare before and after rather than absolute values.
@Suite("Metrics")
struct MetricsTests {
    /// The value of the sample line that starts with `prefix` (name and labels), 0 when absent.
    static func sample(_ text: String, _ prefix: String) -> Double {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    @Test func ordersFillsAndRequestsMoveTheMetrics() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let (_, admin) = try await app.user("root", role: .admin)
            #expect(try await app.request(.get, "/api/admin/metrics", token: token).status == .notFound)

            let before = String(buffer: try await app.request(.get, "/api/admin/metrics", token: admin).body)
            #expect(
                try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "1")).status
                    == .created)
            _ = try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "0"))
            let response = try await app.request(.get, "/api/admin/metrics", token: admin)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let after = String(buffer: response.body)

            let filled = #"mbt_orders_total{type="market",class="simple",outcome="filled"}"#
            #expect(Self.sample(after, filled) >= Self.sample(before, filled) + 1, "\(after)")
            let fills = #"mbt_fills_total{rule="market_at_quote"}"#
            #expect(Self.sample(after, fills) >= Self.sample(before, fills) + 1)
            let refused = #"mbt_order_rejections_total{reason="invalid_quantity"}"#
            #expect(Self.sample(after, refused) >= Self.sample(before, refused) + 1)
            #expect(after.contains("hb_requests") || after.contains("http_server_request_duration"), "Hummingbird's request metrics")
            #expect(!after.contains(token) && !after.contains(admin), "no secret in a metric")
            if TestDatabase.dialect == .postgres {
                let waits = "mbt_db_connection_wait_seconds_count"
                #expect(Self.sample(after, waits) > Self.sample(before, waits), "the pool's waits are measured")
                #expect(after.contains("mbt_db_connections_in_use"))
            }
        }
    }
}
