import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// The tax ledger as the post-fill hook of the real order service, on a fresh database: rows it
/// stores per fill, and that they always equal what a full recalculation stores.
@Suite("Tax ledger: the post-fill hook and recalculation")
struct TaxLedgerTests {
    typealias Fixture = TaxLedgerFixture

    static func day(_ index: Int) -> MarketDate { Fixture.tradingDay(index) }

    /// Buy, sell at a loss, buy again 6 trading days later: the loss is disallowed, moved into the
    /// new lot's basis, and the new lot's holding period starts a day earlier (the day the sold
    /// shares were held).
    @Test func aLossSaleBoughtBackWithin30DaysIsAWashSale() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: 100, on: Self.day(0))
            try await f.trade(.sell, 10, "AAPL", at: 90, on: Self.day(1))
            try await f.trade(.buy, 10, "AAPL", at: 95, on: Self.day(7))
            let rows = try await f.rows()
            let lots = rows.lots.values.sorted { $0.acquired < $1.acquired }
            try #require(lots.count == 2)
            #expect(lots[0].remainingQuantity == .zero && lots[0].closed == Self.day(1) && lots[0].lotMethod == .fifo)
            #expect(lots[1].remainingQuantity == 10 && lots[1].costBasis == 950 && lots[1].washSaleAdjustment == 100)
            #expect(lots[1].adjustedAcquired == Self.day(7).adding(days: -1))
            let sale = try #require(rows.dispositions[0])
            #expect(sale.lotKey == lots[0].lotKey && sale.kind == .sale && sale.proceeds == 900 && sale.costBasis == 1000)
            #expect(sale.washSaleDisallowed == 100 && sale.gain == .zero)
            #expect(sale.classification?.term == .short && sale.classification?.holdingDays == 1 && sale.classification?.taxYear == 2026)
            let wash = try #require(rows.washSales[0])
            #expect(wash.lossDispositionSeq == 0 && wash.replacementLotKey == lots[1].lotKey)
            #expect(wash.quantity == 10 && wash.disallowedLoss == 100 && wash.holdingDaysCarried == 1)

            // Selling the replacement realises the deferred loss through its basis: 1200 − (950 + 100).
            try await f.trade(.sell, 10, "AAPL", at: 120, on: Self.day(10))
            let second = try #require(try await f.rows().dispositions[1])
            #expect(second.costBasis == 1050 && second.gain == 150 && second.washSaleAdjustment == 100)
            #expect(try await TaxLotStore(database: f.database).realizedGain(userId: f.user.id) == 150)
        }
    }

    /// SPEC §3.6's required case: all on one day.
    @Test func aSameDayBuySellAtALossAndBuyAgainIsAWashSale() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: "172.70", on: Self.day(0), minute: 0)
            try await f.trade(.sell, 10, "AAPL", at: "172.60", on: Self.day(0), minute: 1)
            try await f.trade(.buy, 10, "AAPL", at: "172.70", on: Self.day(0), minute: 2)
            let rows = try await f.rows()
            #expect(rows.dispositions[0]?.washSaleDisallowed == 1 && rows.dispositions[0]?.gain == .zero)
            let open = try #require(rows.lots.values.first { $0.isOpen })
            #expect(open.costBasis == 1727 && open.washSaleAdjustment == 1 && open.adjustedAcquired == Self.day(0))
        }
    }

    /// A sell beyond the long position closes the longs and sells short the rest; a buy beyond
    /// the short covers it and buys the rest.
    @Test func fillsThatFlipAPositionAreSplit() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "MSFT", at: 50, on: Self.day(0))
            try await f.trade(.sell, 15, "MSFT", at: 55, on: Self.day(1))
            var rows = try await f.rows()
            #expect(rows.dispositions.count == 1 && rows.dispositions[0]?.kind == .sale && rows.dispositions[0]?.gain == 50)
            let short = try #require(rows.lots.values.first { $0.side == .short })
            #expect(short.quantity == 5 && short.remainingQuantity == 5 && short.costBasis == 275 && short.acquired == Self.day(1))

            try await f.trade(.buy, 8, "MSFT", at: 60, on: Self.day(2))
            rows = try await f.rows()
            let cover = try #require(rows.dispositions[1])
            #expect(cover.kind == .cover && cover.lotKey == short.lotKey && cover.quantity == 5)
            #expect(cover.proceeds == 275 && cover.costBasis == 300 && cover.gain == -25)
            let long = try #require(rows.lots.values.first { $0.isOpen })
            #expect(long.side == .long && long.quantity == 3 && long.costBasis == 180 && long.acquired == Self.day(2))
            #expect(rows.lots.count == 3 && rows.washSales.isEmpty)
        }
    }

    /// Options are taxed per contract of 100 shares, premiums quoted per share.
    @Test func optionFillsAreTaxedPerContract() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 2, Fixture.call, at: "1.20", on: Self.day(0))
            try await f.trade(.sell, 2, Fixture.call, at: "1.50", on: Self.day(1))
            let rows = try await f.rows()
            let lot = try #require(rows.lots.values.first)
            #expect(lot.assetClass == .option && lot.multiplier == 100 && lot.underlying == "AAPL" && lot.costBasis == 240)
            #expect(!lot.section1256 && lot.closed == Self.day(1))
            #expect(rows.dispositions[0]?.proceeds == 300 && rows.dispositions[0]?.gain == 60)
        }
    }

    /// A lot method applies as it stood when the fill was first taxed: changing the account's
    /// default later changes no stored row, not even through a recalculation.
    @Test func theLotMethodIsFixedWhenAFillIsTaxed() async throws {
        try await Fixture.run { f in
            let accounts = AccountStore(database: f.database)
            _ = try await accounts.setDefaultTaxLotMethod(.lifo, ofUser: f.user.id, at: f.clock.now())
            try await f.trade(.buy, 10, "AAPL", at: 10, on: Self.day(0))
            try await f.trade(.buy, 10, "AAPL", at: 20, on: Self.day(1))
            try await f.trade(.sell, 10, "AAPL", at: 25, on: Self.day(2))
            let rows = try await f.rows()
            #expect(rows.dispositions[0]?.lotMethod == .lifo && rows.dispositions[0]?.gain == 50)
            _ = try await accounts.setDefaultTaxLotMethod(.fifo, ofUser: f.user.id, at: f.clock.now())
            let report = try await TaxLedger(database: f.database).recalc(userId: f.user.id)
            #expect(report.rowsWritten == 0 && report.rowsDeleted == 0)
            #expect(try await f.rows() == rows)
        }
    }

    /// The ledger writes each fill with the method it is taxed with, tax hook or not: the
    /// strategy's (specific identification acting as FIFO), else the account's default at that
    /// moment; taxing it later, after the default changed, still uses the recorded one.
    @Test func theLedgerRecordsEachFillsLotMethodWhenItWritesIt() async throws {
        try await Fixture.run { f in
            let accounts = AccountStore(database: f.database)
            let untaxed = OrderService(database: f.database, marketData: f.service.marketData)
            f.market.setPrice("AAPL", 10)
            _ = try await accounts.setDefaultTaxLotMethod(.lifo, ofUser: f.user.id, at: f.clock.now())
            let hifo = try await strategy(f, lccMethod: .hifo)
            let specific = try await strategy(f, lccMethod: .specificId)
            let tickets: [(OrderSide, Int64?)] = [(.buy, nil), (.buy, hifo), (.sell, specific), (.sell, nil)]
            for (side, strategyId) in tickets {
                let request = OrderRequest(symbol: "AAPL", side: side, quantity: 5, type: .market, limitPrice: nil, timeInForce: .day)
                _ = try await untaxed.submit(request, strategyId: strategyId, for: f.user)
            }
            _ = try await accounts.setDefaultTaxLotMethod(.hifo, ofUser: f.user.id, at: f.clock.now())
            let recorded = try await f.database.withConnection { db in
                try await db.select().column("tax_lot_method").from("paper_fills").where("user_id", .equal, SQLBind(f.user.id))
                    .orderBy("id").all().map { try $0.decode(column: "tax_lot_method", as: String.self) }
            }
            #expect(recorded == ["lifo", "hifo", "fifo", "lifo"])
            _ = try await f.ledger.recalc(userId: f.user.id)
            #expect(try await f.rows().dispositions.values.map(\.lotMethod).sorted { $0.rawValue < $1.rawValue } == [.fifo, .lifo])
        }
    }

    /// The order's strategy's covered-call config names the method (HIFO here, over the
    /// account's FIFO); specific identification without lot ids falls back to FIFO.
    @Test func theStrategyLotMethodOverridesTheAccountDefault() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: 10, on: Self.day(0))
            try await f.trade(.buy, 10, "AAPL", at: 30, on: Self.day(1))
            try await f.trade(.buy, 10, "AAPL", at: 20, on: Self.day(2))
            let hifo = try await strategy(f, lccMethod: .hifo)
            try await fillDirectly(f, .sell, 10, "AAPL", at: 40, on: Self.day(3), strategyId: hifo)
            let specific = try await strategy(f, lccMethod: .specificId)
            try await fillDirectly(f, .sell, 10, "AAPL", at: 40, on: Self.day(4), strategyId: specific)
            let rows = try await f.rows()
            #expect(rows.dispositions[0]?.lotMethod == .hifo && rows.dispositions[0]?.gain == 100)
            #expect(rows.dispositions[1]?.lotMethod == .fifo && rows.dispositions[1]?.gain == 300)
            #expect(try await TaxLedger(database: f.database).recalc(userId: f.user.id).rowsWritten == 0)
        }
    }

    /// A fill the engine cannot classify stays in the ledger untaxed; the hook neither throws nor
    /// stops taxing later fills, and a recalculation reports it.
    @Test func aFillTheEngineRefusesStaysUntaxed() async throws {
        try await Fixture.run { f in
            let fillId = try await fillDirectly(f, .buy, 1, "not a symbol", at: 10, on: Self.day(0), strategyId: nil)
            try await f.trade(.buy, 10, "AAPL", at: 10, on: Self.day(1))
            let (version, newest) = try await f.versionAndNewestFill()
            #expect(version == newest)
            #expect(try await f.rows().lots.count == 1)
            let report = try await TaxLedger(database: f.database).recalc(userId: f.user.id)
            #expect(report.untaxed.map(\.fillId) == [fillId] && report.rowsWritten == 0)
        }
    }

    /// A fill dated before fills already taxed (a catch-up fill) is placed by a rebuild, and the
    /// rows end as a recalculation makes them.
    @Test func anEarlierDatedFillIsPlacedByARebuild() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: 100, on: Self.day(0))
            try await f.trade(.sell, 10, "AAPL", at: 80, on: Self.day(5))
            try await f.trade(.buy, 5, "AAPL", at: 90, on: Self.day(3))  // before the sale: it washes half of the loss
            let rows = try await f.rows()
            #expect(rows.dispositions[0]?.washSaleDisallowed == 100 && rows.dispositions[0]?.gain == -100)
            #expect(try await TaxLedger(database: f.database).recalc(userId: f.user.id).rowsWritten == 0)
            let (version, newest) = try await f.versionAndNewestFill()
            #expect(version == newest)
        }
    }

    /// A transaction that rolls back after the hook ran leaves no row and no trace in the cache:
    /// the next fill sees the stored version behind the cached book and rebuilds.
    @Test func aRolledBackFillLeavesTheCacheConsistent() async throws {
        struct Rollback: Error {}
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: 100, on: Self.day(0))
            let before = try await f.rows()
            await #expect(throws: Rollback.self) {
                try await f.database.withTransaction { db in
                    _ = try await fillDirectly(f, .sell, 10, "AAPL", at: 90, on: Self.day(1), strategyId: nil, on: db)
                    #expect(try await TaxLotStore(database: f.database).rows(userId: f.user.id, on: db).dispositions.count == 1)
                    throw Rollback()
                }
            }
            #expect(try await f.rows() == before)
            try await f.trade(.buy, 5, "AAPL", at: 95, on: Self.day(2))
            let after = try await f.rows()
            #expect(after.dispositions.isEmpty && after.lots.values.map(\.remainingQuantity).reduce(.zero, +) == 15)
            #expect(try await TaxLedger(database: f.database).recalc(userId: f.user.id).rowsWritten == 0)
        }
    }

    /// Random fill streams (stocks long and short, a call, losses bought back, fills dated before
    /// earlier ones, several fills at one instant): after every fill the rows reflect it, and at
    /// the end a recalculation from scratch, by this process or a fresh one, changes nothing.
    @Test(arguments: 1...8 as ClosedRange<UInt64>)
    func incrementalRowsEqualAFullRecalculation(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let symbols = ["AAPL", "MSFT", Fixture.call]
        try await Fixture.run { f in
            var day = 0
            for step in 0..<30 {
                day = random.roll(100) < 15 ? max(0, day - random.roll(5)) : day + random.roll(3)
                let symbol = symbols[random.roll(3)]
                let isOption = symbol == Fixture.call
                let quantity = Decimal6(random.roll(isOption ? 3 : 12) + 1)
                let cents = isOption ? 100 + random.roll(300) : 9_000 + random.roll(2_000)
                let side: OrderSide = random.roll(2) == 0 ? .buy : .sell
                try await f.trade(
                    side, quantity, symbol, at: Decimal6(micros: Int64(cents) * 10_000), on: Self.day(day), minute: random.roll(4))
                let (version, newest) = try await f.versionAndNewestFill()
                #expect(version == newest, "seed \(seed), step \(step)")
            }
            let stored = try await f.rows()
            #expect(!stored.lots.isEmpty)
            let again = try await f.ledger.recalc(userId: f.user.id)
            let fresh = try await TaxLedger(database: f.database).recalc(userId: f.user.id, from: Self.day(0))
            #expect(again.rowsWritten == 0 && again.rowsDeleted == 0, "seed \(seed)")
            #expect(fresh.rowsWritten == 0 && fresh.rowsDeleted == 0 && fresh.repairedBeforeFrom == 0, "seed \(seed)")
            #expect(try await f.rows() == stored, "seed \(seed)")
        }
    }

    /// When the tax rows cannot be written, the fill still stands: the hook's savepoint rolls back
    /// only its own writes, the version stays behind, and the next successful write catches up.
    @Test func aTaxWriteFailureDoesNotLoseTheFill() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: 100, on: Self.day(0))
            let remaining = { () async throws -> Decimal6? in
                try await f.database.withConnection { db in
                    try await db.select().column("remaining_qty").from("tax_lots").first()?.decimal("remaining_qty")
                }
            }
            #expect(try await remaining() == 10)
            try await f.database.withConnection { db in try await db.raw("DROP TABLE holding_period_classifications").run() }
            let sold = try await f.trade(.sell, 10, "AAPL", at: 110, on: Self.day(1))
            #expect(sold?.status == .filled)
            #expect(try await PositionStore(database: f.database).openPositions(userId: f.user.id).isEmpty)
            #expect(try await remaining() == 10)
            let (version, newest) = try await f.versionAndNewestFill()
            #expect(version != nil && version != newest)
        }
    }

    /// Rows a recalculation repairs are written in place; the report says how many.
    @Test func aRecalculationRepairsDamagedRows() async throws {
        try await Fixture.run { f in
            try await f.trade(.buy, 10, "AAPL", at: 100, on: Self.day(0))
            try await f.trade(.sell, 4, "AAPL", at: 110, on: Self.day(40))
            let good = try await f.rows()
            try await f.database.withConnection { db in
                try await db.update("tax_lot_dispositions").set("gain", to: SQLBind(StoredDecimal(1))).run()
                try await db.update("tax_lots").set("remaining_qty", to: SQLBind(StoredDecimal(1))).run()
            }
            let report = try await TaxLedger(database: f.database).recalc(userId: f.user.id, from: Self.day(80))
            #expect(report.rowsWritten == 2 && report.rowsDeleted == 0 && report.repairedBeforeFrom == 1)
            #expect(try await f.rows() == good)
        }
    }

    // MARK: - Helpers

    /// A strategy with a covered-call config naming `lccMethod`.
    private func strategy(_ f: Fixture, lccMethod: TaxLotMethod) async throws -> Int64 {
        try await f.database.withConnection { db in
            let id = try await db.insert(into: "strategies").columns("user_id", "name", "kind")
                .values(SQLBind(f.user.id), SQLBind("lcc-\(lccMethod.rawValue)"), SQLBind("lcc")).returning("id")
                .first(decodingColumn: "id", as: Int64.self)!
            try await db.insert(into: "lcc_strategy_config").columns("strategy_id", "underlying", "default_tax_lot_method")
                .values(SQLBind(id), SQLBind("AAPL"), SQLBind(lccMethod.rawValue)).run()
            return id
        }
    }

    /// A filled order and its fill written straight to the tables (as a bar-loop or strategy path
    /// would), with the hook run in the same transaction; returns the fill id.
    @discardableResult
    private func fillDirectly(
        _ f: Fixture, _ side: OrderSide, _ quantity: Decimal6, _ symbol: String, at price: Decimal6, on day: MarketDate, strategyId: Int64?
    ) async throws -> Int64 {
        try await f.database.withTransaction { db in
            try await fillDirectly(f, side, quantity, symbol, at: price, on: day, strategyId: strategyId, on: db)
        }
    }

    private func fillDirectly(
        _ f: Fixture, _ side: OrderSide, _ quantity: Decimal6, _ symbol: String, at price: Decimal6, on day: MarketDate, strategyId: Int64?,
        on db: any SQLDatabase
    ) async throws -> Int64 {
        let at = day.at(hour: 11, minute: 0)
        _ = try await AccountStore(database: f.database).lockForTrading(userId: f.user.id, on: db)
        let order = try await OrderStore(database: f.database).insert(
            OrderStore.NewOrder(
                userId: f.user.id, symbol: symbol, assetClass: .usEquity, side: side, quantity: quantity, type: .market, timeInForce: .day,
                limitPrice: nil, status: .filled, submittedAt: at),
            on: db)
        if let strategyId {
            try await db.update("paper_orders").set("strategy_id", to: SQLBind(strategyId)).where("id", .equal, SQLBind(order.id)).run()
        }
        let fill = Fill(
            symbol: symbol, side: side, price: price, quantity: quantity, multiplier: 1, rule: .marketAtQuote, priceSource: .ask,
            nbboBid: nil, nbboAsk: nil, slippageBasis: nil, pricedAt: at)
        let fillId = try await FillStore.insert(fill, orderId: order.id, userId: f.user.id, at: at, on: db)
        try await f.ledger.orderFilled(order, fill: fill, fillId: fillId, on: db)
        return fillId
    }
}

extension SplitMix64 {
    /// A number in `0..<bound`.
    mutating func roll(_ bound: Int) -> Int {
        Int(next(upperBound: UInt64(bound)))
    }
}
