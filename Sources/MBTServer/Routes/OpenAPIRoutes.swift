import HTTPTypes
import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 description of this API, without authentication.
struct OpenAPIRoutes {
    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
