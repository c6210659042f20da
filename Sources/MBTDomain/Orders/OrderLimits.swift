/// Sanity bounds on an order, so that a typo (an extra zero, a price in cents) is refused instead of
/// filled, and every notional the engine computes stays far inside `NUMERIC(18,6)`.
public struct OrderLimits: Sendable, Hashable {
    /// Most shares in one stock order.
    public var maximumShares: Decimal6
    /// Most contracts in one option order.
    public var maximumContracts: Decimal6
    /// Highest limit price per share (per contract share for options).
    public var maximumLimitPrice: Decimal6
    /// Longest client order id, in characters (Alpaca allows 48; we allow the record's 128).
    public var maximumClientOrderIdLength: Int

    public init(
        maximumShares: Decimal6 = 10_000_000,
        maximumContracts: Decimal6 = 10_000,
        maximumLimitPrice: Decimal6 = 1_000_000,
        maximumClientOrderIdLength: Int = 128
    ) {
        self.maximumShares = maximumShares
        self.maximumContracts = maximumContracts
        self.maximumLimitPrice = maximumLimitPrice
        self.maximumClientOrderIdLength = maximumClientOrderIdLength
    }

    /// The defaults: 10,000,000 shares, 10,000 contracts, limit prices up to 1,000,000.
    public static let standard = OrderLimits()
}
