import Metrics
import PostgresNIO
import Synchronization

/// Leases a connection from the pool, waiting at most a limit for one. PostgresNIO's pool keeps a
/// lease request waiting for as long as the server is unreachable (it retries connecting with
/// backoff), so during an outage every request would hang until the database came back; bounded,
/// the caller gets ``DeadlineExceeded`` (a 503) instead, and the pool recovers by itself.
///
/// The lease is taken in a task of its own that hands the connection over and holds the lease
/// until the caller gives it back, so the caller's work runs in the caller's task (its closures
/// need not escape) and only the wait is raced against the limit. A lease that arrives after the
/// caller gave up is returned to the pool at once.
enum BoundedLease {
    static func with<T>(
        _ client: PostgresClient, within limit: Duration, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let handover = Handover()
        let waiting = ContinuousClock.now
        let leasing = Task {
            do {
                try await client.withConnection { connection in await handover.offer(connection) }
            } catch {
                handover.fail(error)
            }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { handover.fail(DeadlineExceeded(limit: limit)) }
        }
        let connection: PostgresConnection
        do {
            connection = try await withTaskCancellationHandler {
                try await handover.connection()
            } onCancel: {
                handover.fail(CancellationError())
            }
        } catch {
            timer.cancel()
            leasing.cancel()
            PoolMetrics.waited(ContinuousClock.now - waiting, gotOne: false)
            throw error
        }
        timer.cancel()
        PoolMetrics.waited(ContinuousClock.now - waiting, gotOne: true)
        PoolMetrics.inUse.increment()
        defer {
            PoolMetrics.inUse.decrement()
            handover.giveBack()
        }
        return try await body(connection)
    }

    /// The pool's figures on `/api/admin/metrics` (docs/metrics.md). Made at each use, not held:
    /// the first leases come before `serve` installs the metrics backend.
    enum PoolMetrics {
        static var inUse: Meter { Meter(label: "mbt_db_connections_in_use") }
        static var wait: Timer { Timer(label: "mbt_db_connection_wait_seconds", preferredDisplayUnit: .seconds) }
        static var timeouts: Counter { Counter(label: "mbt_db_connection_wait_failures_total") }

        static func waited(_ duration: Duration, gotOne: Bool) {
            wait.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
            if !gotOne { timeouts.increment() }
        }
    }

    /// The meeting point between the caller and the task holding the lease.
    private final class Handover: Sendable {
        private enum State {
            case waiting(caller: CheckedContinuation<PostgresConnection, any Error>?)
            case offered(PostgresConnection, holder: CheckedContinuation<Void, Never>)
            case inUse(holder: CheckedContinuation<Void, Never>)
            case finished(failure: (any Error)?)
        }

        private let state = Mutex(State.waiting(caller: nil))

        /// The caller: the connection, or why there is none.
        func connection() async throws -> PostgresConnection {
            try await withCheckedThrowingContinuation { caller in
                let ready: Result<PostgresConnection, any Error>? = state.withLock { state in
                    switch state {
                    case .waiting: state = .waiting(caller: caller); return nil
                    case .offered(let connection, let holder): state = .inUse(holder: holder); return .success(connection)
                    case .finished(let failure): return .failure(failure ?? CancellationError())
                    case .inUse: preconditionFailure("a lease is handed over once")
                    }
                }
                if let ready { caller.resume(with: ready) }
            }
        }

        /// The lease holder: offers the connection and keeps the lease until the caller gives it back.
        func offer(_ connection: PostgresConnection) async {
            await withCheckedContinuation { holder in
                let action: (CheckedContinuation<PostgresConnection, any Error>?, Bool) = state.withLock { state in
                    switch state {
                    case .waiting(let caller?): state = .inUse(holder: holder); return (caller, false)
                    case .waiting(nil): state = .offered(connection, holder: holder); return (nil, false)
                    case .finished, .offered, .inUse: return (nil, true)
                    }
                }
                if let caller = action.0 { caller.resume(returning: connection) }
                if action.1 { holder.resume() }
            }
        }

        /// The wait ended without a connection: the caller is told why, a later lease goes back.
        func fail(_ error: any Error) {
            let caller: CheckedContinuation<PostgresConnection, any Error>? = state.withLock { state in
                guard case .waiting(let caller) = state else { return nil }
                state = .finished(failure: error)
                return caller
            }
            caller?.resume(throwing: error)
        }

        /// The caller is done with the connection.
        func giveBack() {
            let holder: CheckedContinuation<Void, Never>? = state.withLock { state in
                guard case .inUse(let holder) = state else { return nil }
                state = .finished(failure: nil)
                return holder
            }
            holder?.resume()
        }
    }
}
