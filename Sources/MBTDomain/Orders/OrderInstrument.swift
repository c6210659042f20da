/// What an order trades: a stock (or ETF) by ticker, or one option contract.
///
/// Resolving the symbol once, at validation, means the fill engine and the buying-power check never
/// re-parse text and cannot disagree about whether a symbol is an option.
public enum OrderInstrument: Sendable, Hashable, CustomStringConvertible {
    /// A stock or ETF, by its canonical (upper-case) ticker.
    case equity(String)
    case option(OptionSymbol)

    /// Resolves a symbol as typed: anything shaped like an OCC symbol is an option (and must then be a
    /// valid one), everything else a ticker. Case is ignored, as tickers' is.
    public static func resolve(_ text: String) -> Result<OrderInstrument, OrderRejection> {
        let upper = text.uppercased()
        if OptionSymbol.isOptionSymbol(upper) {
            do {
                return .success(.option(try OptionSymbol(parsing: upper)))
            } catch {
                return .failure(OrderRejection(.invalidSymbol, error.description))
            }
        }
        switch MarketSymbol.normalize(text) {
        case .success(let ticker): return .success(.equity(ticker))
        case .failure(let error): return .failure(OrderRejection(.invalidSymbol, error.description))
        }
    }

    /// The canonical symbol: the ticker, or the unpadded OCC symbol. This is the key for quotes,
    /// bars and positions.
    public var symbol: String {
        switch self {
        case .equity(let ticker): ticker
        case .option(let contract): contract.description
        }
    }

    public var description: String { symbol }

    public var assetClass: AssetClass {
        switch self {
        case .equity: .usEquity
        case .option: .option
        }
    }

    /// Shares per unit of quantity: 1 for stock, 100 per option contract (prices are per share).
    public var multiplier: Int64 {
        switch self {
        case .equity: 1
        case .option: OptionSymbol.contractMultiplier
        }
    }

    public var optionContract: OptionSymbol? {
        if case .option(let contract) = self { return contract }
        return nil
    }
}
