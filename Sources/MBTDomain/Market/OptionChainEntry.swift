/// One listed contract of an option chain: its quote and the model's greeks, as the market gives
/// them and as strategy builders pick strikes from them.
public struct OptionChainEntry: Sendable, Hashable, Codable {
    public let symbol: OptionSymbol
    public let quote: Quote?
    public let delta: Decimal6?
    public let gamma: Decimal6?
    public let theta: Decimal6?
    public let vega: Decimal6?
    public let rho: Decimal6?
    public let impliedVolatility: Decimal6?

    public init(
        symbol: OptionSymbol, quote: Quote?, delta: Decimal6? = nil, gamma: Decimal6? = nil, theta: Decimal6? = nil,
        vega: Decimal6? = nil, rho: Decimal6? = nil, impliedVolatility: Decimal6? = nil
    ) {
        self.symbol = symbol
        self.quote = quote
        self.delta = delta
        self.gamma = gamma
        self.theta = theta
        self.vega = vega
        self.rho = rho
        self.impliedVolatility = impliedVolatility
    }

    public var strike: Decimal6 { symbol.strike }
    public var right: OptionSymbol.Right { symbol.right }

    /// The quote's mid when it can price a trade: both sides quoted and not crossed.
    public var usableMid: Decimal6? {
        guard let quote, quote.bid.isPositive, quote.ask.isPositive, !quote.isCrossed else { return nil }
        return quote.mid
    }
}
