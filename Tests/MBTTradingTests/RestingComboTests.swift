import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// Resting multi-leg limits: they hold back their maximum loss while they rest, fill all legs at
/// once on the tick where the net mid reaches the net limit, expire, are canceled and replaced as
/// one order, and are caught up after downtime on each missed minute's quotes
/// (docs/multi-leg.md).
@Suite("Resting multi-leg orders")
struct RestingComboTests {
    typealias F = BarLoopFixture
    typealias M = MultiLegOrderTests

    static let minute: TimeInterval = 60

    /// The iron condor's quotes at `at`; `shortPut` sets the short put's mid (2.50 nets a 3.30
    /// credit, 2.70 a 3.50 credit).
    static func condorQuotes(at instant: Date, shortPut mid: Decimal6 = "2.50") -> [Quote] {
        func quote(_ symbol: OptionSymbol, _ bid: Decimal6, _ ask: Decimal6) -> Quote {
            Quote(symbol: symbol.description, bid: bid, ask: ask, bidSize: 1, askSize: 1, timestamp: instant)
        }
        return [
            Quote(symbol: "AAPL", bid: "150.00", ask: "150.02", bidSize: 1, askSize: 1, timestamp: instant),
            quote(M.longPut, "0.90", "1.10"), quote(M.shortPut, mid - "0.10", mid + "0.10"), quote(M.shortCall, "2.90", "3.10"),
            quote(M.longCall, "1.15", "1.25"),
        ]
    }

    /// A credit of 3.50 asked for the condor: it rests while the legs net 3.30.
    static let condorAt350 = ComboTicket(legs: M.ironCondor, qty: 1, orderType: .limit, timeInForce: .day, limitPrice: "-3.50")

    static func rest(_ ticket: ComboTicket, _ service: OrderService, _ f: F) async throws -> PaperOrder {
        guard case .created(let parent) = try await service.submit(ticket, clientOrderId: nil, for: f.user) else {
            throw SimulatedWeekTests.TestFailure("the combo was not created")
        }
        return parent
    }

    static func legs(_ parent: PaperOrder, _ f: F) async throws -> [PaperOrder] {
        (try await OrderStore(database: f.database).legs(of: [parent.id])[parent.id] ?? []).map(\.order)
    }

    static func reserved(_ f: F) async throws -> Decimal6 {
        try await f.database.withConnection { db in try await LedgerStore.openComboReservations([f.user.id], on: db)[f.user.id] ?? .zero }
    }

    static func fillRules(_ f: F) async throws -> Set<String> {
        try await f.database.withConnection { db in
            Set(try await db.raw("SELECT fill_rule FROM paper_fills").all().map { try $0.decode(column: "fill_rule", as: String.self) })
        }
    }

