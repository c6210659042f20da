import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import Testing

/// Open orders reserve buying power from the moment they are accepted until they fill, are
/// canceled or expire; refused orders are stored `rejected` with the reason (docs/buying-power.md).
@Suite("Buying power: reservations of open orders")
struct ReservationTests {
    typealias F = BarLoopFixture

    static let quotes = [
        Quote(symbol: "AAPL", bid: "100.00", ask: "100.02", bidSize: 1, askSize: 1, timestamp: F.friday10),
        Quote(symbol: "MSFT", bid: "50.00", ask: "50.02", bidSize: 1, askSize: 1, timestamp: F.friday10),
    ]

    struct Harness {
        let f: F
        let service: OrderService
        let valuer: PortfolioValuer

        init(_ f: F) {
            self.f = f
            self.service = OrderService(database: f.database, marketData: f.marketData)
            self.valuer = PortfolioValuer(positions: PositionStore(database: f.database), marketData: f.marketData)
        }

        /// `buying_power` and `reserved_by_open_orders`, as the account route shows them.
        func buyingPower() async throws -> BuyingPowerAccount.Breakdown {
            let account = try await AccountStore(database: f.database).account(ofUser: f.user.id)
            return try await valuer.buyingPower(userId: f.user.id, cash: account.cashBalance, valuation: try await valuer.value(userId: f.user.id))
        }

        func limit(_ side: OrderSide, _ quantity: Decimal6, _ symbol: String = "AAPL", at price: Decimal6) async throws -> PaperOrder {
            let request = OrderRequest(symbol: symbol, side: side, quantity: quantity, type: .limit, limitPrice: price)
            guard case .created(let order) = try await service.submit(request, for: f.user) else { throw Unexpected.existing }
            return order
        }

        /// The refusal of a submission that must be refused, with the stored order.
        func refusal(_ request: OrderRequest) async throws -> (PaperOrder, OrderRejection) {
            do {
                _ = try await service.submit(request, for: f.user)
            } catch TradingError.rejected(let order, let rejection) {
                return (order, rejection)
            }
            throw Unexpected.accepted
        }
    }

    enum Unexpected: Error { case existing, accepted }

