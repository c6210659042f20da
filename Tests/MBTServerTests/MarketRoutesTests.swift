import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Market data routes")
struct MarketRoutesTests {
    @Test func quotesAreExactStringsAndLoggedForTheCaller() async throws {
        try await TestApp.run { app in
            let (alice, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/market/quotes?symbols=AAPL,msft", token: token)
            #expect(response.status == .ok)
            let quotes = try #require(try response.json()["quotes"] as? [String: [String: Any]])
            #expect(quotes["AAPL"]?["bid"] as? String == "172.600000")
            #expect(quotes["AAPL"]?["mid"] as? String == "172.650000")
            #expect(quotes["MSFT"]?["ask_size"] as? Int == 2)
            try await assertAccessRows(app, user: alice.id, type: "quote", symbols: ["AAPL", "MSFT"])
        }
    }

    @Test func unknownAndMalformedSymbolsAreClearErrors() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let unknown = try await app.request(.get, "/api/market/quotes?symbols=AAPL,ZZZZ", token: token)
            #expect(unknown.status == .notFound)
            #expect(try unknown.errorCode() == "unknown_symbol")
            for query in ["symbols=AA$PL", "symbols=", "symbols=AAPL,,MSFT", "symbols=1ABC", "symbols=ABCDEFGHIJK"] {
                let response = try await app.request(.get, "/api/market/quotes?\(query)", token: token)
                #expect(response.status.code >= 400 && response.status.code < 500, "\(query)")
                _ = try response.errorCode()
            }
            let tooMany = (0..<101).map { "S\($0)" }.joined(separator: ",")
            #expect(try await app.request(.get, "/api/market/quotes?symbols=\(tooMany)", token: token).status == .unprocessableContent)
        }
    }

    @Test func barsValidateTheirRange() async throws {
        try await TestApp.run { app in
            let (alice, token) = try await app.user("alice")
            let ok = try await app.request(
                .get, "/api/market/bars?symbols=AAPL&start=2026-03-20T13:50:00Z&end=2026-03-20T13:55:00Z", token: token)
            #expect(ok.status == .ok)
            let bars = try #require(try ok.json()["bars"] as? [String: [[String: Any]]])
            #expect(bars["AAPL"]?.count == 5)
            #expect(bars["AAPL"]?.first?["close"] as? String == "172.500000")
            try await assertAccessRows(app, user: alice.id, type: "bar", symbols: ["AAPL"])

            for query in [
                "symbols=AAPL&start=2026-03-20T14:00:00Z&end=2026-03-20T13:00:00Z",
                "symbols=AAPL&start=2026-03-01T00:00:00Z&end=2026-03-20T00:00:00Z",
                "symbols=AAPL&start=yesterday&end=2026-03-20T00:00:00Z",
                "symbols=AAPL&end=2026-03-20T00:00:00Z",
            ] {
                let response = try await app.request(.get, "/api/market/bars?\(query)", token: token)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(try response.errorCode() == "validation_failed")
            }
        }
    }

    @Test func optionChainListsContractsAndRefusesNonExpiries() async throws {
        try await TestApp.run { app in
            let (alice, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/market/options/chain?underlying=AAPL&expiry=2026-03-20", token: token)
            #expect(response.status == .ok)
            let contracts = try #require(try response.json()["contracts"] as? [[String: Any]])
            #expect(contracts.map { $0["symbol"] as? String } == ["AAPL260320C00175000", "AAPL260320P00170000"])
            #expect(contracts.first?["strike"] as? String == "175.000000")
            try await assertAccessRows(app, user: alice.id, type: "chain", symbols: ["AAPL"])

            let none = try await app.request(.get, "/api/market/options/chain?underlying=AAPL&expiry=2026-03-21", token: token)
            #expect(none.status == .notFound)
            #expect(try none.errorCode() == "no_option_chain")
            let bad = try await app.request(.get, "/api/market/options/chain?underlying=AAPL&expiry=03/20/2026", token: token)
            #expect(bad.status == .unprocessableContent)
        }
    }

    @Test func clockFollowsAlpacasShapeInNewYorkTime() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let clock = try await app.request(.get, "/api/market/clock", token: token).json()
            #expect(clock["is_open"] as? Bool == true)
            #expect(clock["timestamp"] as? String == "2026-03-20T10:00:00.000-04:00")
            #expect(clock["next_close"] as? String == "2026-03-20T16:00:00-04:00")
            #expect(clock["next_open"] as? String == "2026-03-23T09:30:00-04:00")
        }
    }

    @Test func calendarListsSessionsWithEarlyCloses() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/market/calendar?start=2026-11-25&end=2026-11-30", token: token)
            #expect(response.status == .ok)
            let days = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
            #expect(days.map { $0["date"] as? String } == ["2026-11-25", "2026-11-27", "2026-11-30"])
            #expect(days.map { $0["close"] as? String } == ["16:00", "13:00", "16:00"])
            #expect(days.first?["open"] as? String == "09:30")

            for query in [
                "start=2026-12-01&end=2026-11-01", "start=1999-01-01&end=1999-02-01", "start=2000-01-01&end=2020-01-01", "start=tomorrow",
            ] {
                let bad = try await app.request(.get, "/api/market/calendar?\(query)", token: token)
                #expect(bad.status == .unprocessableContent, "\(query)")
            }
        }
    }

    @Test func marketRoutesNeedATokenAndTheFlag() async throws {
        try await TestApp.run(deployment: .production) { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/market/quotes?symbols=AAPL", token: token)
            #expect(response.status == .notFound)
            #expect(try response.errorCode() == "feature_disabled")
        }
        try await TestApp.run { app in
            #expect(try await app.request(.get, "/api/market/clock").status == .unauthorized)
            app.environment["MBT_TRADING_DISABLED"] = "1"
            let (_, token) = try await app.user("alice")
            #expect(try await app.request(.get, "/api/market/clock", token: token).status == .ok)
        }
    }

    private func assertAccessRows(_ app: TestApp.Fixture, user: Int64, type: String, symbols: Set<String>) async throws {
        await app.marketData.accessLog.flush()
        let rows = try await app.database.withConnection { db in
            try await db.select().columns("user_id", "symbol", "data_type").from("market_data_access_log").all()
        }
        let logged = try rows.filter { try $0.decode(column: "data_type", as: String.self) == type }
        #expect(try Set(logged.map { try $0.decode(column: "symbol", as: String.self) }) == symbols)
        #expect(try logged.allSatisfy { try $0.decode(column: "user_id", as: Int64.self) == user })
    }
}

