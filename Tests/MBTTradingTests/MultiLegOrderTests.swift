import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// Multi-leg orders through the order service on a replayed market: all legs fill in one
/// transaction at their mids or nothing but the rejected orders is written (docs/multi-leg.md).
@Suite("Multi-leg orders")
struct MultiLegOrderTests {
    typealias F = BarLoopFixture

    static let expiry = MarketDate(year: 2026, month: 4, day: 17)!
    static func contract(_ right: OptionSymbol.Right, _ strike: Decimal6) -> OptionSymbol {
        try! OptionSymbol(root: "AAPL", expiry: expiry, right: right, strike: strike)
    }
    static let longPut = contract(.put, 130)
    static let shortPut = contract(.put, 140)
    static let shortCall = contract(.call, 160)
    static let longCall = contract(.call, 170)
    /// Listed, but never quoted.
    static let unquoted = contract(.call, 180)

    static func quote(_ symbol: String, _ bid: Decimal6, _ ask: Decimal6) -> Quote {
        Quote(symbol: symbol, bid: bid, ask: ask, bidSize: 1, askSize: 1, timestamp: F.friday10)
    }

    static let quotes = [
        quote("AAPL", "150.00", "150.02"), quote(longPut.description, "0.90", "1.10"), quote(shortPut.description, "2.40", "2.60"),
        quote(shortCall.description, "2.90", "3.10"), quote(longCall.description, "1.15", "1.25"),
    ]

    static func leg(_ contract: OptionSymbol, _ intent: PositionIntent, ratio: Int = 1) -> ComboLeg {
        ComboLeg(contract: contract, ratioQty: ratio, positionIntent: intent)
    }

    /// Net credit per unit: −1.00 + 2.50 + 3.00 − 1.20 = 3.30.
    static let ironCondor = [
        leg(longPut, .buyToOpen), leg(shortPut, .sellToOpen), leg(shortCall, .sellToOpen), leg(longCall, .buyToOpen),
    ]

    /// Why the submission was refused, or `nil` when it was not.
    static func refusal(_ body: () async throws -> OrderService.Submission) async -> OrderRejection? {
        do {
            _ = try await body()
            return nil
        } catch TradingError.rejected(_, let rejection) {
            return rejection
        } catch {
            return nil
        }
    }

    static func count(_ table: String, _ f: F) async throws -> Int {
        try await JobTests.count(table, f)
    }

