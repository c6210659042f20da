import Foundation
import MBTDomain
import Synchronization

/// A market clock a test moves by hand: outages, catch-up and expiry at any instant.
public final class ManualClock: MarketClock {
    private let instant: Mutex<Date>

    public init(_ start: Date) {
        instant = Mutex(start)
    }

    public func now() -> Date { instant.withLock { $0 } }

    public func set(_ date: Date) {
        instant.withLock { $0 = date }
    }
}
