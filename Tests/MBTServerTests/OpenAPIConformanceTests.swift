import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTMarketData
import MBTStorage
import SQLKit
import Testing

/// The OpenAPI document as the server serves it, and checks of real responses against it.
struct OpenAPIContract {
    let document: JSONValue
    var checker: JSONSchemaCheck { JSONSchemaCheck(document: document) }

    static let methods = ["get", "post", "put", "patch", "delete"]
    static let statuses: Set<String> = [
        "200", "201", "204", "207", "400", "401", "403", "404", "405", "409", "413", "422", "429", "500", "501", "502", "503",
    ]

    static func load(_ app: TestApp.Fixture) async throws -> OpenAPIContract {
        let response = try await app.request(.get, "/openapi.json")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        return OpenAPIContract(document: try JSONValue.parse(Data(response.body.readableBytesView)))
    }

    /// The body schema the document lists for `path`, `method` and `status` (following a `$ref` to a
    /// shared response), or `nil` when the document does not list that answer.
    func responseSchema(path: String, method: String, status: Int) -> JSONValue? {
        let operation = document["paths"]?[path]?[method.lowercased()]
        // A method a path does not serve answers 405, which the document states once for all paths.
        let undocumented405: JSONValue? =
            operation == nil && status == 405 && document["paths"]?[path] != nil
            ? .object(["$ref": .string("#/components/responses/MethodNotAllowed")]) : nil
        guard var response = undocumented405 ?? operation?["responses"]?["\(status)"] else { return nil }
        if let reference = response["$ref"]?.stringValue {
            guard let target = checker.resolve(reference) else { return nil }
            response = target
        }
        return response["content"]?["application/json"]?["schema"]
    }

    /// Checks `response` against the document: its status must be listed for this path and method,
    /// its content type must be JSON, and its body must conform to the listed schema.
    func check(
        _ response: TestResponse, _ method: HTTPRequest.Method, _ path: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let status = response.status.code
        guard let schema = responseSchema(path: path, method: method.rawValue, status: status) else {
            Issue.record("\(method) \(path) answered \(status), which the document does not list", sourceLocation: sourceLocation)
            return
        }
        #expect(
            response.headers[.contentType]?.hasPrefix("application/json") == true, "\(method) \(path) \(status)",
            sourceLocation: sourceLocation)
        do {
            let body = try JSONValue.parse(Data(response.body.readableBytesView))
            let problems = checker.problems(body, schema)
            #expect(
                problems.isEmpty, "\(method) \(path) \(status):\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(method) \(path) \(status): body is not JSON: \(String(buffer: response.body))", sourceLocation: sourceLocation)
        }
    }

    /// Checks a body against a named component schema.
    func check(_ response: TestResponse, schema name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let body = try JSONValue.parse(Data(response.body.readableBytesView))
        let problems = checker.problems(body, .object(["$ref": .string("#/components/schemas/\(name)")]))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}

@Suite("OpenAPI document: served, well formed, and true of real responses")
struct OpenAPIConformanceTests {
    static func ticket(
        _ symbol: String, _ side: String, _ qty: String, type: String = "market", limit: String? = nil, client: String? = nil
    ) -> String {
        OrderRoutesTests.ticket(symbol, side, qty, type: type, limit: limit, client: client)
    }

