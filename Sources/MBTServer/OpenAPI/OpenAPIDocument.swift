import Foundation

/// The OpenAPI 3.1 description of the HTTP API, `openapi.json` beside this file: every route,
/// served by ``OpenAPIRoutes``. Every route lands with its entry; the server tests check real
/// responses against it (`OpenAPIConformanceTests`) and the test script validates the file itself.
enum OpenAPIDocument {
    /// The document's text, or `nil` when the installation lost its resource bundle.
    static let json: String? = Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap {
        try? String(contentsOf: $0, encoding: .utf8)
    }
}
