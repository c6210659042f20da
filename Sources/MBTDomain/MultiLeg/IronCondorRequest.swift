/// What the iron-condor builder is asked for: an underlying and expiry, where to put
/// the short strikes, how wide the wings are, how many, and optionally a net limit.
public struct IronCondorRequest: Sendable, Hashable {
    /// How the short strikes are chosen.
    public enum ShortStrikes: Sendable, Hashable {
        /// Target deltas, each in (0, 0.5); the put's as a positive magnitude.
        case deltas(call: Decimal6, put: Decimal6)
        /// Listed strikes, the put's below the call's.
        case strikes(call: Decimal6, put: Decimal6)
    }

    public var underlying: String
    public var expiry: MarketDate
    public var shortStrikes: ShortStrikes
    /// Dollars between each short strike and its wing, > 0.
    public var wingWidth: Decimal6
    /// Condors, a whole number ≥ 1.
    public var qty: Decimal6
    /// Net limit per unit in the ticket's convention: negative, the credit to collect at least.
    public var limitPrice: Decimal6?

    public init(
        underlying: String, expiry: MarketDate, shortStrikes: ShortStrikes, wingWidth: Decimal6, qty: Decimal6, limitPrice: Decimal6? = nil
    ) {
        self.underlying = underlying
        self.expiry = expiry
        self.shortStrikes = shortStrikes
        self.wingWidth = wingWidth
        self.qty = qty
        self.limitPrice = limitPrice
    }
}
