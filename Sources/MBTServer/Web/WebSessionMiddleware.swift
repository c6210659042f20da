import Foundation
import Hummingbird
import Logging
import MBTDomain
import MBTStorage

/// Finds the browser's session from its cookie and puts it in the context; a session past its
/// idle or absolute expiry is ended here. Background refreshes (``WebPages/refreshHeader``) do not
/// count as use, so an open tab left alone still times out.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let cookieName = "mbt_session"

    let sessions: WebSessionStore
    let settings: WebSettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty, token.count <= 100 else {
            return try await next(request, context)
        }
        guard let session = try await sessions.session(token: token) else { return try await next(request, context) }
        let now = settings.now()
        if now >= session.expiresAt || now.timeIntervalSince(session.lastSeenAt) >= settings.idleTimeout {
            try await sessions.delete(token: token)
            return try await next(request, context)
        }
        if request.headers[WebPages.refreshHeader] == nil, now.timeIntervalSince(session.lastSeenAt) >= settings.touchInterval {
            try await sessions.touch(sessionId: session.id, at: now)
        }
        var context = context
        context.webSession = session
        context.logger[metadataKey: "user_id"] = "\(session.user.id)"
        return try await next(request, context)
    }
}

extension AppRequestContext {
    /// The signed-in session, or a redirect to the sign-in page.
    func requireSession() throws -> WebSessionStore.Session {
        guard let webSession else { throw WebError.signInRequired }
        return webSession
    }
}
