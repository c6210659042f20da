import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// One log line per request once it is answered: its id (also returned as `X-Request-Id`, so a
/// client can quote it), the user, the route pattern, the status and how long it took. Headers and
/// bodies are never logged, so no token, key secret or password reaches a log line.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let requestIdHeader = HTTPField.Name("X-Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let notes = context.notes
        do {
            var response = try await next(request, context)
            response.headers[Self.requestIdHeader] = context.id
            log(request, context, notes, status: Int(response.status.code), since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context, notes, status: Int(status), since: started)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, _ notes: RequestNotes, status: Int, since started: ContinuousClock.Instant) {
        let took = ContinuousClock.now - started
        let milliseconds = Double(took.components.seconds) * 1_000 + Double(took.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "request_id": .string(context.id),
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? request.uri.path),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.3f", milliseconds)),
        ]
        if let userId = notes.userId { metadata["user_id"] = .stringConvertible(userId) }
        context.logger.log(level: status >= 500 ? .warning : .info, "request", metadata: metadata)
    }
}

/// What inner middleware learn about a request that the outer request log needs: contexts are
/// values, so a user set by the authentication middleware never reaches the middleware around it.
final class RequestNotes: Sendable {
    private let user = Mutex<Int64?>(nil)

    var userId: Int64? {
        get { user.withLock { $0 } }
        set { user.withLock { $0 = newValue } }
    }
}
