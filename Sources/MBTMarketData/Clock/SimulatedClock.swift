import Foundation
import MBTDomain

/// Market time for simulated and replayed markets: starts at any instant and runs `speed` times
/// faster than real time (`--clock-start 2026-03-20T13:30:00Z --clock-speed 60` plays a session
/// in six and a half minutes).
public struct SimulatedClock: MarketClock {
    public let start: Date
    /// Market seconds per real second, a ratio (1 = real time).
    public let speed: Double
    private let origin: ContinuousClock.Instant

    public init(start: Date, speed: Double = 1) {
        precondition(speed > 0, "clock speed must be positive")
        self.start = start
        self.speed = speed
        self.origin = ContinuousClock.now
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - origin
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return start.addingTimeInterval(seconds * speed)
    }
}
