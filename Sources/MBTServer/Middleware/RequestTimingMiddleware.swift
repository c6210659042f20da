import Hummingbird
import Synchronization

/// How long the server spent on each request, from the outermost middleware in to the response
/// out (body writing excluded): what `mbt bench orders` reports as server-side latency, so it can
/// be told apart from time spent in the client, the kernel and the HTTP parser.
public final class RequestTimings: Sendable {
    private let durations = Mutex<[Duration]>([])

    public init() {}

    func record(_ duration: Duration) {
        durations.withLock { $0.append(duration) }
    }

    /// Forgets everything recorded so far (e.g. at the end of a warm-up).
    public func reset() {
        durations.withLock { $0.removeAll(keepingCapacity: true) }
    }

    /// Every duration recorded since the last reset, in arrival order.
    public func recorded() -> [Duration] {
        durations.withLock { $0 }
    }
}

/// Times every request into ``RequestTimings``; added first so that it wraps all other middleware.
/// Only the benchmark installs it: production routers are built without timings.
struct RequestTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    let timings: RequestTimings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        defer { timings.record(ContinuousClock.now - started) }
        return try await next(request, context)
    }
}