    /// Every route the router registers, with its methods.
    static let routes: [String: Set<String>] = [
        "/health": ["get"], "/ready": ["get"], "/openapi.json": ["get"],
        "/api/trading/account": ["get", "patch"], "/api/trading/orders": ["get", "post"],
        "/api/trading/orders/{id}": ["get", "patch", "delete"], "/api/trading/positions": ["get"],
        "/api/trading/positions/{symbol}/exercise": ["post"],
        "/api/trading/activities": ["get"], "/api/trading/status": ["get"],
        "/api/trading/tax/lots": ["get"], "/api/trading/tax/summary": ["get"], "/api/trading/tax/8949": ["get"],
        "/api/market/quotes": ["get"], "/api/market/bars": ["get"], "/api/market/options/chain": ["get"],
        "/api/market/clock": ["get"], "/api/market/calendar": ["get"],
        "/api/trading/account/history": ["get"], "/api/admin/jobs": ["get"],
        "/api/strategies": ["get", "post"], "/api/strategies/{id}": ["get", "patch", "delete"],
        "/api/strategies/iron-condor/preview": ["post"], "/api/strategies/iron-condor/submit": ["post"],
        "/api/strategies/{id}/roll": ["post"],
        "/api/trading/export": ["get"], "/api/admin/users/{id}": ["delete"], "/api/trading/paper/reset": ["post"],
        "/api/admin/metrics": ["get"],
        "/v2/account": ["get"], "/v2/orders": ["get", "post", "delete"], "/v2/orders:by_client_order_id": ["get"],
        "/v2/orders/{order_id}": ["get", "patch", "delete"], "/v2/positions": ["get", "delete"],
        "/v2/positions/{symbol_or_asset_id}": ["get", "delete"],
        "/v2/positions/{symbol_or_asset_id}/exercise": ["post"], "/v2/watchlists": ["get", "post"],
        "/v2/watchlists/{watchlist_id}": ["get", "put", "post", "delete"], "/v2/watchlists/{watchlist_id}/{symbol}": ["delete"],
        "/v2/watchlists:by_name": ["get", "put", "post", "delete"],
        "/v2/stocks/bars/latest": ["get"], "/v2/options/contracts/{symbol_or_id}": ["get"], "/v2/stocks/{symbol}/bars/latest": ["get"],
        "/v2/stocks/trades": ["get"], "/v2/stocks/quotes": ["get"], "/v2/stocks/{symbol}/trades": ["get"],
        "/v2/stocks/{symbol}/quotes": ["get"],
        "/v2/assets": ["get"], "/v2/assets/{symbol_or_asset_id}": ["get"],
        "/v2/options/contracts": ["get"], "/v2/clock": ["get"], "/v2/calendar": ["get"], "/v2/account/activities": ["get"],
        "/v2/account/activities/{activity_type}": ["get"], "/v2/stocks/bars": ["get"], "/v2/stocks/quotes/latest": ["get"],
        "/v2/stocks/trades/latest": ["get"], "/v2/stocks/snapshots": ["get"], "/v1beta1/options/quotes/latest": ["get"],
        "/v1beta1/options/snapshots/{underlying_symbol}": ["get"], "/v1/corporate-actions": ["get"],
        "/v2/stocks/{symbol}/bars": ["get"], "/v2/stocks/{symbol}/quotes/latest": ["get"], "/v2/stocks/{symbol}/trades/latest": ["get"],
        "/v2/stocks/{symbol}/snapshot": ["get"], "/v2/account/portfolio/history": ["get"],
    ]

    @Test func theDocumentIsServedAndEveryReferenceResolves() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let document = contract.document
            #expect(document["openapi"] == .string("3.1.0"))
            let paths = try #require(document["paths"]?.objectValue)
            #expect(Set(paths.keys) == Set(Self.routes.keys))

