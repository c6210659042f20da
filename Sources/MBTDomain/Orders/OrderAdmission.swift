import Foundation

/// The checks a new order (or a replacement) passes, in order: the market lists its symbol, the
/// buying-power rule at its estimated price, then the fill engine. Every path that places orders
/// decides through here, so a ticket is judged the same whoever sends it.
public enum OrderAdmission {
    /// - Parameters:
    ///   - listing: `nil` when the market lists the symbol, else why not.
    ///   - marks: the prices at hand; the order's own quote, if the market has one now, is among them.
    ///   - account: the account under its lock, with any order being replaced already released.
    public static func decide(
        _ order: ValidatedOrder, listing: OrderRejection?, marks: Marks, account: BuyingPowerAccount, at now: Date,
        session: TradingSession?, settings: FillSettings
    ) -> FillDecision {
        if let listing { return .reject(listing) }
        let quote = marks.quotes[order.symbol]
        let opening = account.openingQuantity(symbol: order.symbol, side: order.side, quantity: order.quantity)
        let price = estimatedPrice(order, marks: marks, account: account)
        // Off-hours a market order nothing prices yet waits for the open, reserving nothing until
        // then; its fill is judged by the same rule. In session it needs a price now.
        if opening.isPositive, price == nil, session != nil {
            return .reject(
                OrderRejection(
                    .noUsableQuote,
                    "the market has no price for \(order.symbol) yet, so the order's buying power cannot be reserved; "
                        + "send a limit order, or a market order once the market quotes it"))
        }
        if case .rejected(let rejection) = BuyingPower.check(order, estimatedPrice: price ?? .zero, account: account) {
            return .reject(rejection)
        }
        return FillEngine.onSubmit(RestingOrder(order, submittedAt: now), quote: quote, now: now, session: session, settings: settings)
    }

    /// The price the order is judged at (``BuyingPower/estimatedPrice(side:instrument:limit:quote:mark:)``)
    /// with the marks at hand: its quote, else the last bar close, else the position's mark;
    /// `nil` when nothing prices it.
    public static func estimatedPrice(_ order: ValidatedOrder, marks: Marks, account: BuyingPowerAccount) -> Decimal6? {
        let mark = marks.barCloses[order.symbol] ?? account.positions.first { $0.symbol == order.symbol }?.mark
        return BuyingPower.estimatedPrice(
            side: order.side, instrument: order.instrument, limit: order.limitPrice, quote: marks.quotes[order.symbol], mark: mark)
    }
}
