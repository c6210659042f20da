import Hummingbird

/// Registers routes and remembers which methods each path has, so a known path asked with another
/// method answers 405 with an `Allow` header instead of 404.
struct RouteRegistrar {
    let router: Router<AppRequestContext>
    private var methodsByPath: [String: [HTTPRequest.Method]] = [:]

    init(router: Router<AppRequestContext>) {
        self.router = router
    }

    mutating func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method,
        _ path: String,
        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        router.on(RouterPath(path), method: method, use: handler)
        methodsByPath[path, default: []].append(method)
    }

    /// Adds the 405 responders; call once every route is registered.
    func finish() {
        let candidates: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for (path, methods) in methodsByPath {
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            for method in candidates where !methods.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw APIError(
                        status: .methodNotAllowed, code: "method_not_allowed",
                        message: "\(request.method) is not allowed on \(request.uri.path); use \(allow)",
                        headers: [.allow: allow]
                    )
                }
            }
        }
    }
}
