import Hummingbird
import Logging
import MBTDomain
import MBTStorage

/// Bearer-token authentication for every `/api` route: no token or an unknown one is a 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let users: UserStore

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
        guard let user = try await users.user(forToken: String(parts[1])) else {
            throw APIError.unauthorized("unknown or revoked token")
        }
        var context = context
        context.user = user
        context.logger[metadataKey: "user_id"] = "\(user.id)"
        return try await next(request, context)
    }
}
