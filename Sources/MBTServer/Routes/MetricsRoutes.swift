import Hummingbird
import MBTDomain

/// `GET /api/admin/metrics` (admins only, with their bearer token; anyone else is told there is no such
/// route): the Prometheus text exposition of every metric (docs/metrics.md).
struct MetricsRoutes {
    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/admin/metrics") { request, context -> Response in
            let user = try context.requireUser()
            guard user.isAdmin else { throw APIError.notFound("no route for GET \(request.uri.path)") }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: PrometheusMetrics.exposition())))
        }
    }
}
