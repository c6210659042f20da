/// What an order would cost and leave of buying power, judged by the rules the order paths judge
/// it by (docs/buying-power.md): the price ``OrderAdmission`` judges it at, the buying-power check,
/// and free cash with the order counted among the open orders. The order ticket shows it before
/// the order is sent; nothing here is a second copy of those rules.
public struct OrderEstimate: Sendable, Hashable {
    /// The price per share (per contract share for options) the order is judged at; `nil` when
    /// nothing prices it yet.
    public let price: Decimal6?
    /// Price × quantity (× 100 for options), rounded half-even as a fill's notional is: what a buy
    /// pays or a sell receives at that price.
    public let notional: Decimal6?
    /// Free cash now.
    public let buyingPower: Decimal6
    /// Free cash with the order counted: what the rule requires to stay at zero or above for an
    /// order that opens a position. A sell that closes a position holds nothing back, so it leaves
    /// buying power as it is until it fills.
    public let buyingPowerAfter: Decimal6?
    /// Why the order would be refused for buying power or coverage, if it would.
    public let refusal: OrderRejection?

    public static func of(_ order: ValidatedOrder, marks: Marks, account: BuyingPowerAccount) throws(DecimalArithmeticError)
        -> OrderEstimate
    {
        let before = try account.breakdown().freeCash
        guard let price = OrderAdmission.estimatedPrice(order, marks: marks, account: account) else {
            return OrderEstimate(price: nil, notional: nil, buyingPower: before, buyingPowerAfter: nil, refusal: nil)
        }
        let notional = try price.multiplied(by: order.quantity.multiplied(by: order.instrument.multiplier))
        let after = try BuyingPower.breakdown(
            after: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: price, account: account)
        let refusal: OrderRejection? =
            switch BuyingPower.check(order, estimatedPrice: price, account: account) {
            case .allowed: nil
            case .rejected(let rejection): rejection
            }
        return OrderEstimate(price: price, notional: notional, buyingPower: before, buyingPowerAfter: after.freeCash, refusal: refusal)
    }
}
