/// What open orders in one symbol and direction may still do to an account: their total quantity
/// and their total value per share (Σ quantity × price, the limit or, for market orders, the
/// estimated price; options not yet × 100). Several orders with the same symbol and side add up
/// into one exposure, which is all the buying-power rule needs.
public struct OpenOrderExposure: Sendable, Hashable {
    public var symbol: String
    public var side: OrderSide
    public var quantity: Decimal6
    public var value: Decimal6

    public init(symbol: String, side: OrderSide, quantity: Decimal6, value: Decimal6) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.value = value
    }

    /// One order of `quantity` at `price` per share.
    public init(symbol: String, side: OrderSide, quantity: Decimal6, price: Decimal6) throws(DecimalArithmeticError) {
        self.init(symbol: symbol, side: side, quantity: quantity, value: try price.multiplied(by: quantity, rounding: .up))
    }

    var key: Key { Key(symbol: symbol, side: side) }

    struct Key: Hashable {
        let symbol: String
        let side: OrderSide
    }
}
