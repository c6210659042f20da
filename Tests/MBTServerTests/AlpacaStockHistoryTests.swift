import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTMarketData
import MBTTestSupport
import SQLKit
import Testing

/// `/v2/stocks/trades` and `/v2/stocks/quotes`: historical, paged with `next_page_token`, from
/// the market's bars and quote history, access-logged per user (docs/alpaca-api.md, "Market data").
@Suite("Alpaca historical quotes and trades")
struct AlpacaStockHistoryTests {
    static let start = "&start=2026-03-20T13:30:00Z"

    @Test func tradesAreTheMinuteBarsClosesPagedInEitherOrder() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let all = try await alice.object(.get, "/v2/stocks/trades?symbols=AAPL,MSFT" + Self.start)
            let trades = try #require((all["trades"] as? [String: [[String: Any]]])?["AAPL"])
            #expect(trades.count == 10 && (all["trades"] as? [String: Any])?["MSFT"] == nil)
            #expect(trades[0]["t"] as? String == "2026-03-20T13:51:00.000000Z" && trades[0]["p"] as? Double == 172.5)
            #expect(trades[0]["s"] as? Int == 0)
            #expect(all["next_page_token"] is NSNull)

            let first = try await alice.object(.get, "/v2/stocks/trades?symbols=AAPL&limit=4&sort=desc" + Self.start)
            #expect((first["trades"] as? [String: [[String: Any]]])?["AAPL"]?.first?["t"] as? String == "2026-03-20T14:00:00.000000Z")
            #expect(first["next_page_token"] as? String == "4")
            let rest = try await alice.object(.get, "/v2/stocks/trades?symbols=AAPL&limit=10&sort=desc&page_token=4" + Self.start)
            #expect((rest["trades"] as? [String: [[String: Any]]])?["AAPL"]?.count == 6 && rest["next_page_token"] is NSNull)

            let one = try await alice.object(.get, "/v2/stocks/AAPL/trades?limit=2" + Self.start)
            #expect(one["symbol"] as? String == "AAPL" && (one["trades"] as? [Any])?.count == 2 && one["next_page_token"] as? String == "2")

            for bad in ["/v2/stocks/trades?start=2026-03-20T13:30:00Z", "/v2/stocks/trades?symbols=AAPL&start=2026-01-01T00:00:00Z"] {
                let response = try await alice.request(.get, bad)
                #expect(response.status == .unprocessableContent, "\(bad)")
            }
            await app.marketData.accessLog.flush()
            #expect(try await Self.logged(app, user: "alice").contains("AAPL"))
        }
    }

    @Test func quotesAreTheQuotesStandingAtEachSessionMinute() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let all = try await alice.object(.get, "/v2/stocks/quotes?symbols=AAPL,MSFT" + Self.start)
            let quotes = try #require(all["quotes"] as? [String: [[String: Any]]])
            // The recording holds one quote per symbol, a second before now.
            #expect(quotes["AAPL"]?.count == 1 && quotes["MSFT"]?.count == 1)
            let quote = try #require(quotes["AAPL"]?.first)
            #expect(quote["bp"] as? Double == 172.6 && quote["ap"] as? Double == 172.7 && quote["as"] as? Int == 4)
            #expect(quote["t"] as? String == "2026-03-20T13:59:59.000000Z")

            let first = try await alice.object(.get, "/v2/stocks/quotes?symbols=AAPL,MSFT&limit=1" + Self.start)
            #expect((first["quotes"] as? [String: Any])?.keys.sorted() == ["AAPL"] && first["next_page_token"] as? String == "1")
            let second = try await alice.object(.get, "/v2/stocks/quotes?symbols=AAPL,MSFT&limit=1&page_token=1" + Self.start)
            #expect((second["quotes"] as? [String: Any])?.keys.sorted() == ["MSFT"] && second["next_page_token"] is NSNull)
            let one = try await alice.object(.get, "/v2/stocks/MSFT/quotes?feed=iex" + Self.start)
            #expect(one["symbol"] as? String == "MSFT" && (one["quotes"] as? [Any])?.count == 1)
            await app.marketData.accessLog.flush()
            #expect(try await Self.logged(app, user: "alice") == ["AAPL", "MSFT"])
        }
    }

    @Test func aMarketWithoutQuoteHistoryAnswers501() async throws {
        let clock = FixedClock(TestApp.now)
        try await TestApp.run(provider: NoQuoteHistory(market: ReplayMarket(recording: TestApp.recording, clock: clock))) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let response = try await alice.request(.get, "/v2/stocks/quotes?symbols=AAPL" + Self.start)
            #expect(response.status == .notImplemented)
            #expect(try response.alpacaCode() == 50_110_000)
            try await OpenAPIContract.load(app).check(response, .get, "/v2/stocks/quotes")
        }
    }

    static func logged(_ app: TestApp.Fixture, user: String) async throws -> Set<String> {
        try await app.database.withConnection { db in
            let rows = try await db.raw(
                "SELECT symbol FROM market_data_access_log WHERE user_id = (SELECT id FROM users WHERE name = \(bind: user))"
            ).all()
            return Set(try rows.map { try $0.decode(column: "symbol", as: String.self) })
        }
    }
}

/// A market like Alpaca's live one: latest quotes only.
struct NoQuoteHistory: MarketDataProvider {
    let market: ReplayMarket
    var source: String { "replay" }
    func tradableStocks() async throws -> Set<String> { market.tradableStocks() }
    func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] { market.latestQuotes(symbols) }
    func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] {
        market.minuteBars(symbols, from: from, to: to)
    }
    func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] {
        market.optionChain(underlying: underlying, expiry: expiry)
    }
    func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] { market.latestOptionQuotes(symbols) }
    func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? { nil }
    func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] {
        market.corporateActions(from: from, through: through, symbols: symbols)
    }
}
