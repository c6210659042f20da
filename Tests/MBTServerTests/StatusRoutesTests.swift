import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("GET /api/trading/status: bar loop state and the delayed-fills banner")
struct StatusRoutesTests {
    @Test("no watermarks: no bar walked yet, no banner, and this process runs no loop")
    func empty() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/trading/status", token: token)
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["market_open"] as? Bool == true)
            #expect(body["last_bar_at"] is NSNull || body["last_bar_at"] == nil)
            #expect(body["bars_caught_up"] as? Int == 0)
            #expect(body["delayed_fills_banner"] as? Bool == false)
            #expect((body["bar_loop"] as? [String: Any])?["running"] as? Bool == false)
        }
    }

    @Test("the banner shows when today's catch-up walked more bars than the threshold, not for yesterday's", arguments: [
        (bars: 30, hoursAgo: 0.5, banner: true), (bars: 3, hoursAgo: 0.5, banner: false), (bars: 300, hoursAgo: 30, banner: false),
    ])
    func banner(bars: Int, hoursAgo: Double, banner: Bool) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let caughtUpAt = TestApp.now.addingTimeInterval(-hoursAgo * 3600)
            try await app.database.withConnection { db in
                try await db.insert(into: "bar_watermarks")
                    .columns("symbol", "last_bar_at", "bars_caught_up", "caught_up_at", "updated_at")
                    .values(
                        SQLBind("AAPL"), SQLBind(StoredTimestamp(TestApp.now.addingTimeInterval(-60))), SQLBind(bars),
                        SQLBind(StoredTimestamp(caughtUpAt)), SQLBind(StoredTimestamp(caughtUpAt))
                    )
                    .run()
            }
            let body = try await app.request(.get, "/api/trading/status", token: token).json()
            #expect(body["delayed_fills_banner"] as? Bool == banner)
            #expect(body["bars_caught_up"] as? Int == (hoursAgo < 10 ? bars : 0))
            #expect(body["symbols_caught_up"] as? Int == (hoursAgo < 10 ? 1 : 0))
            #expect(body["last_bar_at"] as? String == "2026-03-20T13:59:00Z")
        }
    }

    @Test("the status needs a token")
    func needsAuthentication() async throws {
        try await TestApp.run { app in
            let response = try await app.request(.get, "/api/trading/status")
            #expect(response.status == .unauthorized)
        }
    }
}
