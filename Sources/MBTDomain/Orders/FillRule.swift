/// Which rule priced a fill, recorded with it so every fill can be explained ("filled at the open
/// because the bar opened through your limit") and audited against the documented rules.
public enum FillRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// A market order in the regular session: equities buy at the ask and sell at the bid, options
    /// trade at the mid.
    case marketAtQuote = "market_at_quote"
    /// A market order accepted outside the session: the open of the next session's first bar.
    case marketAtSessionOpen = "market_at_session_open"
    /// A limit order marketable when submitted: the quote's price (ask / bid; the mid for options),
    /// keeping any improvement over the limit.
    case limitMarketableAtQuote = "limit_marketable_at_quote"
    /// A resting limit whose bar opened at or through the limit: the bar's open (the better price).
    case limitBarOpen = "limit_bar_open"
    /// A resting limit the bar reached during the minute (touch, or through with the strict
    /// setting): the limit itself.
    case limitBarLimit = "limit_bar_limit"
    /// A resting limit with no bar to judge it, marketable against the latest quote: the quote's price.
    case limitQuoteFallback = "limit_quote_fallback"
    /// A resting multi-leg limit whose legs' net mid reached its net limit: each leg at its mid
    /// (docs/multi-leg.md).
    case comboLimitAtMid = "combo_limit_at_mid"
    /// The same, judged after downtime on the current quotes because the market keeps no quote
    /// history for the missed minutes (Alpaca's latest quotes only).
    case comboLimitAtLatestMid = "combo_limit_at_latest_mid_after_downtime"
    /// An option expired worthless at its expiry: closed at 0 (docs/jobs.md).
    case expiry
    /// A long option exercised by exception at expiry: the option closed at 0, the shares at the strike.
    case exercise
    /// A short option assigned at expiry: the option closed at 0, the shares at the strike.
    case assignment
    /// A cash-settled index option at expiry: closed at its intrinsic value.
    case cashSettlement = "cash_settlement"

    /// A stock split: the position rescaled at no price (docs/jobs.md).
    case split
    /// The fraction of a share a split leaves, sold (or, short, bought) at the previous close.
    case cashInLieu = "cash_in_lieu"
    /// An admin's account reset: each open position closed at its own average cost, so it ends
    /// with no gain or loss and the ledger still reconciles (docs/ledger.md).
    case accountReset = "account_reset"

    /// The rules of the expiry job rather than of an order.
    public var isExpiry: Bool { [.expiry, .exercise, .assignment, .cashSettlement].contains(self) }
}

/// Which price the fill took, for the same explanation.
public enum FillPriceSource: String, Sendable, Hashable, Codable, CaseIterable {
    case ask
    case bid
    case mid
    case barOpen = "bar_open"
    case limit
    /// Expiry: the option's intrinsic value at the underlying's settlement price (0 when worthless
    /// or delivered).
    case intrinsic
    /// Exercise and assignment deliver shares at the strike.
    case strike
    /// A split moves shares at no price: the ratio rescales the position and its cost.
    case splitRatio = "split_ratio"
    /// Cash in lieu of a fractional share: the previous close per post-split share.
    case previousClose = "previous_close"
    /// An account reset closes each position at its average cost.
    case averageCost = "average_cost"
}
