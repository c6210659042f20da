/// Buy or sell.
public enum OrderSide: String, Sendable, Codable, CaseIterable {
    case buy
    case sell
}

/// How an order is priced.
public enum OrderType: String, Sendable, Codable, CaseIterable {
    case market
    case limit
}

/// How long an order stays open.
public enum TimeInForce: String, Sendable, Codable, CaseIterable {
    case day
    case gtc
    case ioc
}

/// An order's life cycle: new → accepted → filled | canceled | rejected | expired.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case new
    case accepted
    case filled
    case canceled
    case rejected
    case expired

    /// Whether the order can still fill, be canceled or be replaced.
    public var isOpen: Bool { self == .new || self == .accepted }
}

/// Whether an order stands alone or belongs to a multi-leg order (Alpaca's `order_class`): a
/// combo's parent and its legs are all `mleg`, and only simple orders rest in the bar loop's book.
public enum OrderClass: String, Sendable, Codable, CaseIterable {
    case simple
    case mleg
}
