import SQLKit
import Synchronization

/// The database did not finish in time: a connection hung, or the server is gone.
public struct DeadlineExceeded: Error, Sendable, CustomStringConvertible {
    public let limit: Duration

    public var description: String { "the database did not answer within \(limit)" }
}

extension DatabaseClient {
    /// ``withTransaction(_:)`` bounded in time: after `limit` the caller gets ``DeadlineExceeded``
    /// and the transaction's task is cancelled, which rolls it back once the driver notices.
    public func withTransaction<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await Deadline.race(limit) { try await self.withTransaction(body) }
    }

    /// ``withConnection(_:)`` bounded in time, as ``withTransaction(within:_:)``.
    public func withConnection<T: Sendable>(
        within limit: Duration, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await Deadline.race(limit) { try await self.withConnection(body) }
    }
}

/// Runs work against a time limit and answers at the limit even when the work never returns: a
/// task group would wait for its losing child, and a hung driver call is exactly the case this
/// is for.
public enum Deadline {
    public static func race<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let race = Race<T>()
        return try await withCheckedThrowingContinuation { continuation in
            race.start(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                race.finish(.failure(DeadlineExceeded(limit: limit)))
            }
            let worker = Task {
                let result: Result<T, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                race.finish(result)
            }
            race.track(timer: timer, worker: worker)
        }
    }

    /// Whoever finishes first answers the caller and stops the other.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var timer: Task<Void, Never>?
            var worker: Task<Void, Never>?
            var finished = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        func track(timer: Task<Void, Never>, worker: Task<Void, Never>) {
            let finished = state.withLock { state in
                (state.timer, state.worker) = (timer, worker)
                return state.finished
            }
            if finished {
                timer.cancel()
                worker.cancel()
            }
        }

        func finish(_ result: Result<T, any Error>) {
            let (continuation, timer, worker) = state.withLock { state in
                defer { (state.continuation, state.finished) = (nil, true) }
                return (state.continuation, state.timer, state.worker)
            }
            guard let continuation else { return }
            continuation.resume(with: result)
            timer?.cancel()
            worker?.cancel()
        }
    }
}
