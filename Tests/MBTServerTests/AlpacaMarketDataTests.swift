import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTMarketData
import MBTTestSupport
import SQLKit
import Testing

@Suite("Alpaca market data: /v2/stocks and /v1beta1/options")
struct AlpacaMarketDataTests {
    @Test func barsComeInAlpacasShapeAggregatedAndPaged() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let base = "/v2/stocks/bars?symbols=AAPL,MSFT&start=2026-03-20T13:30:00Z"
            let minutes = try await alice.object(.get, base + "&timeframe=1Min")
            let bars = try #require(minutes["bars"] as? [String: [[String: Any]]])
            #expect(bars.keys.sorted() == ["AAPL"])
            #expect(bars["AAPL"]?.count == 10)
            let first = try #require(bars["AAPL"]?.first)
            #expect(first["o"] as? Double == 172 && first["c"] as? Double == 172.5 && first["v"] as? Int == 100)
            #expect(first["t"] as? String == "2026-03-20T13:50:00.000000Z")
            #expect(first["n"] is NSNull && first["vw"] is NSNull)
            #expect(minutes["next_page_token"] is NSNull)

            let five = try await alice.object(.get, base + "&timeframe=5Min")
            let fiveBars = try #require((five["bars"] as? [String: [[String: Any]]])?["AAPL"])
            #expect(fiveBars.map { $0["v"] as? Int } == [500, 500])
            #expect(fiveBars.first?["t"] as? String == "2026-03-20T13:50:00.000000Z")
            let day = try await alice.object(.get, base + "&timeframe=1Day")
            let dayBars = try #require((day["bars"] as? [String: [[String: Any]]])?["AAPL"])
            #expect(dayBars.count == 1 && dayBars[0]["t"] as? String == "2026-03-20T04:00:00.000000Z" && dayBars[0]["v"] as? Int == 1000)

            let page = try await alice.object(.get, base + "&timeframe=1Min&limit=4&sort=desc")
            #expect((page["bars"] as? [String: [[String: Any]]])?["AAPL"]?.first?["t"] as? String == "2026-03-20T13:59:00.000000Z")
            #expect(page["next_page_token"] as? String == "4")
            let rest = try await alice.object(.get, base + "&timeframe=1Min&limit=10&page_token=4")
            #expect((rest["bars"] as? [String: [[String: Any]]])?["AAPL"]?.count == 6)
            #expect(rest["next_page_token"] is NSNull)

