import Hummingbird
import Logging
import MBTDomain
import MBTStorage

/// Bearer-token authentication for every `/api` route: no token or an unknown one is a 401. Tokens
/// are looked up through a ``TokenCache`` (a revoked one stops working within a second). With a
/// `limiter`, each token gets its requests per minute, then 429 with `Retry-After`
/// (docs/operations.md, "Limits").
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let users: UserStore
    var limiter: RateLimiter? = nil
    let tokens = TokenCache()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing bearer token; send 'Authorization: Bearer <token>' (mbt users token NAME issues one)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("Authorization header must be 'Bearer <token>'")
        }
        let token = String(parts[1])
        guard let user = try await tokens.user(for: token, lookUp: users.user(forToken:)) else {
            throw APIError.unauthorized("unknown or revoked token")
        }
        var context = context
        context.user = user
        context.logger[metadataKey: "user_id"] = "\(user.id)"
        guard let limiter else { return try await next(request, context) }
        let decision = await limiter.take("api:" + token)
        guard decision.allowed else {
            var headers = decision.headers
            headers[.retryAfter] = "\(decision.retryAfter)"
            throw APIError(
                status: .tooManyRequests, code: "rate_limited",
                message: "this token sent more than \(limiter.limit) requests this minute; try again in \(decision.retryAfter) s",
                headers: headers)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: decision.headers)
        return response
    }
}
