import Foundation
import MBTDomain
import Synchronization

/// The latest one-minute bar close of each symbol the bar loop has walked: the marking rule's
/// second choice when no quote is at hand (docs/buying-power.md). Shared by the bar loop, which
/// writes it, and every path that judges buying power.
public final class BarCloseBook: Sendable {
    private let closes = Mutex<[String: (start: Date, close: Decimal6)]>([:])

    public init() {}

    /// Keeps each symbol's latest bar (a catch-up walks old bars after newer ones are known).
    public func record(_ bars: some Sequence<Bar>) {
        closes.withLock { closes in
            for bar in bars where closes[bar.symbol].map({ $0.start <= bar.start }) ?? true {
                closes[bar.symbol] = (bar.start, bar.close)
            }
        }
    }

    public func closes(_ symbols: some Sequence<String>) -> [String: Decimal6] {
        closes.withLock { closes in
            var found: [String: Decimal6] = [:]
            for symbol in symbols { found[symbol] = closes[symbol]?.close }
            return found
        }
    }
}
