/// Where a position's price came from. Every path marks positions the same way (docs/buying-power.md):
/// the quote mid where a quote is at hand, else the last one-minute bar's close, else the
/// position's own average cost.
public enum MarkSource: String, Sendable, Hashable, CaseIterable {
    case quoteMid = "quote mid"
    case lastBarClose = "last bar close"
    case averageCost = "average cost"
}

/// A price per share for a held position, and where it came from.
public struct Mark: Sendable, Hashable {
    public var price: Decimal6
    public var source: MarkSource

    public init(price: Decimal6, source: MarkSource) {
        self.price = price
        self.source = source
    }

    /// The one marking rule: a two-sided quote's mid, else the last bar close, else average cost.
    public static func of(_ symbol: String, averageCost: Decimal6, quotes: [String: Quote], barCloses: [String: Decimal6]) -> Mark {
        if let quote = quotes[symbol], quote.bid.isPositive, quote.ask.isPositive {
            return Mark(price: quote.mid, source: .quoteMid)
        }
        if let close = barCloses[symbol] { return Mark(price: close, source: .lastBarClose) }
        return Mark(price: averageCost, source: .averageCost)
    }
}

/// The prices at hand for marking: the quotes a path fetched and the last bar closes it knows.
public struct Marks: Sendable {
    public var quotes: [String: Quote]
    public var barCloses: [String: Decimal6]

    public init(quotes: [String: Quote] = [:], barCloses: [String: Decimal6] = [:]) {
        self.quotes = quotes
        self.barCloses = barCloses
    }

    public func mark(_ symbol: String, averageCost: Decimal6) -> Mark {
        Mark.of(symbol, averageCost: averageCost, quotes: quotes, barCloses: barCloses)
    }

    /// The price an open order is reserved at: its limit, else what a market order would take.
    /// `nil` when nothing at hand prices it.
    public func orderPrice(_ symbol: String, side: OrderSide, limit: Decimal6?) -> Decimal6? {
        // A buy limit is reserved at its limit whatever the market does (``BuyingPower/estimatedPrice``):
        // no symbol to resolve, which a writer would otherwise do for each of an account's resting buys.
        if side == .buy, let limit { return limit }
        guard case .success(let instrument) = OrderInstrument.resolve(symbol) else { return limit }
        return BuyingPower.estimatedPrice(side: side, instrument: instrument, limit: limit, quote: quotes[symbol], mark: barCloses[symbol])
    }
}
