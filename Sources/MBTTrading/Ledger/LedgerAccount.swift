import Foundation
import MBTDomain
import MBTStorage

/// An account inside a ledger batch: as it was read under its lock, then as the batch's earlier
/// entries left it (docs/ledger.md).
struct LedgerAccount: Sendable {
    let userId: Int64
    var cash: Decimal6
    /// Open positions by symbol, with the row each lives in.
    var positions: [String: TrackedPosition] = [:]
    /// Open orders' quantities by symbol, side and limit (`nil` for market orders).
    var openOrders: [OpenOrderKey: Decimal6] = [:]
    /// What resting multi-leg orders hold back (their parents' reservations).
    var reservedByStructures: Decimal6
    /// The account's default lot method, recorded on its fills that no strategy's method governs.
    let lotMethod: TaxLotMethod

    struct OpenOrderKey: Hashable, Sendable {
        let symbol: String
        let side: OrderSide
        let limitPrice: Decimal6?
    }

    init(
        userId: Int64, cash: Decimal6, positions: [LedgerStore.PositionRow], openOrders: [OpenOrderTotals.Total],
        reservedByStructures: Decimal6 = .zero, lotMethod: TaxLotMethod = .fifo
    ) {
        self.userId = userId
        self.cash = cash
        self.reservedByStructures = reservedByStructures
        self.lotMethod = lotMethod
        for row in positions { self.positions[row.position.symbol] = TrackedPosition(position: row.position, place: .row(row.id)) }
        for total in openOrders {
            self.openOrders[OpenOrderKey(symbol: total.symbol, side: total.side, limitPrice: total.limitPrice), default: .zero] +=
                total.quantity
        }
    }

    /// An order starts reserving buying power: a simple one its quantity at its price, a
    /// multi-leg parent its structure's reservation.
    mutating func open(_ order: OrderStore.NewOrder) {
        switch order.orderClass {
        case .simple:
            openOrders[OpenOrderKey(symbol: order.symbol, side: order.side, limitPrice: order.limitPrice), default: .zero] += order.quantity
        case .mleg: reservedByStructures += order.reservedBuyingPower ?? .zero
        }
    }

    /// An order stops reserving (filled, canceled, expired or replaced).
    mutating func release(symbol: String, side: OrderSide, quantity: Decimal6, limitPrice: Decimal6?) {
        let key = OpenOrderKey(symbol: symbol, side: side, limitPrice: limitPrice)
        let left = (openOrders[key] ?? .zero) - quantity
        openOrders[key] = left.isPositive ? left : nil
    }

    /// An order stops reserving: a simple one its quantity, a multi-leg parent its structure's
    /// reservation (its legs reserve nothing of their own).
    mutating func release(_ order: PaperOrder) {
        switch order.orderClass {
        case .simple: release(symbol: order.symbol, side: order.side, quantity: order.quantity, limitPrice: order.limitPrice)
        case .mleg: reservedByStructures -= order.reservedBuyingPower ?? .zero
        }
    }

    /// The account as the buying-power rule sees it, every position marked by the one rule.
    func buyingPower(marks: Marks) throws(DecimalArithmeticError) -> BuyingPowerAccount {
        let held = positions.values.map { tracked in
            let position = tracked.position
            let mark = marks.mark(position.symbol, averageCost: position.averageCost)
            return HeldPosition(
                symbol: position.symbol, side: position.side, quantity: position.quantity, mark: mark.price, markSource: mark.source)
        }
        var exposures: [OpenOrderExposure] = []
        for (key, quantity) in openOrders {
            let fallback = positions[key.symbol].map { marks.mark(key.symbol, averageCost: $0.position.averageCost).price }
            // A resting market order nothing prices yet (no quote, bar or position) reserves nothing
            // until the market prices it; it was judged at a price when it was placed.
            let price = marks.orderPrice(key.symbol, side: key.side, limit: key.limitPrice) ?? fallback ?? .zero
            exposures.append(OpenOrderExposure(symbol: key.symbol, side: key.side, quantity: quantity, price: price))
        }
        return BuyingPowerAccount(cash: cash, positions: held, openOrders: exposures, reservedByStructures: reservedByStructures)
    }
}

/// A position a batch tracks, and where it lives: an existing row, or a row the batch opens.
struct TrackedPosition: Sendable {
    enum Place: Sendable {
        case row(Int64)
        case opened(Int)
    }

    var position: Position
    var place: Place
}