    @Test func anIronCondorFillsEveryLegAtItsMidInOneGo() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 10_000) { f in
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let service = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            let ticket = ComboTicket(legs: Self.ironCondor, qty: 2, orderType: .market)
            guard case .created(let parent) = try await service.submit(ticket, clientOrderId: "condor-1", for: f.user) else {
                Issue.record("the combo was not created")
                return
            }
            #expect(parent.status == .filled && parent.fillPrice == "-3.30" && parent.side == .sell && parent.symbol == "AAPL")
            let legs = try await OrderStore(database: f.database).legs(of: [parent.id])[parent.id] ?? []
            #expect(legs.map(\.order.status) == [.filled, .filled, .filled, .filled])
            #expect(legs.map(\.order.fillPrice) == ["1.00", "2.50", "3.00", "1.20"])
            #expect(legs.map(\.leg.positionIntent) == [.buyToOpen, .sellToOpen, .sellToOpen, .buyToOpen])
            #expect(legs.allSatisfy { $0.order.quantity == 2 && $0.order.parentOrderId == parent.id })
            // A credit of 3.30 × 100 × 2.
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == 10_660)
            let positions = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(positions.count == 4)
            // One lot per leg, equal to a rebuild; the verifier checks the legs add up to the parent.
            let lots = try await TaxLotStore(database: f.database).rows(userId: f.user.id).lots.values.filter(\.isOpen)
            #expect(lots.count == 4)
            #expect(try await ledger.recalc(userId: f.user.id).rowsWritten == 0)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
            // The history shows the parent only; the same client_order_id answers the same order.
            let history = try await OrderStore(database: f.database).list(userId: f.user.id, filter: .init(), limit: 10, before: nil)
            #expect(history.map(\.id) == [parent.id])
            guard case .existing(let again) = try await service.submit(ticket, clientOrderId: "condor-1", for: f.user) else {
                Issue.record("a resent client_order_id made a second combo")
                return
            }
            #expect(again.id == parent.id)
        }
    }

    @Test func aLegWithoutAQuoteRejectsTheWholeComboAndWritesNoFill() async throws {
        try await F.run(bars: [], quotes: Self.quotes + [Self.quote(Self.unquoted.description, 0, 0)]) { f in
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let service = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            let cash = try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance
            let ticket = ComboTicket(
                legs: [Self.leg(Self.shortCall, .sellToOpen), Self.leg(Self.longCall, .buyToOpen), Self.leg(Self.unquoted, .buyToOpen)],
                qty: 1,
                orderType: .market)
            do {
                _ = try await service.submit(ticket, clientOrderId: nil, for: f.user)
                Issue.record("a combo with an unquoted leg filled")
            } catch TradingError.rejected(let parent, let rejection) {
                #expect(parent.status == .rejected && rejection.message.hasPrefix("legs[3]"), "\(rejection)")
                let legs = try await OrderStore(database: f.database).legs(of: [parent.id])[parent.id] ?? []
                #expect(legs.map(\.order.status) == [.rejected, .rejected, .rejected])
            }
            // Nothing but the rejected orders: no fill, position, cash, lot.
            #expect(try await Self.count("paper_fills", f) == 0)
            #expect(try await Self.count("paper_positions", f) == 0)
            #expect(try await Self.count("tax_lots", f) == 0)
            #expect(try await Self.count("paper_orders", f) == 4)
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == cash)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func uncoveredRiskAndMissingBuyingPowerAreRefusedNamingWhy() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 1_000) { f throws in
            let service = OrderService(database: f.database, marketData: f.marketData)
            // Two short calls against one long: the second is naked.
            let ratio = ComboTicket(
                legs: [Self.leg(Self.shortCall, .sellToOpen, ratio: 2), Self.leg(Self.longCall, .buyToOpen)], qty: 1, orderType: .market)
            let naked = await Self.refusal { try await service.submit(ratio, clientOrderId: nil, for: f.user) }
            #expect(naked?.code == .uncoveredOption, "\(String(describing: naked))")
            // A 10-wide put credit spread risks 10 × 100 × 2 − 1.50 × 100 × 2 = 1,700 > 1,000.
            let spread = ComboTicket(
                legs: [Self.leg(Self.shortPut, .sellToOpen), Self.leg(Self.longPut, .buyToOpen)], qty: 2, orderType: .market)
            let short = await Self.refusal { try await service.submit(spread, clientOrderId: nil, for: f.user) }
            #expect(short?.code == .insufficientBuyingPower && short?.message.contains("1700") == true, "\(String(describing: short))")
            #expect(try await Self.count("paper_fills", f) == 0)
        }
    }

    @Test func twoCombosCompetingForOneAccountsBuyingPowerFillOnce() async throws {
        // One put credit spread risks 850 (10 wide less the 1.50 credit); the account has 1,000.
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 1_000) { f throws in
            let service = OrderService(database: f.database, marketData: f.marketData)
            let spread = ComboTicket(
                legs: [Self.leg(Self.shortPut, .sellToOpen), Self.leg(Self.longPut, .buyToOpen)], qty: 1, orderType: .market)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 {
                    group.addTask { (try? await service.submit(spread, clientOrderId: nil, for: f.user)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await Self.count("paper_fills", f) == 2)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func aCoveredCallBuysTheSharesAndSellsTheCallTogether() async throws {
        try await F.run(bars: [], quotes: Self.quotes) { f in
            let service = OrderService(database: f.database, marketData: f.marketData)
            let buyWrite = ComboTicket(
                legs: [
                    ComboLeg(symbol: "AAPL", side: .buy, ratioQty: 100, positionIntent: .buyToOpen), Self.leg(Self.shortCall, .sellToOpen),
                ],
                qty: 1, orderType: .market)
            guard case .created(let parent) = try await service.submit(buyWrite, clientOrderId: nil, for: f.user) else {
                Issue.record("the buy-write was not created")
                return
            }
            // 150.01 (the stock's mid) − 3.00 = 147.01 per share.
            #expect(parent.status == .filled && parent.fillPrice == "147.01")
            let positions = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(Set(positions.map(\.symbol)) == ["AAPL", Self.shortCall.description])
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }
}
