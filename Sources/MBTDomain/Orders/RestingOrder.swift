import Foundation

/// The part of an open order the fill engine needs: what, which way, how many, at what limit, for how
/// long, and since when. Storage rebuilds it from a `paper_orders` row; nothing here is mutable state.
public struct RestingOrder: Sendable, Hashable {
    public var instrument: OrderInstrument
    public var side: OrderSide
    public var quantity: Decimal6
    public var type: OrderType
    public var limitPrice: Decimal6?
    public var timeInForce: TimeInForce
    /// When the order was accepted: bars that start earlier never fill it, and DAY / GTC expiry
    /// count from it.
    public var submittedAt: Date

    public init(
        instrument: OrderInstrument,
        side: OrderSide,
        quantity: Decimal6,
        type: OrderType,
        limitPrice: Decimal6? = nil,
        timeInForce: TimeInForce = .day,
        submittedAt: Date
    ) {
        self.instrument = instrument
        self.side = side
        self.quantity = quantity
        self.type = type
        self.limitPrice = limitPrice
        self.timeInForce = timeInForce
        self.submittedAt = submittedAt
    }

    /// A freshly validated order, accepted at `submittedAt`.
    public init(_ order: ValidatedOrder, submittedAt: Date) {
        self.init(
            instrument: order.instrument, side: order.side, quantity: order.quantity, type: order.type,
            limitPrice: order.limitPrice, timeInForce: order.timeInForce, submittedAt: submittedAt
        )
    }

    public var symbol: String { instrument.symbol }
}

extension RestingOrder {
    /// The stored order as the fill engine sees it; `nil` for a symbol that no longer parses (never
    /// stored by this build's validator).
    public init?(_ order: PaperOrder) {
        guard case .success(let instrument) = OrderInstrument.resolve(order.symbol) else { return nil }
        self.init(
            instrument: instrument, side: order.side, quantity: order.quantity, type: order.type, limitPrice: order.limitPrice,
            timeInForce: order.timeInForce, submittedAt: order.submittedAt)
    }
}