    @Test func aRestingLimitReservesUntilItIsCanceled() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            #expect(try await h.buyingPower().freeCash == 10_000)
            let order = try await h.limit(.buy, 30, at: 90)
            #expect(order.status == .accepted)
            let resting = try await h.buyingPower()
            #expect(resting.reservedByOpenOrders == 2_700)
            #expect(resting.freeCash == 7_300)
            _ = try await h.service.cancel(orderId: order.id, for: f.user)
            let after = try await h.buyingPower()
            #expect(after.reservedByOpenOrders == .zero)
            #expect(after.freeCash == 10_000)
        }
    }

    @Test func aRestingLimitReservesUntilItExpiresOrFills() async throws {
        // One bar at 10:00 that stays above 90, then one at 10:01 that trades down to 89.
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 95, special: [1: (open: 95, high: 95, low: 89)])
        try await F.run(bars: bars, quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            let filling = try await h.limit(.buy, 30, at: 90)
            let expiring = try await h.limit(.buy, 10, at: 80)
            #expect(try await h.buyingPower().reservedByOpenOrders == 3_500)
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
            #expect(try await f.evaluator().tick().outcomes.filled == 1)
            #expect(try await f.order(filling.id).status == .filled)
            let filled = try await h.buyingPower()
            #expect(filled.cash == 7_300)
            #expect(filled.reservedByOpenOrders == 800)
            #expect(filled.freeCash == 6_500)
            f.clock.set(F.fridayClose.addingTimeInterval(10))
            #expect(try await f.evaluator().tick().outcomes.expired == 1)
            #expect(try await f.order(expiring.id).status == .expired)
            #expect(try await h.buyingPower().freeCash == 7_300)
        }
    }

    @Test func ordersBeyondWhatRestingOrdersLeaveAreRejectedAndStored() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            _ = try await h.limit(.buy, 80, at: 90)  // reserves 7,200 of 10,000
            let (buy, why) = try await h.refusal(OrderRequest(symbol: "MSFT", side: .buy, quantity: 60, type: .market))
            #expect(buy.status == .rejected)
            #expect(why.code == .insufficientBuyingPower)
            #expect(why.message.contains("needs 3001.20, buying power 2800.00"))
            #expect(why.message.contains("open orders reserve 7200.00"))
            // A short sale holds back half its value: 120 × 50.00 / 2 = 3,000 > 2,800.
            let (short, shortWhy) = try await h.refusal(OrderRequest(symbol: "MSFT", side: .sell, quantity: 120, type: .market))
            #expect(short.status == .rejected)
            #expect(shortWhy.message.contains("a short sale holds back 50% of its value"))
            #expect(shortWhy.message.contains("needs 3000.00"))
            // 110 shares short fit: 2,750.
            _ = try await h.service.submit(OrderRequest(symbol: "MSFT", side: .sell, quantity: 110, type: .market), for: f.user)
            // Cash 15,500; the short marked at the mid 50.01 holds back 150% × 5,501.10 = 8,251.65.
            #expect(try await h.buyingPower().freeCash == "48.350000")
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func aReplaceThatWouldOverspendIsRejectedAndTheOrderStays() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            let order = try await h.limit(.buy, 50, at: 90)  // 4,500
            // Its own reservation is released: 100 × 95 = 9,500 fits in 10,000; 110 × 95 does not.
            let bigger = try await h.service.replace(orderId: order.id, with: .init(quantity: 100, limitPrice: 95), for: f.user)
            #expect(try await h.buyingPower().reservedByOpenOrders == 9_500)
            do {
                _ = try await h.service.replace(orderId: bigger.id, with: .init(quantity: 110), for: f.user)
                Issue.record("a replace beyond buying power was accepted")
            } catch TradingError.rejected(let stored, let rejection) {
                #expect(stored.status == .rejected)
                #expect(stored.replacesOrderId == bigger.id)
                #expect(rejection.message.contains("needs 10450.00, buying power 10000.00"))
            }
            #expect(try await f.order(bigger.id).status == .accepted)
            #expect(try await h.buyingPower().reservedByOpenOrders == 9_500)
        }
    }

    /// The writer reads an account's reservations from `paper_open_order_totals`, which the
    /// statements that open and close orders keep: after every way an order opens or closes the
    /// stored totals are what the open orders add up to, and a total that reaches zero is gone.
    @Test func openOrderTotalsFollowEveryWayAnOrderOpensAndCloses() async throws {
        let bars = F.bars("AAPL", from: F.friday10, minutes: 2, price: 95, special: [1: (open: 95, high: 95, low: 84)])
        try await F.run(bars: bars, quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            func totals() async throws -> [OpenOrderTotals.Total] {
                let (stored, recounted) = try await f.database.withConnection { db in
                    (try await OpenOrderTotals.read([f.user.id], on: db), try await OpenOrderTotals.recounted(on: db))
                }
                let sorted = stored.sorted { ($0.symbol, $0.limitPrice ?? .zero) < ($1.symbol, $1.limitPrice ?? .zero) }
                #expect(sorted == recounted.sorted { ($0.symbol, $0.limitPrice ?? .zero) < ($1.symbol, $1.limitPrice ?? .zero) })
                return sorted
            }
            func total(_ symbol: String, _ side: OrderSide, _ limit: Decimal6, _ quantity: Decimal6) -> OpenOrderTotals.Total {
                OpenOrderTotals.Total(userId: f.user.id, symbol: symbol, side: side, limitPrice: limit, quantity: quantity)
            }
            let first = try await h.limit(.buy, 30, at: 90)
            let second = try await h.limit(.buy, 10, at: 90)
            let low = try await h.limit(.buy, 5, at: 80)
            _ = try await h.limit(.sell, 7, "MSFT", at: 60)
            #expect(try await totals() == [total("AAPL", .buy, 80, 5), total("AAPL", .buy, 90, 40), total("MSFT", .sell, 60, 7)])
            _ = try await h.service.cancel(orderId: second.id, for: f.user)
            #expect(try await totals() == [total("AAPL", .buy, 80, 5), total("AAPL", .buy, 90, 30), total("MSFT", .sell, 60, 7)])
            _ = try await h.service.replace(orderId: low.id, with: .init(quantity: 6, limitPrice: 85), for: f.user)
            #expect(try await totals() == [total("AAPL", .buy, 85, 6), total("AAPL", .buy, 90, 30), total("MSFT", .sell, 60, 7)])
            f.clock.set(F.friday10.addingTimeInterval(2 * 60 + 10))
            #expect(try await f.evaluator().tick().outcomes.filled == 2)
            #expect(try await f.order(first.id).status == .filled)
            #expect(try await totals() == [total("MSFT", .sell, 60, 7)])
            f.clock.set(F.fridayClose.addingTimeInterval(10))
            #expect(try await f.evaluator().tick().outcomes.expired == 1)
            #expect(try await totals().isEmpty)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    /// The submit path quotes the symbols whose market price the account's buying power depends on:
    /// its positions' and its open orders' except buy limits, which are reserved at their limit.
    @Test func onlySymbolsReservedAtAMarketPriceAreQuoted() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            func priced() async throws -> Set<String> {
                try await f.database.withConnection { db in try await LedgerStore.pricedSymbols(of: f.user.id, on: db) }
            }
            _ = try await h.service.submit(OrderRequest(symbol: "AAPL", side: .buy, quantity: 2, type: .market), for: f.user)
            _ = try await h.limit(.buy, 10, "MSFT", at: 40)
            #expect(try await priced() == ["AAPL"])
            _ = try await h.limit(.sell, 3, "MSFT", at: 60)
            #expect(try await priced() == ["AAPL", "MSFT"])
        }
    }

    /// Parallel orders race for the last dollars with a resting order already holding most of them:
    /// exactly as many are accepted as the free cash allows, on both databases.
    @Test func parallelOrdersNeverOverspendWhatRestingOrdersLeave() async throws {
        try await F.run(bars: [], quotes: Self.quotes, startingBalance: 10_000) { f in
            let h = Harness(f)
            _ = try await h.limit(.buy, 60, at: 90)  // reserves 5,400; 4,600 left: 4 orders of 1,000
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        let symbol = index.isMultiple(of: 2) ? "AAPL" : "MSFT"
                        let (quantity, price): (Decimal6, Decimal6) = symbol == "AAPL" ? (20, 50) : (40, 25)
                        let request = OrderRequest(symbol: symbol, side: .buy, quantity: quantity, type: .limit, limitPrice: price)
                        do {
                            _ = try await h.service.submit(request, for: f.user)
                            return true
                        } catch TradingError.rejected(let order, let rejection) {
                            #expect(order.status == .rejected && rejection.code == .insufficientBuyingPower)
                            return false
                        }
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(accepted == 4)
            let after = try await h.buyingPower()
            #expect(after.reservedByOpenOrders == 9_400)
            #expect(after.freeCash == 600)
            let rejected = try await OrderStore(database: f.database).list(
                userId: f.user.id, filter: .init(status: .rejected), limit: 100, before: nil)
            #expect(rejected.count == 12)
        }
    }
}
