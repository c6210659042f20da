/// How a one-minute bar fills a resting limit order (docs/fill-rules.md).
///
/// A buy limit L fills when the bar's low reaches L (touch: `low ≤ L`; strict: `low < L`) at
/// `min(L, open)`: a bar that opens through the limit fills at the open, because that is the first
/// price traded after the order was resting, as LEAN's equity model, backtrader and Lumibot give it.
/// A sell limit mirrors it on the high at `max(L, open)`. Either way a buy never pays more than L and
/// a sell never receives less.
enum BarPricing {
    static func limitFill(side: OrderSide, limit: Decimal6, bar: Bar, touchFills: Bool) -> (Decimal6, FillPriceSource)? {
        switch side {
        case .buy:
            let reached = touchFills ? bar.low <= limit : bar.low < limit
            guard reached else { return nil }
            return bar.open < limit ? (bar.open, .barOpen) : (limit, .limit)
        case .sell:
            let reached = touchFills ? bar.high >= limit : bar.high > limit
            guard reached else { return nil }
            return bar.open > limit ? (bar.open, .barOpen) : (limit, .limit)
        }
    }

    /// Whether a bar can price anything: consistent and with positive prices.
    static func isUsable(_ bar: Bar) -> Bool {
        bar.isConsistent && bar.low.isPositive
    }
}
