/// What the fill engine decided about an order at one evaluation. Exactly one outcome, so the caller
/// applies it in one transaction: record the fill, keep the order open, or close it with a reason.
public enum FillDecision: Sendable, Hashable {
    /// Fill now, in full, at this price.
    case fill(Fill)
    /// Stay open (status accepted) and be evaluated again on the next bar or quote.
    case rest
    /// Refuse the order (status rejected), e.g. a market order in session with no usable quote.
    case reject(OrderRejection)
    /// Close it unfilled (status canceled): an immediate-or-cancel order that could not fill now.
    case cancel(CancelReason)
    /// Close it unfilled (status expired): its time in force ran out.
    case expire(ExpiryReason)

    public var fill: Fill? {
        if case .fill(let fill) = self { return fill }
        return nil
    }
}
