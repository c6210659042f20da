import Foundation

extension FillEngine {
    /// For a resting order on each one-minute bar of its symbol, in bar order.
    ///
    /// Only bars inside the regular session that start at or after the submission count: an earlier
    /// bar's low may predate the order, and extended-hours bars are not traded in v1. A resting
    /// market order (accepted outside the session) fills at the open of the first such bar, which is
    /// the next session's first bar. A limit order follows ``BarPricing``.
    ///
    /// This does not check expiry; ``evaluate(_:bar:session:calendar:settings:nbbo:)`` does both.
    ///
    /// - Parameters:
    ///   - session: the session of the bar's day.
    ///   - nbbo: the quote at the bar, when the caller has one, recorded as the fill's NBBO snapshot
    ///     and used for its slippage basis; it never changes the price.
    public static func onBar(
        _ order: RestingOrder, bar: Bar, session: TradingSession, settings: FillSettings = .standard, nbbo: Quote? = nil
    ) -> FillDecision {
        guard order.timeInForce != .ioc else { return .cancel(.immediateOrderResting) }
        guard bar.symbol == order.symbol, BarPricing.isUsable(bar), session.contains(bar.start), bar.start >= order.submittedAt else {
            return .rest
        }
        let snapshot = nbbo.flatMap { $0.symbol == order.symbol ? $0 : nil }
        switch order.type {
        case .market:
            return .fill(.priced(order, at: bar.open, source: .barOpen, rule: .marketAtSessionOpen, quote: snapshot, pricedAt: bar.start))
        case .limit:
            guard let limit = order.limitPrice,
                let (price, source) = BarPricing.limitFill(side: order.side, limit: limit, bar: bar, touchFills: settings.touchFills)
            else { return .rest }
            let rule: FillRule = source == .barOpen ? .limitBarOpen : .limitBarLimit
            return .fill(.priced(order, at: price, source: source, rule: rule, quote: snapshot, pricedAt: bar.start))
        }
    }

    /// The catch-up walker's step: expire the order if its time in force ended by the bar's start,
    /// otherwise judge it on the bar. Walking missed bars through this gives the same outcome as
    /// having been up, because a DAY order cannot fill on the next day's bars.
    public static func evaluate(
        _ order: RestingOrder, bar: Bar, session: TradingSession, calendar: NYSECalendar, settings: FillSettings = .standard,
        nbbo: Quote? = nil
    ) -> FillDecision {
        expiry(order, now: bar.start, calendar: calendar, settings: settings)
            ?? onBar(order, bar: bar, session: session, settings: settings, nbbo: nbbo)
    }
}
