import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every bad field of an order ticket is answered in the user's terms: 422 (400 for malformed
/// JSON), the error shape, a message naming the field and what it accepts, and no Swift type,
/// coding key or route pattern anywhere.
@Suite("Order tickets: bad fields")
struct TicketErrorTests {
    static let orders = "/api/trading/orders"
    static let good: [String: String] = ["symbol": "AAPL", "side": "buy", "qty": "1", "order_type": "market"]

    /// A ticket with `field` replaced by `value` (raw JSON), or removed when `value` is `nil`.
    static func ticket(_ field: String, _ value: String?) -> String {
        var fields = good.mapValues { "\"\($0)\"" }
        fields[field] = value
        return "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static let cases: [(body: String, message: String)] = [
        (ticket("side", #""hold""#), "side must be buy or sell"),
        (ticket("side", "1"), "side must be buy or sell"),
        (ticket("side", nil), "side is required"),
        (ticket("symbol", nil), "symbol is required"),
        (ticket("symbol", "42"), "symbol must be a string"),
        (ticket("qty", nil), "qty is required"),
        (ticket("qty", "2"), #"qty must be a decimal number in a string, such as "10" or "187.25""#),
        (ticket("qty", #""""#), #"qty must be a decimal number in a string, such as "10" or "187.25", not empty"#),
        (ticket("qty", #""1e5""#), #"qty must be a decimal number in a string, such as "10" or "187.25""#),
        (ticket("qty", #""1.1234567""#), "qty has more than 6 decimals"),
        (ticket("qty", "null"), "qty must not be null; leave it out instead"),
        (ticket("order_type", #""stop""#), "order_type must be market or limit"),
        (ticket("order_type", nil), "order_type is required"),
        (ticket("time_in_force", #""forever""#), "time_in_force must be day, gtc or ioc"),
        (ticket("limit_price", "[]"), #"limit_price must be a decimal number in a string, such as "10" or "187.25""#),
        (ticket("client_order_id", "{}"), "client_order_id must be a string"),
        (
            ticket("colour", #""red""#),
            "unknown field colour; the fields are client_order_id, legs, limit_price, order_type, qty, side, strategy_id, symbol, time_in_force"
        ),
        ("{}", "symbol is required"),
    ]

    /// Words that would mean a Swift or decoder message leaked into a response.
    static let leaks = [
        "Swift", "Decimal6", "OrderSide", "OrderType", "TimeInForce", "Coding", "coding key", "DecodingError", "{id}", "init",
    ]

    @Test func everyBadFieldNamesItself() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for (body, message) in Self.cases {
                let response = try await app.request(.post, Self.orders, token: token, body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(try response.errorCode() == "validation_failed", "\(body)")
                #expect(try response.errorMessage() == message, "\(body)")
            }
            for body in ["{", "not json", "[1]", ""] {
                let response = try await app.request(.post, Self.orders, token: token, body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.errorCode() == "invalid_json")
            }
            let orders = try await app.request(.get, Self.orders, token: token)
            #expect((try orders.json()["orders"] as? [Any])?.isEmpty == true, "a refused ticket stores nothing")
        }
    }

    @Test func noResponseNamesSwiftOrTheRoutePattern() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            var responses: [TestResponse] = []
            for (body, _) in Self.cases { responses.append(try await app.request(.post, Self.orders, token: token, body: body)) }
            responses.append(try await app.request(.put, "\(Self.orders)/1", token: token, body: "{}"))
            responses.append(try await app.request(.patch, "\(Self.orders)/1", token: token, body: #"{"qty":7}"#))
            responses.append(try await app.request(.patch, "/api/trading/account", token: token, body: #"{"default_tax_lot_method":[]}"#))
            for response in responses {
                let message = try response.errorMessage()
                for leak in Self.leaks { #expect(!message.contains(leak), "\(message)") }
            }
            let put = responses[Self.cases.count]
            #expect(put.status == .methodNotAllowed)
            #expect(try put.errorMessage() == "PUT is not allowed on /api/trading/orders/1; use GET, PATCH, DELETE")
            #expect(put.headers[.allow] == "GET, PATCH, DELETE")
        }
    }
}
