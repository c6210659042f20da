/// An open position as the buying-power rule sees it: symbol, direction, size and its mark.
public struct HeldPosition: Sendable, Hashable {
    /// Canonical symbol: a ticker or an unpadded OCC option symbol.
    public var symbol: String
    public var side: PositionSide
    /// Shares or contracts, positive; `side` gives the direction.
    public var quantity: Decimal6
    /// Price per share (per contract share for options), as ``Mark/of(_:averageCost:quotes:barCloses:)`` chose it.
    public var mark: Decimal6
    public var markSource: MarkSource

    public init(symbol: String, side: PositionSide, quantity: Decimal6, mark: Decimal6, markSource: MarkSource = .quoteMid) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.mark = mark
        self.markSource = markSource
    }

    /// The option contract, when the symbol is one.
    var optionContract: OptionSymbol? {
        OptionSymbol.isOptionSymbol(symbol) ? try? OptionSymbol(parsing: symbol) : nil
    }
}
