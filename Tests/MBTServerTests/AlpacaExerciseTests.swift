import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// `POST /v2/positions/{symbol}/exercise`: a long option exercised early through the expiry job's
/// ledger path, with Alpaca's errors (docs/alpaca-api.md, "Positions").
@Suite("Alpaca option exercise")
struct AlpacaExerciseTests {
    static let call = "AAPL260320C00175000"
    static let put = "AAPL260320P00170000"

    static func buy(_ symbol: String, side: String = "buy") -> String {
        #""symbol":"\#(symbol)","qty":"1","side":"\#(side)","type":"market","time_in_force":"day""#
    }

    static func cash(_ caller: AlpacaCaller) async throws -> Decimal {
        let text = try await caller.object(.get, "/v2/account")["cash"] as? String
        return try #require(text.flatMap { Decimal(string: $0) })
    }

    @Test func aLongCallBuysAndALongPutSellsTheSharesAtTheStrike() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            _ = try await alice.order(Self.buy(Self.call))
            let cashBefore = try await Self.cash(alice)
            let exercised = try await alice.request(.post, "/v2/positions/\(Self.call)/exercise")
            #expect(exercised.status == .ok, "\(String(buffer: exercised.body))")
            #expect(exercised.body.readableBytes == 0)
            let positions = try await alice.array("/v2/positions")
            #expect(positions.map { $0["symbol"] as? String } == ["AAPL"])
            #expect(positions.first?["qty"] as? String == "100")
            let cashAfter = try await Self.cash(alice)
            #expect(cashBefore - cashAfter == 17_500)

            let opexc = try await alice.array("/v2/account/activities/OPEXC")
            #expect(opexc.count == 1)
            #expect(opexc.first?["symbol"] as? String == Self.call && opexc.first?["qty"] as? String == "-1")
            let optrd = try await alice.array("/v2/account/activities/OPTRD")
            #expect(optrd.first?["symbol"] as? String == "AAPL" && optrd.first?["qty"] as? String == "100")
            #expect(optrd.first?["price"] as? String == "175")

            // A put delivers the other way: the 100 shares are sold at 170.
            _ = try await alice.order(Self.buy(Self.put))
            let assetId = try #require(try await alice.object(.get, "/v2/positions/\(Self.put)")["asset_id"] as? String)
            #expect(try await alice.request(.post, "/v2/positions/\(assetId)/exercise").status == .ok)
            #expect(try await alice.array("/v2/positions").isEmpty)
            #expect(try await alice.array("/v2/account/activities/OPEXC").count == 2)
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.isEmpty, "\(report.violations)")
        }
    }

    @Test func refusalsUseAlpacasStatusesAndSayWhy() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let missing = try await alice.request(.post, "/v2/positions/\(Self.call)/exercise")
            #expect(missing.status == .notFound)
            #expect(try missing.alpacaCode() == 40_410_000)
            #expect(try missing.alpacaMessage() == "position does not exist")

            _ = try await alice.order(AlpacaOrderTests.marketBuy)
            let stock = try await alice.request(.post, "/v2/positions/AAPL/exercise")
            #expect(stock.status == .unprocessableContent)
            #expect(try stock.alpacaCode() == 42_210_000)
            #expect(try stock.alpacaMessage().contains("not an option position"))

            _ = try await alice.order(Self.buy(Self.put, side: "sell"))
            let short = try await alice.request(.post, "/v2/positions/\(Self.put)/exercise")
            #expect(short.status == .unprocessableContent)
            #expect(try short.alpacaMessage().contains("short position"))

            // Contracts a resting sell holds cannot be exercised as well.
            _ = try await alice.order(Self.buy(Self.call))
            _ = try await alice.order(
                #""symbol":"\#(Self.call)","qty":"1","side":"sell","type":"limit","limit_price":"9","time_in_force":"day""#)
            let held = try await alice.request(.post, "/v2/positions/\(Self.call)/exercise")
            #expect(held.status == .forbidden)
            #expect(try held.alpacaMessage().contains("held for open orders"))
            #expect(try await alice.array("/v2/account/activities/OPEXC").isEmpty)
        }
    }

    @Test func aCallTheAccountCannotPayForIsRefused() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            _ = try await alice.order(#""symbol":"\#(Self.call)","qty":"10","side":"buy","type":"market","time_in_force":"day""#)
            // 10 contracts deliver 1,000 shares at 175: 175,000, more than the account holds.
            let refused = try await alice.request(.post, "/v2/positions/\(Self.call)/exercise")
            #expect(refused.status == .forbidden)
            #expect(try refused.alpacaCode() == 40_310_000)
            #expect(try refused.alpacaMessage().contains("buying power"))
            #expect(try await alice.array("/v2/positions").count == 1)
        }
    }

    @Test func aContractExpiredOnAnEarlierDayIsLeftToTheExpiryJob() async throws {
        // Monday 2026-03-23, 10:00 New York time; the position in Friday's call was never settled.
        try await TestApp.run(at: TestApp.now.addingTimeInterval(3 * 86_400)) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            try await app.database.withConnection { db in
                try await db.raw(
                    """
                    INSERT INTO paper_positions (user_id, symbol, side, qty, avg_cost, opened_at, asset_class)
                    SELECT id, \(bind: Self.call), 'long', \(bind: StoredDecimal(1)), \(bind: StoredDecimal("1.2")),
                        \(bind: StoredTimestamp(TestApp.now)), 'option'
                    FROM users WHERE name = 'alice'
                    """
                ).run()
            }
            let expired = try await alice.request(.post, "/v2/positions/\(Self.call)/exercise")
            #expect(expired.status == .unprocessableContent)
            #expect(try expired.alpacaMessage().contains("expired on 2026-03-20"))
        }
    }

    @Test func exerciseIsTakenOnlyWhileTheMarketIsOpen() async throws {
        // Friday 2026-03-20, 17:00 New York time: the session has closed.
        try await TestApp.run(at: TestApp.now.addingTimeInterval(7 * 3600)) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let closed = try await alice.request(.post, "/v2/positions/\(Self.call)/exercise")
            #expect(closed.status == .unprocessableContent)
            #expect(try closed.alpacaMessage().contains("only while the market is open"))
        }
    }
}
