/// An open position as the buying-power check sees it: symbol, direction, size and latest mark.
public struct HeldPosition: Sendable, Hashable {
    /// Canonical symbol: a ticker or an unpadded OCC option symbol.
    public var symbol: String
    public var side: PositionSide
    /// Shares or contracts, positive; `side` gives the direction.
    public var quantity: Decimal6
    /// Latest price per share (per contract share for options), e.g. the quote mid.
    public var mark: Decimal6

    public init(symbol: String, side: PositionSide, quantity: Decimal6, mark: Decimal6) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.mark = mark
    }

    /// The option contract, when the symbol is one.
    var optionContract: OptionSymbol? {
        OptionSymbol.isOptionSymbol(symbol) ? try? OptionSymbol(parsing: symbol) : nil
    }
}