            // Weeks and months start on their first trading day with bars: here Friday 20 March.
            for timeframe in ["1Week", "1Month", "3Month"] {
                let long = try await alice.object(.get, base + "&timeframe=\(timeframe)")
                let longBars = try #require((long["bars"] as? [String: [[String: Any]]])?["AAPL"], "\(timeframe)")
                #expect(
                    longBars.count == 1 && longBars[0]["t"] as? String == "2026-03-20T04:00:00.000000Z" && longBars[0]["v"] as? Int == 1000)
            }
            let year = try await alice.request(.get, "/v2/stocks/bars?symbols=AAPL&start=2025-06-01T00:00:00Z&timeframe=1Month")
            #expect(year.status == .ok)
            for bad in ["&timeframe=7Fortnight", "&timeframe=2Week", "&timeframe=5Month", "", "&timeframe=1Min&limit=0"] {
                let response = try await alice.request(.get, base + bad)
                #expect(response.status == .unprocessableContent, "\(bad)")
                #expect(try response.alpacaCode() == 42_210_000)
            }
            let noSymbols = try await alice.request(.get, "/v2/stocks/bars?timeframe=1Min")
            #expect(noSymbols.status == .unprocessableContent)

            await app.marketData.accessLog.flush()
            let logged = try await app.database.withConnection { db in
                try await db.select().columns("symbol", "data_type").from("market_data_access_log").all()
            }
            #expect(try logged.contains { try $0.decode(column: "symbol", as: String.self) == "AAPL" })
        }
    }

    @Test func latestQuotesTradesAndSnapshots() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let quotes = try await alice.object(.get, "/v2/stocks/quotes/latest?symbols=AAPL,NOSUCH")
            let aapl = try #require((quotes["quotes"] as? [String: [String: Any]])?["AAPL"])
            #expect((quotes["quotes"] as? [String: Any])?.count == 1)
            #expect(aapl["ap"] as? Double == 172.7 && aapl["bp"] as? Double == 172.6 && aapl["as"] as? Int == 4 && aapl["bs"] as? Int == 3)
            #expect(aapl["t"] as? String == "2026-03-20T13:59:59.000000Z")

            let trades = try await alice.object(.get, "/v2/stocks/trades/latest?symbols=AAPL")
            let trade = try #require((trades["trades"] as? [String: [String: Any]])?["AAPL"])
            #expect(trade["p"] as? Double == 172.5 && trade["t"] as? String == "2026-03-20T14:00:00.000000Z" && trade["s"] as? Int == 0)

            let snapshots = try await alice.object(.get, "/v2/stocks/snapshots?symbols=AAPL,MSFT")
            let snapshot = try #require(snapshots["AAPL"] as? [String: Any])
            #expect(Set(snapshot.keys) == ["latestQuote", "latestTrade", "minuteBar", "dailyBar"])
            #expect((snapshot["dailyBar"] as? [String: Any])?["v"] as? Int == 1000)
            #expect(Set((snapshots["MSFT"] as? [String: Any])?.keys ?? [:].keys) == ["latestQuote"])
        }
    }

    @Test func optionQuotesAndTheChainsSnapshots() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let quotes = try await alice.object(.get, "/v1beta1/options/quotes/latest?symbols=AAPL260320C00175000")
            let quote = try #require((quotes["quotes"] as? [String: [String: Any]])?["AAPL260320C00175000"])
            #expect(quote["ap"] as? Double == 1.2 && quote["bp"] as? Double == 1.1)
            let bad = try await alice.request(.get, "/v1beta1/options/quotes/latest?symbols=AAPL")
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.alpacaCode() == 42_210_000)

            let chain = try await alice.object(.get, "/v1beta1/options/snapshots/AAPL?expiration_date=2026-03-20&limit=1000")
            let snapshots = try #require(chain["snapshots"] as? [String: [String: Any]])
            #expect(snapshots.keys.sorted() == ["AAPL260320C00175000", "AAPL260320P00170000"])
            #expect((snapshots["AAPL260320P00170000"]?["latestQuote"] as? [String: Any])?["ap"] as? Double == 0.85)
            #expect(chain["next_page_token"] is NSNull)
            let calls = try await alice.object(.get, "/v1beta1/options/snapshots/AAPL?type=call&limit=1")
            #expect((calls["snapshots"] as? [String: Any])?.keys.sorted() == ["AAPL260320C00175000"])
            let unauthorized = try await app.request(.get, "/v1beta1/options/snapshots/AAPL")
            #expect(unauthorized.status == .unauthorized)
            #expect(try unauthorized.alpacaCode() == 40_110_000)
        }
    }

    @Test func simulatedSnapshotsCarryAllFiveGreeks() async throws {
        try await TestApp.run(provider: SimulatedMarket(seed: 7, clock: FixedClock(TestApp.now))) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let contract = try await OpenAPIContract.load(app)
            let response = try await alice.request(.get, "/v1beta1/options/snapshots/AAPL?expiration_date=2026-04-17&limit=5")
            contract.check(response, .get, "/v1beta1/options/snapshots/{underlying_symbol}")
            let snapshots = try #require(try response.json()["snapshots"] as? [String: [String: Any]])
            #expect(snapshots.count == 5)
            for (symbol, snapshot) in snapshots {
                let greeks = try #require(snapshot["greeks"] as? [String: Double], "\(symbol)")
                #expect(Set(greeks.keys) == ["delta", "gamma", "rho", "theta", "vega"])
                // Calls gain from a higher rate, puts lose.
                #expect((greeks["rho"] ?? 0) * (symbol.contains("C0") ? 1 : -1) > 0, "\(symbol) \(greeks)")
            }
        }
    }
}

