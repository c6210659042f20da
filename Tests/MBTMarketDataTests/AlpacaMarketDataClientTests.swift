import Foundation
import MBTDomain
import MBTFakeAlpaca
import MBTMarketData
import Testing

/// The real client over real HTTP against the fake Alpaca server on loopback.
@Suite("Alpaca Market Data client")
struct AlpacaMarketDataClientTests {
    typealias H = AlpacaHarness

    @Test func readsLatestQuotesExactlyWithTheKeyHeaders() async throws {
        try await H.run { client, state, _ in
            await state.setQuotes([H.quote("AAPL", bid: "172.6", ask: "172.7"), H.quote("MSFT", bid: "410.01", ask: "410.05")])
            let quotes = try await client.latestQuotes(["AAPL", "MSFT", "NOPE"])
            #expect(quotes.keys.sorted() == ["AAPL", "MSFT"])
            #expect(quotes["AAPL"]?.bid == "172.6")
            #expect(quotes["AAPL"]?.ask == "172.7")
            #expect(quotes["AAPL"]?.timestamp == H.t0)
            #expect(quotes["MSFT"]?.askSize == 4)
            let request = try #require(await state.requests.first)
            #expect(request.path == "/v2/stocks/quotes/latest")
            #expect(request.query["symbols"] == "AAPL,MSFT,NOPE")
            #expect(request.query["feed"] == "iex")
            #expect(request.keyID == state.keyID)
            #expect(request.secret == state.secret)
        }
    }

    @Test func listsTheTradableAssetsOfTheTradingAPI() async throws {
        try await H.run { client, state, _ in
            await state.setAssets(["AAPL": true, "MSFT": true, "OTCX": false])
            #expect(try await client.tradableStocks() == ["AAPL", "MSFT"])
            let request = try #require(await state.requests.first)
            #expect(request.path == "/v2/assets")
            #expect(request.query["status"] == "active")
            #expect(request.query["asset_class"] == "us_equity")
            #expect(request.keyID == state.keyID)
        }
    }

    @Test func followsBarPagesUntilTheLastOne() async throws {
        try await H.run { client, state, _ in
            let bars =
                (0..<7).map { H.bar("AAPL", minute: $0, close: Decimal6(100 + $0)) } + (0..<4).map { H.bar("MSFT", minute: $0, close: 300) }
            await state.setBars(bars)
            await state.setBarsPageSize(3)
            let fetched = try await client.minuteBars(["MSFT", "AAPL"], from: H.t0, to: H.t0.addingTimeInterval(3600))
            #expect(fetched["AAPL"]?.map(\.close) == (0..<7).map { Decimal6(100 + $0) })
            #expect(fetched["MSFT"]?.count == 4)
            let requests = await state.requests
            #expect(requests.count == 4)
            #expect(requests[0].query["page_token"] == nil)
            #expect(requests.dropFirst().allSatisfy { $0.query["page_token"] != nil && $0.query["timeframe"] == "1Min" })
        }
    }

    @Test func keepsOnlyBarsInsideTheHalfOpenRange() async throws {
        try await H.run { client, state, _ in
            await state.setBars((0..<5).map { H.bar("AAPL", minute: $0, close: 10) })
            let fetched = try await client.minuteBars(["AAPL"], from: H.t0.addingTimeInterval(60), to: H.t0.addingTimeInterval(180))
            #expect(fetched["AAPL"]?.map(\.start) == [H.t0.addingTimeInterval(60), H.t0.addingTimeInterval(120)])
        }
    }

    @Test func waitsForTheResetWhenFewCallsRemain() async throws {
        try await H.run { client, state, _ in
            await state.setQuotes([H.quote("AAPL", bid: 1, ask: 2)])
            let reset = Date().addingTimeInterval(1.2).rounded(toWholeSecondsUp: true)
            await state.setRateLimit(remaining: 5, reset: reset)
            _ = try await client.latestQuotes(["AAPL"])
            await state.setRateLimit(remaining: 200, reset: reset)
            _ = try await client.latestQuotes(["AAPL"])
            let requests = await state.requests
            #expect(requests.count == 2)
            #expect(requests[1].receivedAt >= reset.addingTimeInterval(-0.05))
        }
    }

    @Test func doesNotWaitWhileTheBudgetLasts() async throws {
        try await H.run { client, state, _ in
            await state.setQuotes([H.quote("AAPL", bid: 1, ask: 2)])
            await state.setRateLimit(remaining: 10, reset: Date().addingTimeInterval(30))
            let started = Date()
            for _ in 0..<3 { _ = try await client.latestQuotes(["AAPL"]) }
            // Waiting for the reset would take 30 s; the margin keeps a busy machine from failing it.
            #expect(Date().timeIntervalSince(started) < 20)
        }
    }

    @Test func retries429And5xxThenSucceeds() async throws {
        try await H.run { client, state, _ in
            await state.setQuotes([H.quote("AAPL", bid: 1, ask: 2)])
            await state.enqueue(.status(429, message: "rate limit exceeded"), .status(503), .status(500), .status(502))
            let quotes = try await client.latestQuotes(["AAPL"])
            #expect(quotes["AAPL"] != nil)
            #expect(await state.requests.count == 5)
        }
    }

