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
