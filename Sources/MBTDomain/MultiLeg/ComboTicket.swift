/// A multi-leg order as the client asks for it: Alpaca's `order_class: "mleg"` body.
///
/// Prices are *net per unit*, in dollars per share of the strategy's 100-share unit: positive is
/// a debit (the trader pays), negative a credit (the trader receives), as Alpaca's `limit_price`
/// is. ``ComboPricing`` defines how leg prices add up to it.
public struct ComboTicket: Sendable, Hashable {
    /// Two to four legs, each a different symbol.
    public var legs: [ComboLeg]
    /// How many units of the strategy: every leg trades `ratioQty × qty`. A whole number ≥ 1.
    public var qty: Decimal6
    public var orderType: OrderType
    /// `day` or `gtc`.
    public var timeInForce: TimeInForce
    /// The net limit per unit (debit > 0, credit < 0); required for limit orders, absent for market ones.
    public var limitPrice: Decimal6?

    public init(legs: [ComboLeg], qty: Decimal6, orderType: OrderType, timeInForce: TimeInForce = .day, limitPrice: Decimal6? = nil) {
        self.legs = legs
        self.qty = qty
        self.orderType = orderType
        self.timeInForce = timeInForce
        self.limitPrice = limitPrice
    }
}
