import HTTPTypes
import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 description of this API, without authentication.
struct OpenAPIRoutes {
    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/openapi.json") { _, _ in
            guard let json = OpenAPIDocument.json else {
                throw APIError(
                    status: .internalServerError, code: "openapi_missing",
                    message: "this installation lacks its openapi.json resource (install the mbt_MBTServer.resources folder beside the binary)")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
