import Foundation

/// How a quote prices an order: which side of the NBBO it takes, whether a limit crosses it, and how
/// far the result is from the mid.
enum QuotePricing {
    /// The quote when it can price a fill for `symbol` at `now`, else why not.
    static func usable(_ quote: Quote?, symbol: String, now: Date, maxAge: TimeInterval) -> Result<Quote, OrderRejection> {
        guard let quote, quote.symbol == symbol else {
            return .failure(OrderRejection(.noUsableQuote, "no quote for \(symbol); try again when the market is quoting it"))
        }
        if let reason = quote.unusableReason(at: now, maxAge: maxAge) {
            return .failure(OrderRejection(.noUsableQuote, reason))
        }
        return .success(quote)
    }

    /// The price an order that takes liquidity gets from `quote`: equities buy at the ask and sell at
    /// the bid; options trade at the mid, because their quoted spreads are wide enough that the far
    /// side would misstate what a patient trader pays (docs/fill-rules.md).
    static func takingPrice(side: OrderSide, instrument: OrderInstrument, quote: Quote) -> (Decimal6, FillPriceSource) {
        switch (instrument, side) {
        case (.option, _): (quote.mid, .mid)
        case (.equity, .buy): (quote.ask, .ask)
        case (.equity, .sell): (quote.bid, .bid)
        }
    }

    /// Whether a limit accepts `price`: a buy pays at most its limit, a sell receives at least it.
    static func isMarketable(side: OrderSide, limit: Decimal6, price: Decimal6) -> Bool {
        switch side {
        case .buy: price <= limit
        case .sell: price >= limit
        }
    }

    /// Distance from the mid, positive when the trader did worse than it.
    static func slippage(side: OrderSide, price: Decimal6, mid: Decimal6) -> Decimal6 {
        switch side {
        case .buy: price - mid
        case .sell: mid - price
        }
    }
}
