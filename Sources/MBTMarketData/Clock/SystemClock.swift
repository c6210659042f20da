import Foundation
import MBTDomain

/// Wall-clock time, for live trading.
public struct SystemClock: MarketClock {
    public init() {}

    public func now() -> Date { Date() }
}
