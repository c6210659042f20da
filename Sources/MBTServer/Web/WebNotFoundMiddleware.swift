import Hummingbird

/// A path no route serves answers the web app's HTML 404 page (docs/web-app.md), with the pages'
/// security headers, unless it is under one of the API's prefixes: those keep the API's JSON 404
/// (or Alpaca's, under `/v2`). Router-level, because a path no route matches never reaches the
/// web app's own middleware; the API's error middleware, outside it, turns what it rethrows into
/// the API's shape.
struct WebNotFoundMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let pages: WebPages

    static let apiPrefixes = ["/api", "/v2", "/v1beta1", "/v1", "/health", "/ready", "/openapi.json", "/metrics", "/stream"]

    static func isAPIPath(_ path: String) -> Bool {
        apiPrefixes.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && !Self.isAPIPath(request.uri.path) {
            let headers = WebSecurityHeadersMiddleware()
            return try await headers.handle(request, context: context) { _, context in
                pages.errorPage(status: .notFound, title: "Not found", message: "There is no such page or order.", context: context)
            }
        }
    }
}
