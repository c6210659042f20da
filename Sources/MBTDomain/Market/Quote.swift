import Foundation

/// The best bid and offer for a symbol at an instant (for an option, one contract's quote).
public struct Quote: Sendable, Hashable, Codable {
    public let symbol: String
    public let bid: Decimal6
    public let ask: Decimal6
    public let bidSize: Int64
    public let askSize: Int64
    public let timestamp: Date

    public init(symbol: String, bid: Decimal6, ask: Decimal6, bidSize: Int64, askSize: Int64, timestamp: Date) {
        self.symbol = symbol
        self.bid = bid
        self.ask = ask
        self.bidSize = bidSize
        self.askSize = askSize
        self.timestamp = timestamp
    }

    /// Halfway between bid and ask, rounded half-even to six decimals.
    public var mid: Decimal6 {
        (try? (bid + ask).divided(by: Int64(2))) ?? bid
    }

    /// Bid above ask: no trade can be priced from it.
    public var isCrossed: Bool { bid > ask }

    /// Why the quote cannot price a fill at `now`, or `nil` when it can.
    public func unusableReason(at now: Date, maxAge: TimeInterval) -> String? {
        if bid <= .zero || ask <= .zero { return "no quote for \(symbol) (bid or ask missing)" }
        if isCrossed { return "quote for \(symbol) is crossed (bid \(bid) > ask \(ask))" }
        if now.timeIntervalSince(timestamp) > maxAge {
            return "quote for \(symbol) is stale (from \(timestamp.formatted(.iso8601)))"
        }
        return nil
    }
}
