import Synchronization

/// Where a tick's time goes, phase by phase, for the logs and `mbt bench bars`.
final class TickProfile: Sendable {
    private let durations = Mutex<[String: Duration]>([:])

    func measure<T>(_ phase: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            durations.withLock { $0[phase, default: .zero] += elapsed }
        }
        return try await body()
    }

    var phases: [String: Duration] { durations.withLock { $0 } }
}
