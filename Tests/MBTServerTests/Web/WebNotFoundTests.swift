import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTServer
import Testing

/// Unknown paths of the web app answer an HTML 404 page with the pages' security headers; unknown
/// API paths keep the API's JSON error.
@Suite("Web: the 404 page")
struct WebNotFoundTests {
    @Test func anUnknownPageIsAnHTMLNotFoundPage() async throws {
        try await TestApp.run { app in
            var visitor = WebClient(app)
            for path in ["/nowhere", "/trade/nowhere/deeper", "/portfolio/x"] {
                let response = try await visitor.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(response.text.contains("There is no such page or order."), "\(path)")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(path)")
            }
            let post = try await app.request(.post, "/nowhere")
            #expect(post.status == .notFound && post.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test func anUnknownAPIPathKeepsTheAPIErrorShape() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for path in ["/api/trading/nowhere", "/api/nowhere", "/health/x"] {
                let response = try await app.request(.get, path, token: token)
                #expect(response.status == .notFound, "\(path)")
                #expect(try response.errorCode() == "not_found", "\(path)")
            }
            let alpaca = try await app.request(.get, "/v2/nowhere", token: token)
            #expect(alpaca.status != .ok && alpaca.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }
}