@Suite("Market data failures as HTTP answers")
struct MarketDataFailureTests {
    @Test(arguments: [
        (MarketDataError.rateLimited(until: nil), 503, "market_data_rate_limited"),
        (.unauthorized("bad key"), 502, "market_data_unauthorized"),
        (.upstreamUnavailable("timed out"), 503, "market_data_unavailable"),
        (.malformedResponse("not json"), 502, "market_data_malformed"),
        (.unknownSymbol("ZZZZ"), 404, "unknown_symbol"),
        (.invalidRequest("too many symbols"), 422, "validation_failed"),
    ])
    func eachFailureHasItsStatusAndCode(error: MarketDataError, status: Int, code: String) async throws {
        try await TestApp.run(provider: FailingProvider(error: error)) { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/market/quotes?symbols=AAPL", token: token)
            #expect(response.status.code == status)
            #expect(try response.errorCode() == code)
            if case .rateLimited = error { #expect(response.headers[.retryAfter] != nil) }
            #expect(!(String(buffer: response.body)).contains("bad key") || code != "market_data_unauthorized")
        }
    }
}

/// A market that fails every call with one error.
struct FailingProvider: MarketDataProvider {
    let error: MarketDataError
    let source = "failing"

    func tradableStocks() async throws -> Set<String> { throw error }
    func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] { throw error }
    func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] { throw error }
    func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] { throw error }
    func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? { nil }
    func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] { throw error }
    func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] { throw error }
}
