import Foundation
import HTTPTypes
import MBTDomain
import MBTMarketData
import Testing

/// Whether a symbol trades comes from the market's universe and option chains, not from whether
/// it is quoted right now; refused symbols are stored `rejected` with the reason.
@Suite("Orders: tradable symbols")
struct OrderListingTests {
    static let orders = "/api/trading/orders"

    static func ticket(_ symbol: String, _ type: String = "market", limit: String? = nil) -> String {
        OrderRoutesTests.ticket(symbol, "buy", "1", type: type, limit: limit)
    }

    @Test(arguments: [
        ("ZZZZ", "unknown symbol ZZZZ: the market does not list it for trading"),
        ("AAPL260320C00176000", "AAPL260320C00176000 is not a listed contract; listed strikes nearby: 175.000000"),
        ("AAPL260417C00175000", "AAPL260417C00175000 is not a listed contract; the market lists no calls of AAPL expiring 2026-04-17"),
        ("AAPL260313C00175000", "AAPL260313C00175000 expired on 2026-03-13; it can no longer be traded"),
    ])
    func unlistedSymbolsAreRejectedWithTheReason(symbol: String, message: String) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for ticket in [Self.ticket(symbol), Self.ticket(symbol, "limit", limit: "1.00")] {
                let response = try await app.request(.post, Self.orders, token: token, body: ticket)
                #expect(response.status == .unprocessableContent)
                #expect(try response.errorCode() == "invalid_symbol")
                #expect(try response.errorMessage() == message)
                let order = try #require(try response.json()["order"] as? [String: Any])
                #expect(order["status"] as? String == "rejected")
            }
        }
    }

    @Test func aListedContractTrades() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, Self.orders, token: token, body: Self.ticket("AAPL260320C00175000"))
            #expect(response.status == .created)
            #expect(try response.json()["status"] as? String == "filled")
        }
    }

    /// A recording of bars alone, before the open: nothing is quoted, but the symbols trade.
    @Test func beforeTheOpenALimitOrderRestsAndAMarketOrderWaitsWithoutAQuote() async throws {
        let open = TestApp.now.addingTimeInterval(-30 * 60)  // 09:30 New York
        let bars = (0..<5).map { minute in
            Bar(symbol: "SYM000", start: open.addingTimeInterval(Double(minute) * 60), open: 50, high: 51, low: 49, close: 50, volume: 10)
        }
        let early = open.addingTimeInterval(-2 * 3600)
        let recording = ReplayRecording(quotes: [], bars: bars)
        try await TestApp.run(provider: ReplayMarket(recording: recording, clock: FixedClock(early)), at: early) { app in
            let (_, token) = try await app.user("alice")
            let limit = try await app.request(.post, Self.orders, token: token, body: Self.ticket("SYM000", "limit", limit: "49.50"))
            #expect(limit.status == .created, "\(String(buffer: limit.body))")
            #expect(try limit.json()["status"] as? String == "accepted")
            let market = try await app.request(.post, Self.orders, token: token, body: Self.ticket("SYM000"))
            #expect(market.status == .created, "\(String(buffer: market.body))")
            #expect(try market.json()["status"] as? String == "accepted")
        }
    }
}