@Suite("Alpaca /v1/corporate-actions")
struct AlpacaCorporateActionTests {
    @Test func dividendsAndSplitsAreListedByTypeAndPaged() async throws {
        let recording = ReplayRecording(
            quotes: [], bars: [],
            corporateActions: [
                .cashDividend(id: "d1", symbol: "AAPL", rate: "0.26", exDate: MarketDate(year: 2026, month: 2, day: 9)!, payableDate: nil),
                .split(id: "s1", symbol: "MSFT", newRate: 2, oldRate: 1, exDate: MarketDate(year: 2026, month: 3, day: 2)!),
                .split(id: "s2", symbol: "AAPL", newRate: 1, oldRate: 4, exDate: MarketDate(year: 2026, month: 3, day: 5)!),
            ])
        let provider = ReplayMarket(recording: recording, clock: FixedClock(TestApp.now))
        try await TestApp.run(provider: provider) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let all = try await alice.object(.get, "/v1/corporate-actions?start=2026-01-01&end=2026-03-31")
            let groups = try #require(all["corporate_actions"] as? [String: [[String: Any]]])
            #expect(groups.keys.sorted() == ["cash_dividends", "forward_splits", "reverse_splits"])
            let dividend = try #require(groups["cash_dividends"]?.first)
            #expect(
                dividend["symbol"] as? String == "AAPL" && dividend["rate"] as? Double == 0.26
                    && dividend["ex_date"] as? String == "2026-02-09")
            #expect(dividend["special"] as? Bool == false && dividend["cusip"] as? String == "" && AlpacaOrderTests.isUUID(dividend["id"]))
            #expect(groups["forward_splits"]?.first?["new_rate"] as? Double == 2)
            #expect(groups["reverse_splits"]?.first?["old_rate"] as? Double == 4)
            #expect(all["next_page_token"] is NSNull)
            let dividends = try await alice.object(.get, "/v1/corporate-actions?start=2026-01-01&end=2026-03-31&types=cash_dividend")
            #expect((dividends["corporate_actions"] as? [String: Any])?.keys.sorted() == ["cash_dividends"])
            let aapl = try await alice.object(.get, "/v1/corporate-actions?start=2026-01-01&end=2026-03-31&symbols=AAPL&limit=1&sort=desc")
            #expect((aapl["corporate_actions"] as? [String: Any])?.keys.sorted() == ["reverse_splits"])
            #expect(aapl["next_page_token"] as? String == "1")
            let bad = try await alice.request(.get, "/v1/corporate-actions?types=bogus")
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.alpacaCode() == 42_210_000)
            // Every symbol served is access-logged for the user, as any market-data read.
            await app.marketData.accessLog.flush()
            let logged = try await app.database.withConnection { db in
                try await db.raw("SELECT DISTINCT symbol FROM market_data_access_log WHERE data_type = 'corporate_action'").all()
            }
            #expect(
                Set(try logged.map { try $0.decode(column: "symbol", as: String.self) })
                    == Set(groups.values.flatMap { $0.compactMap { $0["symbol"] as? String } }))
        }
    }
}

@Suite("Alpaca single-symbol stock data")
struct AlpacaSingleSymbolDataTests {
    @Test func barsQuoteTradeAndSnapshotOfOneSymbol() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let bars = try await alice.object(.get, "/v2/stocks/AAPL/bars?timeframe=5Min&start=2026-03-20T13:30:00Z")
            #expect(
                bars["symbol"] as? String == "AAPL" && (bars["bars"] as? [[String: Any]])?.count == 2 && bars["next_page_token"] is NSNull)
            let quote = try await alice.object(.get, "/v2/stocks/aapl/quotes/latest")
            #expect(quote["symbol"] as? String == "AAPL" && (quote["quote"] as? [String: Any])?["ap"] as? Double == 172.7)
            let latestBar = try await alice.object(.get, "/v2/stocks/AAPL/bars/latest")
            #expect((latestBar["bar"] as? [String: Any])?["t"] as? String == "2026-03-20T13:59:00.000000Z")
            let latestBars = try await alice.object(.get, "/v2/stocks/bars/latest?symbols=AAPL,MSFT")
            #expect((latestBars["bars"] as? [String: [String: Any]])?.keys.sorted() == ["AAPL"])
            #expect((latestBars["bars"] as? [String: [String: Any]])?["AAPL"]?["c"] as? Double == 172.5)
            let trade = try await alice.object(.get, "/v2/stocks/AAPL/trades/latest")
            #expect((trade["trade"] as? [String: Any])?["p"] as? Double == 172.5)
            let snapshot = try await alice.object(.get, "/v2/stocks/AAPL/snapshot")
            #expect(snapshot["symbol"] as? String == "AAPL" && snapshot["dailyBar"] != nil && snapshot["latestQuote"] != nil)
            for path in ["/v2/stocks/NOSUCH/quotes/latest", "/v2/stocks/MSFT/trades/latest", "/v2/stocks/NOSUCH/snapshot"] {
                let missing = try await alice.request(.get, path)
                #expect(missing.status == .notFound, "\(path)")
                #expect(try missing.alpacaCode() == 40_410_000)
            }
            let bad = try await alice.request(.get, "/v2/stocks/AAPL/bars")
            #expect(bad.status == .unprocessableContent)
            // The multi-symbol routes still answer beside the single-symbol ones.
            #expect(try await alice.request(.get, "/v2/stocks/quotes/latest?symbols=AAPL").status == .ok)
        }
    }
}
