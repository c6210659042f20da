import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTTestSupport
import Testing

/// `/v2/watchlists`: create, read, rename, replace, add and remove symbols, delete; per user, with
/// Alpaca's shapes and errors (docs/alpaca-api.md, "Watchlists").
@Suite("Alpaca /v2/watchlists")
struct AlpacaWatchlistTests {
    @Test func aWatchlistIsCreatedEditedAndDeleted() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let created = try await alice.object(
                .post, "/v2/watchlists", body: #"{"name":"tech","symbols":["aapl","AAPL260320C00175000"]}"#)
            let id = try #require(created["id"] as? String)
            #expect(AlpacaOrderTests.isUUID(created["id"]) && AlpacaOrderTests.isUUID(created["account_id"]))
            #expect(created["name"] as? String == "tech")
            let assets = try #require(created["assets"] as? [[String: Any]])
            #expect(assets.map { $0["symbol"] as? String } == ["AAPL", "AAPL260320C00175000"])
            #expect(assets.map { $0["class"] as? String } == ["us_equity", "us_option"])
            #expect(created["created_at"] as? String == "2026-03-20T14:00:00.000000Z")

            let listed = try await alice.array("/v2/watchlists")
            #expect(listed.count == 1 && listed.first?["id"] as? String == id && listed.first?["assets"] == nil)

            let added = try await alice.object(.post, "/v2/watchlists/\(id)", body: #"{"symbol":"MSFT"}"#)
            #expect((added["assets"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["AAPL", "AAPL260320C00175000", "MSFT"])
            let removed = try await alice.object(.delete, "/v2/watchlists/\(id)/AAPL")
            #expect((removed["assets"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["AAPL260320C00175000", "MSFT"])
            let renamed = try await alice.object(.put, "/v2/watchlists/\(id)", body: #"{"name":"megacaps"}"#)
            #expect(renamed["name"] as? String == "megacaps" && (renamed["assets"] as? [Any])?.count == 2)
            let replaced = try await alice.object(.put, "/v2/watchlists/\(id)", body: #"{"symbols":["MSFT","AAPL"]}"#)
            #expect((replaced["assets"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["MSFT", "AAPL"])
            let read = try await alice.object(.get, "/v2/watchlists/\(id)")
            #expect(read["name"] as? String == "megacaps" && (read["assets"] as? [Any])?.count == 2)

            // Another user's list is not found.
            let bob = try await AlpacaCaller.make(app, "bob")
            #expect(try await bob.request(.get, "/v2/watchlists/\(id)").status == .notFound)
            #expect(try await bob.request(.delete, "/v2/watchlists/\(id)").status == .notFound)
            #expect(try await bob.array("/v2/watchlists").isEmpty)

            #expect(try await alice.request(.delete, "/v2/watchlists/\(id)").status == .noContent)
            let gone = try await alice.request(.get, "/v2/watchlists/\(id)")
            #expect(gone.status == .notFound)
            #expect(try gone.alpacaCode() == 40_410_000)
            #expect(try gone.alpacaMessage() == "watchlist not found")
        }
    }

    @Test func theByNameRoutesFindTheListByItsName() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let created = try await alice.object(.post, "/v2/watchlists", body: #"{"name":"my tech","symbols":["AAPL"]}"#)
            let byName = try await alice.object(.get, "/v2/watchlists:by_name?name=my%20tech")
            #expect(byName["id"] as? String == created["id"] as? String)
            let added = try await alice.object(.post, "/v2/watchlists:by_name?name=my%20tech", body: #"{"symbol":"MSFT"}"#)
            #expect((added["assets"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["AAPL", "MSFT"])
            let renamed = try await alice.object(.put, "/v2/watchlists:by_name?name=my%20tech", body: #"{"name":"tech"}"#)
            #expect(renamed["name"] as? String == "tech")
            let bob = try await AlpacaCaller.make(app, "bob")
            #expect(try await bob.request(.get, "/v2/watchlists:by_name?name=tech").status == .notFound)
            #expect(try await alice.request(.get, "/v2/watchlists:by_name").status == .unprocessableContent)
            #expect(try await alice.request(.delete, "/v2/watchlists:by_name?name=tech").status == .noContent)
            #expect(try await alice.request(.get, "/v2/watchlists:by_name?name=tech").status == .notFound)
        }
    }

    @Test func badInputIsRefusedNamingTheField() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let id = try #require(try await alice.object(.post, "/v2/watchlists", body: #"{"name":"tech","symbols":[]}"#)["id"] as? String)
            let cases: [(String, String, String)] = [
                ("/v2/watchlists", #"{"symbols":["AAPL"]}"#, "name is required"),
                ("/v2/watchlists", #"{"name":"tech","symbols":[]}"#, "already exists"),
                ("/v2/watchlists", #"{"name":"x","symbols":["NOPE"]}"#, "NOPE is not an asset"),
                ("/v2/watchlists", #"{"name":"x","symbols":["AAPL","aapl"]}"#, "twice"),
                ("/v2/watchlists", #"{"name":"x","symbols":"AAPL"}"#, "symbols must be a list"),
                ("/v2/watchlists", "{\"name\":\"\(String(repeating: "n", count: 65))\"}", "name must be 1 to 64"),
                ("/v2/watchlists/\(id)", #"{}"#, "symbol is required"),
            ]
            for (path, body, message) in cases {
                let response = try await alice.request(.post, path, body: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(try response.alpacaCode() == 42_210_000)
                let text = try response.alpacaMessage()
                #expect(text.contains(message), "\(body): \(text)")
            }
            _ = try await alice.object(.post, "/v2/watchlists/\(id)", body: #"{"symbol":"AAPL"}"#)
            #expect(try await alice.request(.post, "/v2/watchlists/\(id)", body: #"{"symbol":"AAPL"}"#).status == .unprocessableContent)
            #expect(try await alice.request(.delete, "/v2/watchlists/\(id)/MSFT").status == .notFound)
            #expect(try await alice.request(.put, "/v2/watchlists/\(id)", body: "{}").status == .unprocessableContent)
            #expect(try await alice.request(.get, "/v2/watchlists/not-a-uuid").status == .badRequest)
            #expect(try await alice.request(.get, "/v2/watchlists/\(UUID().uuidString)").status == .notFound)
        }
    }
}
