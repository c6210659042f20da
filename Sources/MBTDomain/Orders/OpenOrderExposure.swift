/// What open orders in one symbol, direction and price may still do to an account: their total
/// quantity at that price per share (the limit or, for market orders, the estimated price; options
/// not yet × 100). Orders at the same symbol, side and price add up into one exposure; different
/// prices stay apart, so the rule can tell which sells open a short (docs/buying-power.md).
public struct OpenOrderExposure: Sendable, Hashable {
    public var symbol: String
    public var side: OrderSide
    public var quantity: Decimal6
    public var price: Decimal6

    public init(symbol: String, side: OrderSide, quantity: Decimal6, price: Decimal6) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
    }

    /// Quantity × price, rounded up (toward caution).
    public func value(of quantity: Decimal6) throws(DecimalArithmeticError) -> Decimal6 {
        try price.multiplied(by: quantity, rounding: .up)
    }
}
