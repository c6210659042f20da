/// What the tax engine needs to know about a symbol: stock or option, how many shares one unit
/// stands for, which underlying it belongs to, and whether it is a Section 1256 contract.
///
/// Classified once per symbol (a lot book keeps it), so OCC symbols are parsed once, not per fill.
public struct TaxInstrument: Sendable, Hashable {
    public let symbol: String
    /// The parsed contract for an option; `nil` for a stock or ETF.
    public let option: OptionSymbol?
    /// The stock an option is on (its OCC root, or the index a cash-settled root settles against);
    /// the symbol itself for a stock. Wash-sale families in ``TaxPolicy/IdentityMode/underlyingFamily``
    /// group by it.
    public let underlying: String
    /// Broad-based index options: 60/40, marked to market at year end, never washed.
    public let isSection1256: Bool

    /// Classifies `symbol`: an OCC option symbol when it has that shape, otherwise a stock ticker
    /// in canonical upper case; `nil` when it is neither.
    public init?(symbol: String) {
        if OptionSymbol.isOptionSymbol(symbol) {
            guard let option = try? OptionSymbol(parsing: symbol) else { return nil }
            self.symbol = symbol
            self.option = option
            self.isSection1256 = Section1256.isContract(option)
            self.underlying = isSection1256 ? IndexOptionRoots.underlyingIndex(ofRoot: option.root) : option.root
            return
        }
        guard case .success(let canonical) = MarketSymbol.normalize(symbol), canonical == symbol else { return nil }
        self.symbol = symbol
        self.option = nil
        self.underlying = symbol
        self.isSection1256 = false
    }

    public var assetClass: AssetClass { option == nil ? .usEquity : .option }

    /// Shares per unit of quantity: 100 per option contract (prices are quoted per share), 1 per share.
    public var multiplier: Int64 { option == nil ? 1 : OptionSymbol.contractMultiplier }

    /// Cash-settled contracts pay their intrinsic value at exercise instead of delivering shares.
    public var isCashSettled: Bool {
        guard let option else { return false }
        return IndexOptionRoots.isCashSettled(root: option.root)
    }

    /// `quantity` in shares: wash sales are matched share for share, and one contract stands for 100.
    func shareEquivalents(_ quantity: Decimal6) -> Decimal6 {
        Decimal6(micros: quantity.micros * multiplier)
    }
}
