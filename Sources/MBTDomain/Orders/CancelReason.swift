/// Why the engine canceled an order instead of filling or keeping it. Only immediate-or-cancel orders
/// are canceled by the engine; users cancel the rest.
public enum CancelReason: Sendable, Hashable, CustomStringConvertible {
    /// IOC outside the regular session: nothing trades now.
    case marketClosed
    /// IOC with no quote that can price it; carries the quote's problem.
    case noUsableQuote(String)
    /// IOC limit beyond the market: the quote price it would have needed to cross.
    case notMarketable(limit: Decimal6, marketPrice: Decimal6)
    /// An IOC order handed to a resting-order check; it should have ended at submission.
    case immediateOrderResting

    /// Stable code, for the stored reason and the API.
    public var code: String {
        switch self {
        case .marketClosed: "ioc_market_closed"
        case .noUsableQuote: "ioc_no_usable_quote"
        case .notMarketable: "ioc_not_marketable"
        case .immediateOrderResting: "ioc_not_filled_at_submission"
        }
    }

    public var description: String {
        switch self {
        case .marketClosed:
            "immediate-or-cancel order canceled: the market is closed"
        case .noUsableQuote(let reason):
            "immediate-or-cancel order canceled: \(reason)"
        case .notMarketable(let limit, let marketPrice):
            "immediate-or-cancel order canceled: limit \(limit) is not marketable against \(marketPrice)"
        case .immediateOrderResting:
            "immediate-or-cancel order canceled: it did not fill when submitted"
        }
    }
}
