import HTTPTypes
import HummingbirdTesting
import MBTTestSupport
import Testing

/// Every failure answers `{"error":{"code","message"}}` with the right status.
@Suite("Error shape")
struct ErrorShapeTests {
    /// Under the API's prefixes; elsewhere the web app's HTML 404 page answers (WebNotFoundTests).
    @Test func unknownRouteIs404() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for path in ["/api/nope", "/health/nope"] {
                let response = try await app.request(.get, path, token: token)
                #expect(response.status == .notFound)
                #expect(try response.errorCode() == "not_found")
            }
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await TestApp.run { app in
            let response = try await app.request(.post, "/health")
            #expect(response.status == .methodNotAllowed)
            #expect(try response.errorCode() == "method_not_allowed")
            #expect(response.headers[.allow] == "GET")
        }
    }

    @Test(arguments: ["{", "not json", "[1,2", "{\"default_tax_lot_method\": }"])
    func malformedJSONIs400(body: String) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.patch, "/api/trading/account", token: token, body: body)
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "invalid_json")
        }
    }

    @Test func wrongTypeIs422AndNamesTheField() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.patch, "/api/trading/account", token: token, body: #"{"default_tax_lot_method": 7}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.errorCode() == "validation_failed")
            #expect(try response.errorMessage() == "default_tax_lot_method must be fifo, lifo, hifo or specific_id")
        }
    }

    @Test func invalidValueIs422AndChangesNothing() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for body in [#"{"default_tax_lot_method": "random"}"#, "{}"] {
                let response = try await app.request(.patch, "/api/trading/account", token: token, body: body)
                #expect(response.status == .unprocessableContent)
                #expect(try response.errorCode() == "validation_failed")
            }
            let account = try await app.request(.get, "/api/trading/account", token: token)
            #expect(try account.json()["default_tax_lot_method"] as? String == "fifo")
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let huge = #"{"default_tax_lot_method": ""# + String(repeating: "x", count: 100_000) + #""}"#
            let response = try await app.request(.patch, "/api/trading/account", token: token, body: huge)
            #expect(response.status == .contentTooLarge)
            #expect(try response.errorCode() == "payload_too_large")
        }
    }
}
