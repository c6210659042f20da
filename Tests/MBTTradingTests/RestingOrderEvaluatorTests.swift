import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

@Suite("Bar loop: resting orders on one-minute bars, catch-up, expiry, leases")
struct RestingOrderEvaluatorTests {
    typealias F = BarLoopFixture

    @Test("after an outage the walk fills a limit on a bar that crossed it and came back, at the limit, at that bar's time")
    func catchUpFillsCrossAndRecross() async throws {
        // 10:00–10:59 at 171; at 10:20 the price dipped to 169.50 and recovered within the minute.
        let bars = F.bars("AAPL", from: F.friday10, minutes: 60, price: 171, special: [20: (open: 171, high: 171, low: "169.50")])
        try await F.run(bars: bars) { f in
            let order = try await f.rest(.buy, 10, "AAPL", limit: 170)
            f.clock.set(F.friday10.addingTimeInterval(3600 + 30))  // 11:00:30; down since 10:00
            let report = try await f.evaluator().tick()
            #expect(report.outcomes.filled == 1)
            #expect(report.bars == 60)
            #expect(report.barsCaughtUp == 59)  // all but the live minute, 10:59
            let filled = try await f.order(order.id)
            #expect(filled.status == .filled)
            #expect(filled.fillPrice == 170)
            #expect(filled.filledAt == F.friday10.addingTimeInterval(20 * 60))
            let account = try await AccountStore(database: f.database).account(ofUser: f.user.id)
            #expect(account.cashBalance == PaperAccount.defaultStartingBalance - 1700)
            let watermark = try #require(try await BarWatermarkStore(database: f.database).all().first)
            #expect(watermark.lastBarAt == F.friday10.addingTimeInterval(59 * 60))
            #expect(watermark.barsCaughtUp == 59)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test("a bar that opens through the limit fills at the open; one that stays above leaves the order resting")
    func gapThroughLimitFillsAtOpen() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 3, price: 171, special: [2: (open: 168, high: 169, low: 167)])
        try await F.run(bars: bars) { f in
            let order = try await f.rest(.buy, 1, "AAPL", limit: 170)
            let evaluator = f.evaluator()
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))  // bars 10:00 and 10:01 published
            #expect(try await evaluator.tick().outcomes.filled == 0)
            #expect(try await f.order(order.id).status == .accepted)
            f.clock.set(F.friday10.addingTimeInterval(3 * 60 + 10))
            #expect(try await evaluator.tick().outcomes.filled == 1)
            #expect(try await f.order(order.id).fillPrice == 168)
        }
    }

    @Test("a sell limit fills on the bar's high; strict fills need the price through the limit")
    func strictAndTouch() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 171, special: [1: (open: 171, high: 175, low: 171)])
        for touch in [true, false] {
            try await F.run(bars: bars) { f in
                try await f.rest(.buy, 5, "AAPL", limit: nil)  // fills at the first bar's open
                let order = try await f.rest(.sell, 5, "AAPL", limit: 175, at: F.friday10.addingTimeInterval(30))
                f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
                _ = try await f.evaluator(fillSettings: FillSettings(touchFills: touch)).tick()
                #expect(try await f.order(order.id).status == (touch ? .filled : .accepted))
            }
        }
    }

    @Test("the walk expires DAY orders at the close it passes, before the next session's bars; GTC orders go on and fill")
    func dayOrdersExpireAtTheCloseDuringCatchUp() async throws {
        let friday = F.bars("AAPL", from: F.friday10, minutes: 3, price: 171)
        let monday = F.bars("AAPL", from: F.mondayOpen, minutes: 3, price: 165)
        try await F.run(bars: friday + monday) { f in
            let day = try await f.rest(.buy, 1, "AAPL", limit: 170)
            let gtc = try await f.rest(.buy, 1, "AAPL", limit: 170, tif: .gtc)
            f.clock.set(F.mondayOpen.addingTimeInterval(3 * 60 + 10))
            let report = try await f.evaluator().tick()
            #expect(report.outcomes.expired == 1)
            #expect(report.outcomes.filled == 1)
            #expect(try await f.order(day.id).status == .expired)
            let filled = try await f.order(gtc.id)
            #expect(filled.status == .filled)
            #expect(filled.filledAt == F.mondayOpen)
            #expect(filled.fillPrice == 165)
        }
    }

    @Test("an early close expires DAY orders at 13:00")
    func earlyCloseExpiry() async throws {
        // Friday 2026-11-27, the day after Thanksgiving, closes at 13:00 New York (18:00 UTC).
        let open = Date(timeIntervalSince1970: 1_795_789_800)  // 09:30 New York
        try await F.run(bars: F.bars("AAPL", from: open, minutes: 2, price: 171)) { f in
            let order = try await f.rest(.buy, 1, "AAPL", limit: 100, at: open)
            let evaluator = f.evaluator()
            f.clock.set(open.addingTimeInterval(3.5 * 3600 - 60))  // 12:59
            _ = try await evaluator.tick()
            #expect(try await f.order(order.id).status == .accepted)
            f.clock.set(open.addingTimeInterval(3.5 * 3600 + 10))  // 13:00:10
            #expect(try await evaluator.tick().outcomes.expired == 1)
            #expect(try await f.order(order.id).status == .expired)
        }
    }

    @Test("a market order accepted outside the session fills at the next session's first bar open")
    func offHoursMarketOrderFillsAtTheOpen() async throws {
        let saturday = F.friday10.addingTimeInterval(86400)
        try await F.run(bars: F.bars("AAPL", from: F.mondayOpen, minutes: 2, price: "166.25")) { f in
            let order = try await f.rest(.buy, 2, "AAPL", limit: nil, at: saturday)
            f.clock.set(F.mondayOpen.addingTimeInterval(70))
            #expect(try await f.evaluator().tick().outcomes.filled == 1)
            let filled = try await f.order(order.id)
            #expect(filled.fillPrice == "166.25")
            #expect(filled.filledAt == F.mondayOpen)
        }
    }

    @Test("a fill that would overspend at the price it fills at is canceled with the reason; other orders keep their reservation")
    func buyingPowerIsCheckedAtTheFill() async throws {
        // Placed on Saturday: the market buy was judged at Friday's close (100), and with the
        // resting limit it reserved all of the cash. Monday opens at 140.
        let saturday = F.friday10.addingTimeInterval(86400)
        try await F.run(bars: F.bars("AAPL", from: F.mondayOpen, minutes: 2, price: 140), startingBalance: 1500) { f in
            let market = try await f.rest(.buy, 10, "AAPL", limit: nil, at: saturday)
            let limit = try await f.rest(.buy, 5, "AAPL", limit: 100, at: saturday)
            f.clock.set(F.mondayOpen.addingTimeInterval(70))
            let report = try await f.evaluator().tick()
            #expect(report.outcomes.filled == 0)
            #expect(report.outcomes.canceled == 1)
            let refused = try await f.order(market.id)
            #expect(refused.status == .canceled)
            #expect(refused.rejectReason?.contains("not filled at 140") == true)
            #expect(refused.rejectReason?.contains("open orders reserve 500.00") == true)
            #expect(try await f.order(limit.id).status == .accepted)
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == 1500)
        }
    }

    @Test("a fill the account can afford once the order's own reservation is released fills")
    func theOrdersOwnReservationIsReleasedAtItsFill() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 100)
        try await F.run(bars: bars, startingBalance: 1000) { f in
            let order = try await f.rest(.buy, 10, "AAPL", limit: 100)
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
            #expect(try await f.evaluator().tick().outcomes.filled == 1)
            #expect(try await f.order(order.id).status == .filled)
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == 0)
        }
    }

    @Test("several fills of one account in one bar move the position fill by fill: long, flat, short, as one-by-one fills would")
    func batchedFillsMovePositionsInOrder() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 100, special: [1: (open: 100, high: 103, low: 97)])
        try await F.run(bars: bars) { f in
            try await f.rest(.buy, 10, "AAPL", limit: nil)  // bar 0: long 10 at 100
            let t = F.friday10.addingTimeInterval(30)
            try await f.rest(.buy, 5, "AAPL", limit: 98, at: t)  // bar 1: long 15
            try await f.rest(.sell, 15, "AAPL", limit: 101, at: t.addingTimeInterval(1))  // flat
            try await f.rest(.sell, 4, "AAPL", limit: 102, at: t.addingTimeInterval(2))  // short 4
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
            #expect(try await f.evaluator().tick().outcomes.filled == 4)
            let open = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(open.count == 1)
            #expect(open.first?.side == .short)
            #expect(open.first?.quantity == 4)
            #expect(open.first?.averageCost == 102)
            let rows = try await f.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM paper_positions WHERE closed_at IS NOT NULL").first()
            }
            #expect(try rows?.decode(column: "n", as: Int.self) == 1)
            // 100k - 1000 - 490 + 1515 + 408
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == 100_433)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test("bar-loop fills reach the tax ledger: lots open and close, and the stored rows equal a rebuild")
    func barFillsAreTaxed() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 100, special: [1: (open: 100, high: 103, low: 97)])
        try await F.run(bars: bars) { f in
            try await f.rest(.buy, 10, "AAPL", limit: nil)
            try await f.rest(.sell, 4, "AAPL", limit: 101, at: F.friday10.addingTimeInterval(30))
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            #expect(try await f.evaluator(postFillHook: ledger).tick().outcomes.filled == 2)
            let rows = try await TaxLotStore(database: f.database).rows(userId: f.user.id)
            #expect(rows.lots.count == 1)
            #expect(rows.lots.values.first?.remainingQuantity == 6)
            #expect(rows.dispositions.values.map(\.gain) == [4])
            #expect(try await TaxLotStore(database: f.database).realizedGain(userId: f.user.id) == 4)
            let recalc = try await ledger.recalc(userId: f.user.id)
            #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0)
        }
    }

    @Test("a symbol whose orders are all gone stays current, so its next order is not a catch-up")
    func idleSymbolsStayCurrent() async throws {
        try await F.run(bars: F.bars("AAPL", from: F.friday10, minutes: 70, price: 100)) { f in
            try await f.rest(.buy, 1, "AAPL", limit: nil)
            let evaluator = f.evaluator()
            f.clock.set(F.friday10.addingTimeInterval(70))
            #expect(try await evaluator.tick().outcomes.filled == 1)
            f.clock.set(F.friday10.addingTimeInterval(60 * 60 + 10))  // 11:00:10, nothing resting
            _ = try await evaluator.tick()
            let order = try await f.rest(.buy, 1, "AAPL", limit: 99, at: F.friday10.addingTimeInterval(60 * 60 + 20))
            f.clock.set(F.friday10.addingTimeInterval(61 * 60 + 10))
            let report = try await evaluator.tick()
            #expect(report.bars == 1)
            #expect(report.barsCaughtUp == 0)
            #expect(try await f.order(order.id).status == .accepted)
        }
    }

    @Test("an order canceled while the loop runs is not filled; the tick goes on with the others")
    func canceledOrdersAreSkipped() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 100)
        try await F.run(bars: bars) { f in
            let canceled = try await f.rest(.buy, 1, "AAPL", limit: 101)
            let other = try await f.rest(.buy, 1, "AAPL", limit: 101)
            _ = try await f.database.withTransaction { db in
                try await LedgerStore.close([.init(orderId: canceled.id, status: .canceled, reason: "user")], on: db)
            }
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
            #expect(try await f.evaluator().tick().outcomes.filled == 1)
            #expect(try await f.order(canceled.id).status == .canceled)
            #expect(try await f.order(other.id).status == .filled)
        }
    }

    @Test("a resting option limit without bars fills on the latest quote in session")
    func quoteFallbackForOptions() async throws {
        let contract = try OptionSymbol(root: "AAPL", expiry: MarketDate(year: 2026, month: 4, day: 17)!, right: .call, strike: 175)
        let quotes = [
            Quote(symbol: contract.description, bid: "1.10", ask: "1.20", bidSize: 5, askSize: 5, timestamp: F.friday10),
            Quote(
                symbol: contract.description, bid: "0.90", ask: "0.96", bidSize: 5, askSize: 5, timestamp: F.friday10.addingTimeInterval(90)
            ),
        ]
        try await F.run(bars: [], quotes: quotes) { f in
            let order = try await f.rest(.buy, 1, contract.description, limit: "0.95")
            let evaluator = f.evaluator()
            f.clock.set(F.friday10.addingTimeInterval(70))
            #expect(try await evaluator.tick().outcomes.filled == 0)
            f.clock.set(F.friday10.addingTimeInterval(130))
            #expect(try await evaluator.tick().outcomes.filled == 1)
            #expect(try await f.order(order.id).fillPrice == "0.93")  // the mid
        }
    }

    @Test("a lease keeps a second engine off the symbols of a live one; a lapsed lease passes them over")
    func leasesPartitionSymbols() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 5, price: 171) + F.bars("MSFT", from: F.friday10, minutes: 5, price: 400)
        try await F.run(bars: bars) { f in
            try await f.rest(.buy, 1, "AAPL", limit: 100)
            f.clock.set(F.friday10.addingTimeInterval(70))
            #expect(try await f.evaluator(owner: "a").tick().symbols == 1)
            try await f.rest(.buy, 1, "MSFT", limit: 100)
            #expect(try await f.evaluator(owner: "b").tick().symbols == 1)  // MSFT only
            f.clock.set(F.friday10.addingTimeInterval(70 + BarLoopSettings.standard.leaseDuration + 1))
            #expect(try await f.evaluator(owner: "b").tick().symbols == 2)
        }
    }

    @Test("a second engine started later gets its share of the symbols from the first, and all of them when it dies")
    func liveEnginesShareTheSymbols() async throws {
        let symbols = ["AAPL", "MSFT", "SPY", "QQQ"]
        let bars = symbols.flatMap { F.bars($0, from: F.friday10, minutes: 10, price: 171) }
        try await F.run(bars: bars) { f in
            for symbol in symbols { try await f.rest(.buy, 1, symbol, limit: 100) }
            f.clock.set(F.friday10.addingTimeInterval(70))
            let (a, b) = (f.evaluator(owner: "a"), f.evaluator(owner: "b"))
            #expect(try await a.tick().symbols == 4)
            // b makes itself known; a gives half up on its next tick, and b takes that half.
            #expect(try await b.tick().symbols == 0)
            #expect(try await a.tick().symbols == 2)
            #expect(try await b.tick().symbols == 2)
            let owners = try await f.database.withConnection { db in
                try await db.raw("SELECT lease_owner, COUNT(*) AS n FROM bar_watermarks GROUP BY lease_owner").all().map {
                    (try $0.decode(column: "lease_owner", as: String.self), try $0.decode(column: "n", as: Int.self))
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: owners) == ["a": 2, "b": 2])
            // a stops renewing (it died): once its leases lapse, b walks everything.
            f.clock.set(F.friday10.addingTimeInterval(70 + BarLoopSettings.standard.leaseDuration + 1))
            #expect(try await b.tick().symbols == 4)
        }
    }

    @Test("two engines ticking together on one database fill every crossed order exactly once", arguments: [true, false])
    func twoEnginesNeverDoubleFill(leases: Bool) async throws {
        let symbols = ["AAPL", "MSFT", "SPY", "QQQ"]
        let bars = symbols.flatMap { F.bars($0, from: F.friday10, minutes: 30, price: 100, special: [15: (open: 100, high: 100, low: 90)]) }
        try await F.run(bars: bars) { f in
            var ids: [Int64] = []
            for (index, symbol) in symbols.enumerated() {
                for step in 0..<10 {
                    ids.append(try await f.rest(.buy, 1, symbol, limit: Decimal6(91 + index + step % 5)).id)
                }
            }
            f.clock.set(F.friday10.addingTimeInterval(30 * 60 + 10))
            // Without leases (a lease that lapses at once), both engines walk every symbol.
            let settings = BarLoopSettings(leaseDuration: leases ? 120 : -1)
            let engines = [f.evaluator(owner: "a", settings: settings), f.evaluator(owner: "b", settings: settings)]
            let reports = try await withThrowingTaskGroup(of: RestingOrderEvaluator.TickReport.self) { group in
                for engine in engines { group.addTask { try await engine.tick() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.map(\.outcomes.filled).reduce(0, +) == ids.count)
            let fills = try await f.database.withConnection { db in
                try await db.raw("SELECT paper_order_id, COUNT(*) AS n FROM paper_fills GROUP BY paper_order_id").all()
            }
            #expect(fills.count == ids.count)
            #expect(try fills.allSatisfy { try $0.decode(column: "n", as: Int.self) == 1 })
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }
}