            for (path, item) in paths {
                let operations = try #require(item.objectValue, "\(path)")
                // Exactly the methods the router serves are documented; 405 is stated once, in info.
                #expect(Set(operations.keys) == Self.routes[path], "\(path)")
                for (method, operation) in operations {
                    let responses = try #require(operation["responses"]?.objectValue, "\(method) \(path)")
                    #expect(Set(responses.keys).isSubset(of: OpenAPIContract.statuses), "\(method) \(path): \(responses.keys.sorted())")
                    let authenticated = ["/api/", "/v2/", "/v1beta1/", "/v1/"].contains { path.hasPrefix($0) }
                    #expect((operation["security"]?.arrayValue?.isEmpty == true) == !authenticated, "\(method) \(path)")
                    for status in responses.keys {
                        let schema = contract.responseSchema(path: path, method: method, status: Int(status)!)
                        // Form 8949 answers text/csv (TaxRoutesTests checks it) and the metrics Prometheus's
                        // text format (MetricsTests checks it); a 204 has no body, nor has an exercise's 200, as
                        // Alpaca answers it; everything else JSON.
                        let csv =
                            ((path == "/api/trading/tax/8949" || path == "/api/admin/metrics"
                                || path == "/v2/positions/{symbol_or_asset_id}/exercise")
                                && status == "200")
                            || status == "204"
                        #expect((schema != nil) != csv, "\(method) \(path) \(status) has no JSON schema")
                        let refusesOrders =
                            status == "422"
                            && (path == "/api/trading/orders" || path == "/api/strategies/iron-condor/submit"
                                || path == "/api/strategies/{id}/roll"
                                || (path == "/api/trading/orders/{id}" && method == "patch"))
                        // The Alpaca routes answer Alpaca's error body; everything else MBT's.
                        let errorSchema = ["/v2/", "/v1beta1/", "/v1/"].contains { path.hasPrefix($0) } ? "AlpacaError" : "Error"
                        if status.hasPrefix("4") || status.hasPrefix("5"), !refusesOrders {
                            #expect(
                                schema == .object(["$ref": .string("#/components/schemas/\(errorSchema)")]), "\(method) \(path) \(status)")
                        }
                    }
                }
            }
            #expect(document["security"] == .array([.object(["bearerAuth": .array([])])]))
            #expect(document["components"]?["securitySchemes"]?["bearerAuth"]?["scheme"] == .string("bearer"))

            // Every $ref anywhere in the document resolves.
            var references: [String] = []
            func collect(_ value: JSONValue) {
                switch value {
                case .object(let object):
                    if let reference = object["$ref"]?.stringValue { references.append(reference) }
                    object.values.forEach(collect)
                case .array(let array): array.forEach(collect)
                default: break
                }
            }
            collect(document)
            #expect(references.count > 50)
            for reference in Set(references) {
                #expect(contract.checker.resolve(reference) != nil, "unresolvable \(reference)")
            }
            let schemas = try #require(document["components"]?["schemas"]?.objectValue)
            for name in [
                "Error", "Decimal", "Order", "OrderPage", "Position", "Account", "Quote", "Bar", "OptionContract", "MarketClock",
                "CalendarDay",
            ] {
                #expect(schemas[name] != nil, "\(name)")
            }
            // Every schema uses only keywords the checker understands (an empty value conforms or not, but never "unsupported").
            for (name, schema) in schemas {
                let unsupported = contract.checker.problems(.null, schema).filter { $0.contains("does not support") }
                #expect(unsupported.isEmpty, "\(name): \(unsupported)")
            }
        }
    }

    @Test func theCheckerCatchesWrongTypesMissingFieldsAndStrayValues() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let checker = contract.checker
            let order = JSONValue.object([
                "id": .integer(7), "symbol": .string("AAPL"), "asset_class": .string("us_equity"), "side": .string("buy"),
                "qty": .string("10.000000"), "order_type": .string("market"), "order_class": .string("simple"),
                "time_in_force": .string("day"),
                "status": .string("filled"), "submitted_at": .string("2026-03-20T14:00:00Z"),
                "filled_at": .string("2026-03-20T14:00:00Z"), "fill_price": .string("172.700000"),
            ])
            let schema = JSONValue.object(["$ref": .string("#/components/schemas/Order")])
            #expect(checker.problems(order, schema).isEmpty)

            func changed(_ key: String, _ value: JSONValue?) -> JSONValue {
                var object = order.objectValue!
                object[key] = value
                return .object(object)
            }
            let broken: [(JSONValue, String)] = [
                (changed("qty", .number(10.5)), "expected string"),
                (changed("qty", .string("10.5")), "does not match"),
                (changed("qty", .string("1234567890123.000000")), "does not match"),
                (changed("id", .string("7")), "expected integer"),
                (changed("id", .bool(true)), "expected integer"),
                (changed("id", .number(7.5)), "expected integer"),
                (changed("status", nil), "missing required 'status'"),
                (changed("status", .string("open")), "is not one of"),
                (changed("filled_at", .null), "expected string"),
                (changed("extra", .string("x")), "unexpected property 'extra'"),
                (.array([order]), "expected object"),
            ]
            for (value, expected) in broken {
                let problems = checker.problems(value, schema)
                #expect(problems.contains { $0.contains(expected) }, "\(expected): \(problems)")
            }
            // Nested: a bad element of an array, a bad value in a map.
            let page = JSONValue.object(["orders": .array([order, changed("side", .string("hold"))])])
            #expect(
                checker.problems(page, .object(["$ref": .string("#/components/schemas/OrderPage")])).contains {
                    $0.hasPrefix("$.orders[1].side")
                })
            let quotes = JSONValue.object(["quotes": .object(["AAPL": .object(["symbol": .string("AAPL")])])])
            #expect(
                checker.problems(quotes, .object(["$ref": .string("#/components/schemas/QuoteMap")])).contains {
                    $0.contains("$.quotes.AAPL: missing required 'bid'")
                })
            // The error shape, and the 422 of a submission: exactly one of the error or the refused order.
            let error = JSONValue.object(["error": .object(["code": .string("x"), "message": .string("y")])])
            #expect(checker.problems(error, .object(["$ref": .string("#/components/schemas/Error")])).isEmpty)
            #expect(
                !checker.problems(
                    .object(["error": .object(["code": .string("x")])]), .object(["$ref": .string("#/components/schemas/Error")])
                ).isEmpty)
            let refusal = try #require(contract.responseSchema(path: "/api/trading/orders", method: "post", status: 422))
            #expect(checker.problems(error, refusal).isEmpty)
            #expect(checker.problems(.object(["error": error["error"]!, "order": order]), refusal).isEmpty)
            #expect(!checker.problems(.object(["error": error["error"]!, "order": changed("qty", nil)]), refusal).isEmpty)
            #expect(!checker.problems(.object(["order": order]), refusal).isEmpty)
            // Type arrays with null, unresolvable references and unsupported keywords.
            let nullable = JSONValue.object(["type": .array([.string("string"), .string("null")])])
            #expect(checker.problems(.null, nullable).isEmpty)
            #expect(!checker.problems(.integer(1), nullable).isEmpty)
            #expect(!checker.problems(.null, .object(["$ref": .string("#/components/schemas/Nope")])).isEmpty)
            #expect(!checker.problems(.integer(1), .object(["minimum": .integer(0)])).isEmpty)
            // A status the document does not list has no schema.
            #expect(contract.responseSchema(path: "/health", method: "get", status: 503) == nil)
            #expect(contract.responseSchema(path: "/api/market/clock", method: "get", status: 422) == nil)
            #expect(contract.responseSchema(path: "/api/market/clock", method: "get", status: 200) != nil)
        }
    }

    @Test func serviceRoutesConform() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            contract.check(try await app.request(.get, "/health"), .get, "/health")
            contract.check(try await app.request(.get, "/ready"), .get, "/ready")
            contract.check(try await app.request(.get, "/openapi.json"), .get, "/openapi.json")
            let post = try await app.request(.post, "/health")
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET")
            contract.check(post, .post, "/health")
            contract.check(try await app.request(.delete, "/openapi.json"), .delete, "/openapi.json")
            // An unknown API route has no path in the document, but answers with the error shape
            // (outside the API's prefixes, the web app's HTML 404 page answers).
            let unknown = try await app.request(.get, "/health/nowhere")
            #expect(unknown.status == .notFound)
            try contract.check(unknown, schema: "Error")
        }
        try await TestApp.run(migrated: false) { app in
            let contract = try await OpenAPIContract.load(app)
            let ready = try await app.request(.get, "/ready")
            #expect(ready.status == .serviceUnavailable)
            contract.check(ready, .get, "/ready")
        }
    }

    @Test func accountRoutesConform() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let path = "/api/trading/account"
            let account = try await app.request(.get, path, token: token)
            #expect(account.status == .ok)
            contract.check(account, .get, path)
            let expectations: [(String, HTTPResponse.Status)] = [
                (#"{"default_tax_lot_method":"hifo"}"#, .ok),
                (#"{"default_tax_lot_method":"newest"}"#, .unprocessableContent),
                ("{}", .unprocessableContent),
                (#"{"default_tax_lot_method":5}"#, .unprocessableContent),
                ("not json", .badRequest),
                (#"{"x":""# + String(repeating: "a", count: 70_000) + #""}"#, .contentTooLarge),
            ]
            for (body, status) in expectations {
                let response = try await app.request(.patch, path, token: token, body: body)
                #expect(response.status == status, "\(body.prefix(40))")
                contract.check(response, .patch, path)
            }
            contract.check(try await app.request(.get, path), .get, path)
            contract.check(try await app.request(.get, path, token: "nope"), .get, path)
            let put = try await app.request(.put, path, token: token, body: "{}")
            #expect(put.status == .methodNotAllowed)
            contract.check(put, .put, path)
            contract.check(try await app.request(.delete, path, token: token), .delete, path)
        }
    }

    @Test func orderRoutesConform() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let orders = "/api/trading/orders"

            let filled = try await app.request(.post, orders, token: token, body: Self.ticket("AAPL", "buy", "10", client: "c-1"))
            #expect(filled.status == .created)
            #expect(try filled.json()["status"] as? String == "filled")
            contract.check(filled, .post, orders)
            let repeated = try await app.request(.post, orders, token: token, body: Self.ticket("AAPL", "buy", "10", client: "c-1"))
            #expect(repeated.status == .ok)
            contract.check(repeated, .post, orders)
            let rested = try await app.request(
                .post, orders, token: token, body: Self.ticket("AAPL", "buy", "1", type: "limit", limit: "170"))
            #expect(rested.status == .created)
            #expect(try rested.json()["status"] as? String == "accepted")
            contract.check(rested, .post, orders)
            let restedId = try #require(try rested.json()["id"] as? Int)
            let rejected = try await app.request(.post, orders, token: token, body: Self.ticket("MSFT", "buy", "1000"))
            #expect(rejected.status == .unprocessableContent)
            #expect(try rejected.json()["order"] != nil)
            contract.check(rejected, .post, orders)
            let invalid = try await app.request(.post, orders, token: token, body: Self.ticket("AAPL", "buy", "0"))
            #expect(invalid.status == .unprocessableContent)
            #expect(try invalid.json()["order"] == nil)
            contract.check(invalid, .post, orders)
            let undecodable = try await app.request(.post, orders, token: token, body: Self.ticket("AAPL", "hold", "1"))
            #expect(undecodable.status == .unprocessableContent)
            contract.check(undecodable, .post, orders)
            contract.check(try await app.request(.post, orders, body: Self.ticket("AAPL", "buy", "1")), .post, orders)

            let page = try await app.request(.get, orders + "?limit=2", token: token)
            #expect(try page.json()["next_cursor"] != nil)
            contract.check(page, .get, orders)
            let last = try await app.request(.get, orders, token: token)
            #expect(try last.json()["next_cursor"] == nil)
            contract.check(last, .get, orders)
            let badFilter = try await app.request(.get, orders + "?status=open", token: token)
            #expect(badFilter.status == .unprocessableContent)
            contract.check(badFilter, .get, orders)
            contract.check(try await app.request(.delete, orders, token: token), .delete, orders)

            let one = "/api/trading/orders/{id}"
            contract.check(try await app.request(.get, "\(orders)/\(restedId)", token: token), .get, one)
            for missing in ["999999", "abc", "0"] {
                let response = try await app.request(.get, "\(orders)/\(missing)", token: token)
                #expect(response.status == .notFound)
                contract.check(response, .get, one)
            }
            let canceled = try await app.request(.delete, "\(orders)/\(restedId)", token: token)
            #expect(canceled.status == .ok)
            contract.check(canceled, .delete, one)
            let again = try await app.request(.delete, "\(orders)/\(restedId)", token: token)
            #expect(again.status == .conflict)
            contract.check(again, .delete, one)
            contract.check(try await app.request(.delete, "\(orders)/999999", token: token), .delete, one)
            let put = try await app.request(.put, "\(orders)/\(restedId)", token: token, body: "{}")
            #expect(put.status == .methodNotAllowed)
            contract.check(put, .put, one)

            let positions = try await app.request(.get, "/api/trading/positions", token: token)
            let held = try #require(try positions.json()["positions"] as? [[String: Any]])
            #expect(held.count == 1 && held.first?["current_price"] != nil)
            contract.check(positions, .get, "/api/trading/positions")
            contract.check(try await app.request(.get, "/api/trading/positions"), .get, "/api/trading/positions")
            contract.check(try await app.request(.get, "/api/trading/account", token: token), .get, "/api/trading/account")
        }
    }

    @Test func replaceConforms() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let orders = "/api/trading/orders"
            let one = "/api/trading/orders/{id}"
            func rest(_ limit: String = "170") async throws -> Int {
                let placed = try await app.request(
                    .post, orders, token: token, body: Self.ticket("AAPL", "buy", "1", type: "limit", limit: limit))
                return try #require(try placed.json()["id"] as? Int)
            }
            let first = try await rest()
            let resting = try await app.request(.patch, "\(orders)/\(first)", token: token, body: #"{"limit_price":"171"}"#)
            #expect(resting.status == .ok)
            #expect(try resting.json()["replaces_order_id"] as? Int == first)
            contract.check(resting, .patch, one)
            let old = try await app.request(.get, "\(orders)/\(first)", token: token)
            #expect(try old.json()["replaced_by_order_id"] != nil)
            contract.check(old, .get, one)
            let second = try #require(try resting.json()["id"] as? Int)
            let filled = try await app.request(.patch, "\(orders)/\(second)", token: token, body: #"{"limit_price":"173"}"#)
            #expect(try filled.json()["status"] as? String == "filled")
            contract.check(filled, .patch, one)
            let cases: [(Int, String, HTTPResponse.Status)] = [
                (second, #"{"qty":"2"}"#, .conflict),
                (999_999, #"{"qty":"2"}"#, .notFound),
                (try await rest(), #"{"qty":"0"}"#, .unprocessableContent),
                (try await rest(), #"{"symbol":"MSFT"}"#, .unprocessableContent),
                (try await rest(), #"{"qty":"1000"}"#, .unprocessableContent),
                (try await rest(), #"{"qty":2}"#, .unprocessableContent),
                (try await rest(), "not json", .badRequest),
            ]
            for (id, body, status) in cases {
                let response = try await app.request(.patch, "\(orders)/\(id)", token: token, body: body)
                #expect(response.status == status, "\(body)")
                contract.check(response, .patch, one)
            }
            contract.check(try await app.request(.patch, "\(orders)/\(first)", body: #"{"qty":"2"}"#), .patch, one)
        }
    }

    @Test func statusRouteConforms() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let path = "/api/trading/status"
            let empty = try await app.request(.get, path, token: token)
            #expect(empty.status == .ok)
            contract.check(empty, .get, path)
            try await app.database.withConnection { db in
                try await db.raw(
                    "INSERT INTO bar_watermarks (symbol, last_bar_at, bars_caught_up, caught_up_at) VALUES ('AAPL', \(bind: StoredTimestamp(TestApp.now)), 12, \(bind: StoredTimestamp(TestApp.now)))"
                ).run()
            }
            let caughtUp = try await app.request(.get, path, token: token)
            #expect(try caughtUp.json()["delayed_fills_banner"] as? Bool == true)
            contract.check(caughtUp, .get, path)
            contract.check(try await app.request(.get, path), .get, path)
            let delete = try await app.request(.delete, path, token: token)
            #expect(delete.status == .methodNotAllowed)
            contract.check(delete, .delete, path)
        }
    }

    @Test func accountHistoryConforms() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (user, token) = try await app.user("alice")
            let path = "/api/trading/account/history"
            let empty = try await app.request(.get, path, token: token)
            #expect((try empty.json()["points"] as? [Any])?.isEmpty == true)
            contract.check(empty, .get, path)
            let snapshot = SnapshotStore.Snapshot(
                userId: user.id, date: TestApp.expiry, equity: "100012.5", cash: "99000", positionsJSON: "[]")
            _ = try await SnapshotStore(database: app.database).insert([snapshot], at: TestApp.now)
            let one = try await app.request(.get, path + "?from=2026-03-01&to=2026-03-31", token: token)
            let points = try #require(try one.json()["points"] as? [[String: Any]])
            #expect(points.first?["equity"] as? String == "100012.500000")
            contract.check(one, .get, path)
            for query in ["?from=yesterday", "?to=2026-13-01", "?from=2026-03-31&to=2026-03-01"] {
                let bad = try await app.request(.get, path + query, token: token)
                #expect(bad.status == .unprocessableContent, "\(query)")
                contract.check(bad, .get, path)
            }
            contract.check(try await app.request(.get, path), .get, path)
        }
    }

    @Test func adminJobsConformAndAreHiddenFromOthers() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, admin) = try await app.user("root", role: .admin)
            let (_, user) = try await app.user("alice")
            let path = "/api/admin/jobs"
            let jobs = try await app.request(.get, path, token: admin)
            #expect(jobs.status == .ok)
            let names = (try jobs.json()["jobs"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names?.contains("paper.assignment_at_expiry") == true)
            contract.check(jobs, .get, path)
            let hidden = try await app.request(.get, path, token: user)
            #expect(hidden.status == .notFound)
            contract.check(hidden, .get, path)
            contract.check(try await app.request(.get, path), .get, path)
        }
    }

    @Test func activityRoutesConform() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (user, token) = try await app.user("alice")
            let path = "/api/trading/activities"
            try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "buy", "2"))
            try await ActivityRoutesTests.insertCash(app, userId: user.id, kind: "dividend", amount: "1.5", at: TestApp.now, symbol: "AAPL")
            try await ActivityRoutesTests.insertCash(app, userId: user.id, kind: "fee", amount: "-0.25", at: TestApp.now, symbol: nil)
            let page = try await app.request(.get, path + "?limit=2", token: token)
            #expect(page.status == .ok)
            #expect(try page.json()["next_cursor"] != nil)
            contract.check(page, .get, path)
            let all = try await app.request(.get, path, token: token)
            #expect((try all.json()["activities"] as? [Any])?.count == 3)
            contract.check(all, .get, path)
            for query in ["?type=trade", "?before=nonsense", "?limit=0", "?from=yesterday"] {
                let response = try await app.request(.get, path + query, token: token)
                #expect(response.status == .unprocessableContent, "\(query)")
                contract.check(response, .get, path)
            }
            contract.check(try await app.request(.get, path), .get, path)
            let post = try await app.request(.post, path, token: token, body: "{}")
            #expect(post.status == .methodNotAllowed)
            contract.check(post, .post, path)
        }
    }

    @Test func marketRoutesConform() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let cases: [(String, String, HTTPResponse.Status)] = [
                ("/api/market/quotes", "?symbols=AAPL,msft", .ok),
                ("/api/market/quotes", "?symbols=AAPL,ZZZZ", .notFound),
                ("/api/market/quotes", "?symbols=AAPL,A%24B", .badRequest),
                ("/api/market/quotes", "", .unprocessableContent),
                ("/api/market/bars", "?symbols=AAPL&start=2026-03-20T13:50:00Z&end=2026-03-20T13:55:00Z", .ok),
                ("/api/market/bars", "?symbols=AAPL&start=2026-03-01T00:00:00Z&end=2026-03-20T00:00:00Z", .unprocessableContent),
                ("/api/market/options/chain", "?underlying=AAPL&expiry=2026-03-20", .ok),
                ("/api/market/options/chain", "?underlying=AAPL&expiry=2026-03-21", .notFound),
                ("/api/market/options/chain", "?underlying=AAPL&expiry=03/20/2026", .unprocessableContent),
                ("/api/market/clock", "", .ok),
                ("/api/market/calendar", "?start=2026-11-25&end=2026-11-30", .ok),
                ("/api/market/calendar", "?start=2026-11-30&end=2026-11-25", .unprocessableContent),
            ]
            for (path, query, status) in cases {
                let response = try await app.request(.get, path + query, token: token)
                #expect(response.status == status, "\(path)\(query)")
                contract.check(response, .get, path)
            }
            let bars = try await app.request(.get, cases[4].0 + cases[4].1, token: token)
            #expect((try bars.json()["bars"] as? [String: [Any]])?["AAPL"]?.isEmpty == false)
            let chain = try await app.request(.get, cases[6].0 + cases[6].1, token: token)
            #expect((try chain.json()["contracts"] as? [Any])?.isEmpty == false)
            contract.check(try await app.request(.get, "/api/market/clock"), .get, "/api/market/clock")
            let post = try await app.request(.post, "/api/market/clock", token: token)
            #expect(post.status == .methodNotAllowed)
            contract.check(post, .post, "/api/market/clock")
        }
    }

    @Test(arguments: [
        (MarketDataError.upstreamUnavailable("timed out"), 503),
        (.malformedResponse("not json"), 502),
    ])
    func upstreamFailuresConform(error: MarketDataError, status: Int) async throws {
        try await TestApp.run(provider: FailingProvider(error: error)) { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/market/quotes?symbols=AAPL", token: token)
            #expect(response.status.code == status)
            contract.check(response, .get, "/api/market/quotes")
        }
    }

    @Test func theTradingGateConforms() async throws {
        try await TestApp.run(deployment: .production) { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, "/api/trading/account", token: token)
            #expect(response.status == .notFound)
            contract.check(response, .get, "/api/trading/account")
            contract.check(try await app.request(.get, "/api/market/clock", token: token), .get, "/api/market/clock")
        }
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            app.environment["MBT_TRADING_DISABLED"] = "1"
            let response = try await app.request(.get, "/api/trading/positions", token: token)
            #expect(response.status == .serviceUnavailable)
            contract.check(response, .get, "/api/trading/positions")
        }
    }
}
