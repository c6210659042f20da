import Foundation

/// The paper fill engine as pure functions of an order and the market data at hand (docs/fill-rules.md).
///
/// Nothing here reads a clock, a database or the network: the caller passes "now", the session that
/// contains it and the latest quote or bar, applies the returned ``FillDecision``, and gets the same
/// answer every time it replays the same data, which is what makes catch-up after downtime and
/// replays exact.
///
/// Only the regular session trades: outside it nothing fills (market orders wait for the next
/// session's first bar, limit orders rest, IOC orders cancel).
public enum FillEngine {
    /// At submission (the synchronous path of `POST /orders`).
    ///
    /// - A market order in the session fills at once from the quote (equities at the ask / bid,
    ///   options at the mid) or is rejected when the quote is missing, stale, crossed or one-sided.
    /// - A limit order in the session fills at once at the quote price when marketable, keeping any
    ///   improvement over the limit; otherwise it rests. An unusable quote makes it rest too (its bar
    ///   rule will judge it).
    /// - IOC orders never rest: what cannot fill now is canceled.
    /// - Outside the session everything but IOC rests.
    ///
    /// - Parameter session: the session containing `now`, or `nil` outside trading hours.
    public static func onSubmit(
        _ order: RestingOrder, quote: Quote?, now: Date, session: TradingSession?, settings: FillSettings = .standard
    ) -> FillDecision {
        guard let session, session.contains(now) else {
            return order.timeInForce == .ioc ? .cancel(.marketClosed) : .rest
        }
        switch order.type {
        case .market: return marketFromQuote(order, quote: quote, now: now, settings: settings, whenUnusable: .reject)
        case .limit: return limitFromQuote(order, quote: quote, now: now, settings: settings, rule: .limitMarketableAtQuote)
        }
    }

    /// For a resting order when no bar is available: the latest quote decides (buy limit when the ask
    /// is at or below it, at the ask; sell when the bid is at or above it, at the bid; options at the
    /// mid). An unusable quote or a closed market leaves the order resting.
    ///
    /// - Parameter session: the session containing `now`, or `nil` outside trading hours.
    public static func onQuote(
        _ order: RestingOrder, quote: Quote, now: Date, session: TradingSession?, settings: FillSettings = .standard
    ) -> FillDecision {
        guard order.timeInForce != .ioc else { return .cancel(.immediateOrderResting) }
        guard let session, session.contains(now) else { return .rest }
        switch order.type {
        case .market: return marketFromQuote(order, quote: quote, now: now, settings: settings, whenUnusable: .rest)
        case .limit: return limitFromQuote(order, quote: quote, now: now, settings: settings, rule: .limitQuoteFallback)
        }
    }

    // MARK: - Quote rules

    private enum UnusableQuoteOutcome {
        case reject
        case rest
    }

    private static func marketFromQuote(
        _ order: RestingOrder, quote: Quote?, now: Date, settings: FillSettings, whenUnusable: UnusableQuoteOutcome
    ) -> FillDecision {
        switch QuotePricing.usable(quote, symbol: order.symbol, now: now, maxAge: settings.maximumQuoteAge) {
        case .failure(let rejection):
            return whenUnusable == .reject ? .reject(rejection) : .rest
        case .success(let quote):
            let (price, source) = QuotePricing.takingPrice(side: order.side, instrument: order.instrument, quote: quote)
            return .fill(.priced(order, at: price, source: source, rule: .marketAtQuote, quote: quote, pricedAt: quote.timestamp))
        }
    }

    private static func limitFromQuote(
        _ order: RestingOrder, quote: Quote?, now: Date, settings: FillSettings, rule: FillRule
    ) -> FillDecision {
        guard let limit = order.limitPrice else { return .reject(OrderRejection(.missingLimitPrice, "limit orders need a limit_price")) }
        let isIOC = order.timeInForce == .ioc
        switch QuotePricing.usable(quote, symbol: order.symbol, now: now, maxAge: settings.maximumQuoteAge) {
        case .failure(let rejection):
            return isIOC ? .cancel(.noUsableQuote(rejection.message)) : .rest
        case .success(let quote):
            let (price, source) = QuotePricing.takingPrice(side: order.side, instrument: order.instrument, quote: quote)
            guard QuotePricing.isMarketable(side: order.side, limit: limit, price: price) else {
                return isIOC ? .cancel(.notMarketable(limit: limit, marketPrice: price)) : .rest
            }
            return .fill(.priced(order, at: price, source: source, rule: rule, quote: quote, pricedAt: quote.timestamp))
        }
    }
}
