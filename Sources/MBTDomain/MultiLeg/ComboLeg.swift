/// One leg of a multi-leg (`mleg`) ticket as the client asks for it.
///
/// The symbol is kept as typed, like ``OrderRequest/symbol``, so that validation can name the leg
/// whose symbol is wrong; ``ComboValidator`` resolves it to an option contract or, for the stock
/// leg of a covered call, a ticker.
public struct ComboLeg: Sendable, Hashable {
    /// An OCC option symbol (`AAPL261218C00150000`), or the underlying's ticker for a covered call's stock leg.
    public var symbol: String
    public var side: OrderSide
    /// Units of this leg per unit of the strategy: contracts for an option leg, shares for the
    /// stock leg (100 per call contract).
    public var ratioQty: Int
    public var positionIntent: PositionIntent

    public init(symbol: String, side: OrderSide, ratioQty: Int = 1, positionIntent: PositionIntent) {
        self.symbol = symbol
        self.side = side
        self.ratioQty = ratioQty
        self.positionIntent = positionIntent
    }

    /// An option leg whose side follows from its intent, as builders produce them.
    public init(contract: OptionSymbol, ratioQty: Int = 1, positionIntent: PositionIntent) {
        self.init(symbol: contract.description, side: positionIntent.side, ratioQty: ratioQty, positionIntent: positionIntent)
    }
}