    @Test func givesUpAfterTheRetryBudgetWithATypedError() async throws {
        try await H.run(configure: { $0.maximumRetries = 2 }) { client, state, _ in
            await state.enqueue(.status(503), .status(503), .status(503), .status(503))
            await #expect(throws: MarketDataError.upstreamUnavailable("/v2/stocks/quotes/latest answered HTTP 503")) {
                try await client.latestQuotes(["AAPL"])
            }
            #expect(await state.requests.count == 3)
        }
    }

    @Test func reportsAPersistentRateLimit() async throws {
        try await H.run(configure: { $0.maximumRetries = 1 }) { client, state, _ in
            let reset = Date(timeIntervalSince1970: 1_900_000_000)
            await state.enqueue(
                .status(429, headers: ["X-RateLimit-Reset": "1900000000"]), .status(429, headers: ["X-RateLimit-Reset": "1900000000"]))
            await #expect(throws: MarketDataError.rateLimited(until: reset)) { try await client.latestQuotes(["AAPL"]) }
        }
    }

    @Test func boundsASlowAnswerByTheTimeout() async throws {
        try await H.run(configure: {
            $0.requestTimeout = .milliseconds(300)
            $0.maximumRetries = 1
        }) { client, state, _ in
            await state.enqueue(.delay(.seconds(3)), .delay(.seconds(3)))
            let started = Date()
            await #expect {
                try await client.latestQuotes(["AAPL"])
            } throws: { error in
                guard case .upstreamUnavailable(let reason) = error as? MarketDataError else { return false }
                return reason.contains("timed out")
            }
            // Two unbounded answers would take 6 s; two bounded ones 0.6 s (a busy machine needs margin).
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }

    @Test func refusesAnUnreadableAnswer() async throws {
        try await H.run(configure: { $0.maximumRetries = 0 }) { client, state, _ in
            await state.enqueue(.garbage)
            await #expect(throws: MarketDataError.malformedResponse("/v2/stocks/quotes/latest did not answer the expected JSON")) {
                try await client.latestQuotes(["AAPL"])
            }
        }
    }

    @Test func wrongKeysAreUnauthorizedAndTheSecretNeverLeaks() async throws {
        let secret = "sk-super-secret-0123456789"
        try await H.run(credentials: AlpacaCredentials(keyID: "wrong-key", secret: secret)) { client, state, logs in
            await state.enqueue(.status(503))
            var thrown: (any Error)?
            do {
                _ = try await client.latestQuotes(["AAPL"])
            } catch {
                thrown = error
            }
            let error = try #require(thrown as? MarketDataError)
            guard case .unauthorized = error else {
                Issue.record("expected unauthorized, got \(error)")
                return
            }
            #expect(!logs.all.isEmpty)
            for text in logs.all + [error.description, String(reflecting: error), String(reflecting: client), "\(client)"] {
                #expect(!text.contains(secret), "secret leaked in: \(text)")
            }
        }
    }

    @Test func readsTheOptionChainWithGreeks() async throws {
        try await H.run { client, state, _ in
            let expiry = MarketDate(year: 2026, month: 3, day: 20)!
            let call = try OptionSymbol(root: "AAPL", expiry: expiry, right: .call, strike: 150)
            let put = try OptionSymbol(root: "AAPL", expiry: expiry, right: .put, strike: "147.5")
            let later = try OptionSymbol(root: "AAPL", expiry: expiry.adding(days: 7), right: .call, strike: 150)
            await state.setChain(
                "AAPL",
                [
                    OptionChainEntry(
                        symbol: call, quote: H.quote(call.description, bid: "2.1", ask: "2.25"), delta: "0.512345", gamma: "0.04",
                        theta: "-0.12", vega: "0.2", impliedVolatility: "0.31"),
                    OptionChainEntry(symbol: put, quote: H.quote(put.description, bid: "1.5", ask: "1.6")),
                    OptionChainEntry(symbol: later, quote: nil),
                ])
            let chain = try await client.optionChain(underlying: "AAPL", expiry: expiry)
            #expect(chain.map(\.symbol) == [call, put])
            #expect(chain[0].delta == "0.512345")
            #expect(chain[0].quote?.ask == "2.25")
            #expect(chain[1].delta == nil)
            #expect(await state.requests.first?.query["expiration_date"] == "2026-03-20")
        }
    }

    @Test func readsLatestOptionQuotes() async throws {
        try await H.run { client, state, _ in
            let symbol = try OptionSymbol(parsing: "SPY260320P00500000")
            await state.setOptionQuotes([H.quote(symbol.description, bid: "3.4", ask: "3.5")])
            let quotes = try await client.latestOptionQuotes([symbol])
            #expect(quotes[symbol]?.mid == "3.45")
            #expect(await state.requests.first?.query["feed"] == "indicative")
        }
    }

    @Test func readsDividendsAndSplits() async throws {
        try await H.run { client, state, _ in
            let day = MarketDate(year: 2026, month: 5, day: 11)!
            await state.setCorporateActions([
                .cashDividend(id: "d1", symbol: "AAPL", rate: "0.26", exDate: day, payableDate: day.adding(days: 4)),
                .split(id: "s1", symbol: "NVDA", newRate: 10, oldRate: 1, exDate: day.adding(days: 1)),
                .split(id: "s2", symbol: "XYZ", newRate: 1, oldRate: 50, exDate: day.adding(days: 2)),
                .cashDividend(id: "d2", symbol: "MSFT", rate: "0.83", exDate: day.adding(days: 40), payableDate: nil),
            ])
            let actions = try await client.corporateActions(from: day, through: day.adding(days: 10), symbols: [])
            #expect(actions.map(\.id) == ["d1", "s1", "s2"])
            #expect(actions[0] == .cashDividend(id: "d1", symbol: "AAPL", rate: "0.26", exDate: day, payableDate: day.adding(days: 4)))
            #expect(actions[2] == .split(id: "s2", symbol: "XYZ", newRate: 1, oldRate: 50, exDate: day.adding(days: 2)))
        }
    }
}

extension Date {
    fileprivate func rounded(toWholeSecondsUp: Bool) -> Date {
        Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.up))
    }
}
