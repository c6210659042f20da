import Foundation
import MBTMarketData
import Testing

@Suite("Simulated clock")
struct SimulatedClockTests {
    @Test func startsAtTheChosenInstant() {
        let start = Date(timeIntervalSince1970: 1_774_013_400)
        let clock = SimulatedClock(start: start, speed: 1)
        #expect(clock.now().timeIntervalSince(start) >= 0)
        #expect(clock.now().timeIntervalSince(start) < 1)
    }

    @Test func runsFasterThanRealTime() async throws {
        let start = Date(timeIntervalSince1970: 1_774_013_400)
        let clock = SimulatedClock(start: start, speed: 600)
        try await Task.sleep(for: .milliseconds(200))
        // 0.2 s of real time is at least two market minutes at 600×.
        #expect(clock.now().timeIntervalSince(start) >= 120)
    }
}
