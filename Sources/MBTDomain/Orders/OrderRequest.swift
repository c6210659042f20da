/// An order as a client asks for it, before anything has been checked.
///
/// The symbol is kept as typed so that validation can say what was wrong with it; everything else is
/// already typed because the JSON layer refuses unknown sides, types and times in force, and
/// decimals arrive exact (``Decimal6``), so what remains to check is meaning, not syntax.
public struct OrderRequest: Sendable, Hashable {
    /// A stock ticker (`AAPL`, `BRK.B`) or an OCC option symbol (`AAPL260320C00150000`).
    public var symbol: String
    public var side: OrderSide
    /// Shares for stocks, contracts for options.
    public var quantity: Decimal6
    public var type: OrderType
    /// Per share (per contract share for options); required for limit orders, absent for market orders.
    public var limitPrice: Decimal6?
    public var timeInForce: TimeInForce
    /// The client's idempotency key: the same (user, id) never creates a second order.
    public var clientOrderId: String?

    public init(
        symbol: String,
        side: OrderSide,
        quantity: Decimal6,
        type: OrderType,
        limitPrice: Decimal6? = nil,
        timeInForce: TimeInForce = .day,
        clientOrderId: String? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.type = type
        self.limitPrice = limitPrice
        self.timeInForce = timeInForce
        self.clientOrderId = clientOrderId
    }
}