    @Test func aComboLimitRestsAndFillsAllLegsOnTheTickWhereTheNetMidReachesIt() async throws {
        let crossAt = F.friday10.addingTimeInterval(5 * Self.minute)
        let quotes = Self.condorQuotes(at: F.friday10) + Self.condorQuotes(at: crossAt, shortPut: "2.70")
        try await F.run(bars: [], quotes: quotes) { f in
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let service = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            let parent = try await Self.rest(Self.condorAt350, service, f)
            #expect(parent.status == .accepted && parent.orderClass == .mleg)
            #expect(try await Self.legs(parent, f).map(\.status) == [.accepted, .accepted, .accepted, .accepted])
            // The wider side is 10 wide: 10 × 100 − 350 = 650 held back while it rests.
            #expect(try await Self.reserved(f) == 650)
            let evaluator = f.evaluator(postFillHook: ledger)
            f.clock.set(F.friday10.addingTimeInterval(50))
            _ = try await evaluator.tick()
            #expect(try await f.order(parent.id).status == .accepted)
            #expect(try await M.count("paper_fills", f) == 0)

            f.clock.set(crossAt.addingTimeInterval(30))
            let report = try await evaluator.tick()
            #expect(report.outcomes.filled == 1)
            let filled = try await f.order(parent.id)
            #expect(filled.status == .filled && filled.fillPrice == "-3.5")
            let legs = try await Self.legs(parent, f)
            #expect(legs.map(\.status) == [.filled, .filled, .filled, .filled])
            #expect(legs.map(\.fillPrice) == ["1.00", "2.70", "3.00", "1.20"])
            #expect(try await Self.fillRules(f) == ["combo_limit_at_mid"])
            #expect(try await Self.reserved(f) == .zero)
            #expect(try await M.count("tax_lots", f) == 4)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func aRestingComboHoldsBackItsMaximumLossFromLaterOrders() async throws {
        try await F.run(bars: [], quotes: Self.condorQuotes(at: F.friday10), startingBalance: 1_000) { f in
            let service = OrderService(database: f.database, marketData: f.marketData)
            // A put credit spread asking 1.70 (the mids give 1.50) rests, holding back 1,000 − 170 = 830.
            let spread = ComboTicket(
                legs: [M.leg(M.shortPut, .sellToOpen), M.leg(M.longPut, .buyToOpen)], qty: 1, orderType: .limit, limitPrice: "-1.70")
            _ = try await Self.rest(spread, service, f)
            #expect(try await Self.reserved(f) == 830)
            let second = await M.refusal { try await service.submit(spread, clientOrderId: nil, for: f.user) }
            #expect(second?.code == .insufficientBuyingPower, "\(String(describing: second))")
            #expect(try await M.count("paper_fills", f) == 0)
        }
    }

    @Test func catchUpFillsAtTheMissedMinuteWhereTheNetMidCrossed() async throws {
        let crossAt = F.friday10.addingTimeInterval(3 * Self.minute)
        let quotes =
            Self.condorQuotes(at: F.friday10) + Self.condorQuotes(at: crossAt, shortPut: "2.80")
            + Self.condorQuotes(at: crossAt.addingTimeInterval(Self.minute))
        try await F.run(bars: [], quotes: quotes) { f in
            let service = OrderService(database: f.database, marketData: f.marketData)
            f.clock.set(F.friday10.addingTimeInterval(10))
            let parent = try await Self.rest(Self.condorAt350, service, f)
            // Down for half an hour: the crossing minute came and went.
            f.clock.set(F.friday10.addingTimeInterval(30 * Self.minute))
            let report = try await f.evaluator().tick()
            #expect(report.comboMinutesCaughtUp > 0)
            let filled = try await f.order(parent.id)
            #expect(filled.status == .filled && filled.fillPrice == "-3.6" && filled.filledAt == crossAt)
            #expect(try await Self.fillRules(f) == ["combo_limit_at_mid"])
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func withoutQuoteHistoryACatchUpJudgesOnTheCurrentQuoteAndSaysSo() async throws {
        let now = F.friday10.addingTimeInterval(30 * Self.minute)
        let quotes = Self.condorQuotes(at: F.friday10) + Self.condorQuotes(at: now.addingTimeInterval(-20), shortPut: "2.70")
        try await F.run(bars: [], quotes: quotes) { f in
            let market = MarketDataService(
                provider: LatestQuotesOnly(base: f.marketData.provider), clock: f.clock, accessLog: f.marketData.accessLog)
            let service = OrderService(database: f.database, marketData: market)
            let parent = try await Self.rest(Self.condorAt350, service, f)
            f.clock.set(now)
            let evaluator = RestingOrderEvaluator(
                database: f.database, marketData: market, owner: "engine-a", leaseClock: f.clock, logger: TestDatabase.logger)
            _ = try await evaluator.tick()
            #expect(try await f.order(parent.id).status == .filled)
            #expect(try await Self.fillRules(f) == ["combo_limit_at_latest_mid_after_downtime"])
        }
    }

    @Test func cancelAndReplaceActOnTheParentAndItsLegsTogether() async throws {
        try await F.run(bars: [], quotes: Self.condorQuotes(at: F.friday10)) { f in
            let service = OrderService(database: f.database, marketData: f.marketData)
            let parent = try await Self.rest(Self.condorAt350, service, f)
            let oldLegs = try await Self.legs(parent, f)
            // A leg moves only with its parent.
            await #expect(throws: TradingError.self) { try await service.cancel(orderId: oldLegs[0].id, for: f.user) }

            let replacement = try await service.replace(
                orderId: parent.id, with: .init(quantity: 2, limitPrice: "-3.40", timeInForce: .gtc), for: f.user)
            #expect(replacement.status == .accepted && replacement.replacesOrderId == parent.id)
            #expect(replacement.quantity == 2 && replacement.limitPrice == "-3.4" && replacement.timeInForce == .gtc)
            let replaced = try await f.order(parent.id)
            #expect(replaced.status == .canceled && replaced.replacedByOrderId == replacement.id)
            #expect(try await Self.legs(parent, f).allSatisfy { $0.status == .canceled })
            #expect(try await Self.legs(replacement, f).map(\.quantity) == [2, 2, 2, 2])
            // (10 − 3.40) × 100 × 2: only the replacement is held back.
            #expect(try await Self.reserved(f) == 1_320)

            let canceled = try await service.cancel(orderId: replacement.id, for: f.user)
            #expect(canceled.status == .canceled)
            #expect(try await Self.legs(replacement, f).allSatisfy { $0.status == .canceled })
            #expect(try await Self.reserved(f) == .zero)
            await #expect(throws: TradingError.self) { try await service.cancel(orderId: replacement.id, for: f.user) }
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func aDayComboExpiresAtTheCloseWithItsLegs() async throws {
        try await F.run(bars: [], quotes: Self.condorQuotes(at: F.friday10)) { f in
            let service = OrderService(database: f.database, marketData: f.marketData)
            let parent = try await Self.rest(Self.condorAt350, service, f)
            f.clock.set(F.fridayClose.addingTimeInterval(5 * Self.minute))
            let report = try await f.evaluator().tick()
            #expect(report.outcomes.expired == 1)
            #expect(try await f.order(parent.id).status == .expired)
            #expect(try await Self.legs(parent, f).allSatisfy { $0.status == .expired })
            #expect(try await Self.reserved(f) == .zero)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func aCancelRacingAFillHasOneWinner() async throws {
        let crossAt = F.friday10.addingTimeInterval(2 * Self.minute)
        let quotes = Self.condorQuotes(at: F.friday10) + Self.condorQuotes(at: crossAt, shortPut: "2.70")
        for _ in 0..<3 {
            try await F.run(bars: [], quotes: quotes) { f in
                let service = OrderService(database: f.database, marketData: f.marketData)
                let parent = try await Self.rest(Self.condorAt350, service, f)
                f.clock.set(crossAt.addingTimeInterval(20))
                let evaluator = f.evaluator()
                async let tick: Void = { _ = try? await evaluator.tick() }()
                async let cancel = try? service.cancel(orderId: parent.id, for: f.user)
                _ = await (tick, cancel)
                let final = try await f.order(parent.id)
                #expect([.filled, .canceled].contains(final.status))
                #expect(try await Self.legs(parent, f).allSatisfy { $0.status == final.status })
                #expect(try await M.count("paper_fills", f) == (final.status == .filled ? 4 : 0))
                #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
            }
        }
    }
}

/// A market that serves latest quotes only, as Alpaca does.
struct LatestQuotesOnly: MarketDataProvider {
    let base: any MarketDataProvider
    var source: String { base.source }
    func tradableStocks() async throws -> Set<String> { try await base.tradableStocks() }
    func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] { try await base.latestQuotes(symbols) }
    func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] {
        try await base.minuteBars(symbols, from: from, to: to)
    }
    func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] {
        try await base.optionChain(underlying: underlying, expiry: expiry)
    }
    func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] { try await base.latestOptionQuotes(symbols) }
    func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? { nil }
    func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] {
        try await base.corporateActions(from: from, through: through, symbols: symbols)
    }
}
