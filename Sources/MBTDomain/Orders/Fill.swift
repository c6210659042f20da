import Foundation

/// One execution, with everything needed to explain and audit its price: the rule, the price it
/// took, the NBBO at the time and how far from the mid it landed. v1 fills each order once and in
/// full, so `quantity` is the order's quantity.
public struct Fill: Sendable, Hashable {
    public let symbol: String
    public let side: OrderSide
    /// Per share; for options per contract share (the quoted premium), so a contract costs 100×.
    public let price: Decimal6
    /// Shares, or contracts.
    public let quantity: Decimal6
    /// Shares per unit of quantity: 1 for stock, 100 for options.
    public let multiplier: Int64
    public let rule: FillRule
    public let priceSource: FillPriceSource
    /// The NBBO snapshot at fill time (`paper_fills.nbbo_bid` / `nbbo_ask`); `nil` when priced from
    /// a bar with no quote at hand.
    public let nbboBid: Decimal6?
    public let nbboAsk: Decimal6?
    /// How much worse than the NBBO mid the fill is for the trader: `price − mid` for a buy,
    /// `mid − price` for a sell, so a positive number is a cost and a negative one an improvement.
    /// `nil` when no quote was at hand (store 0, the column's default).
    public let slippageBasis: Decimal6?
    /// The instant the price comes from: the quote's timestamp or the bar's start.
    public let pricedAt: Date

    public init(
        symbol: String, side: OrderSide, price: Decimal6, quantity: Decimal6, multiplier: Int64, rule: FillRule,
        priceSource: FillPriceSource, nbboBid: Decimal6?, nbboAsk: Decimal6?, slippageBasis: Decimal6?, pricedAt: Date
    ) {
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.multiplier = multiplier
        self.rule = rule
        self.priceSource = priceSource
        self.nbboBid = nbboBid
        self.nbboAsk = nbboAsk
        self.slippageBasis = slippageBasis
        self.pricedAt = pricedAt
    }

    /// The cash value: `price × quantity × multiplier`. Quantity × multiplier is exact; the one
    /// product with the price is rounded to six decimals by `rule` (half-even by default, so rounding
    /// errors do not drift one way across many fills). Throws only beyond `Int64` micro-units, which
    /// validated orders cannot reach at sane prices.
    public func notional(rounding rule: FloatingPointRoundingRule = .toNearestOrEven) throws(DecimalArithmeticError) -> Decimal6 {
        try price.multiplied(by: quantity.multiplied(by: multiplier), rounding: rule)
    }

    /// A one-line account of the price for the user, e.g.
    /// "buy 10.000000 AAPL at 187.250000: market_at_quote (ask; NBBO 187.200000 / 187.250000)".
    public var explanation: String {
        let nbbo = nbboBid.flatMap { bid in nbboAsk.map { "; NBBO \(bid) / \($0)" } } ?? ""
        return "\(side.rawValue) \(quantity) \(symbol) at \(price): \(rule.rawValue) (\(priceSource.rawValue)\(nbbo))"
    }
}

extension Fill {
    /// A fill priced from a quote, which is also its NBBO snapshot.
    static func priced(
        _ order: RestingOrder, at price: Decimal6, source: FillPriceSource, rule: FillRule, quote: Quote?, pricedAt: Date
    ) -> Fill {
        Fill(
            symbol: order.symbol, side: order.side, price: price, quantity: order.quantity, multiplier: order.instrument.multiplier,
            rule: rule, priceSource: source, nbboBid: quote?.bid, nbboAsk: quote?.ask,
            slippageBasis: quote.map { QuotePricing.slippage(side: order.side, price: price, mid: $0.mid) },
            pricedAt: pricedAt
        )
    }
}
