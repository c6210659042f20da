import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Activities: fills and cash movements, newest first")
struct ActivityRoutesTests {
    static let path = "/api/trading/activities"

    /// Inserts a `cash_movements` row directly: nothing in the API creates them yet.
    static func insertCash(
        _ app: TestApp.Fixture, userId: Int64, kind: String, amount: Decimal6, at instant: Date, symbol: String? = nil
    ) async throws {
        try await app.database.withConnection { db in
            try await db.insert(into: "cash_movements")
                .columns("user_id", "kind", "amount", "symbol", "description", "occurred_at")
                .values(
                    SQLBind(userId), SQLBind(kind), SQLBind(StoredDecimal(amount)), SQLBind(symbol), SQLBind("\(kind) \(amount)"),
                    SQLBind(StoredTimestamp(instant))
                )
                .run()
        }
    }

    /// Follows `next_cursor` to the end; returns each page's activities.
    static func allPages(_ app: TestApp.Fixture, token: String, query: String) async throws -> [[[String: Any]]] {
        var pages: [[[String: Any]]] = []
        var cursor: String?
        repeat {
            let separator = query.isEmpty ? "?" : "&"
            let uri = path + query + (cursor.map { separator + "before=\($0)" } ?? "")
            let response = try await app.request(.get, uri, token: token)
            #expect(response.status == .ok, "\(uri)")
            let body = try response.json()
            pages.append(try #require(body["activities"] as? [[String: Any]]))
            cursor = body["next_cursor"] as? String
            #expect(pages.count < 100)
        } while cursor != nil && pages.count < 100
        return pages
    }

    /// A stable identity per item across both sources.
    static func key(_ activity: [String: Any]) -> String {
        "\(activity["activity_type"] ?? "?"):\(activity["id"] ?? "?")"
    }

    /// Five fills (all at the fixed clock's instant) and seven cash movements, some at the same
    /// instant as the fills, some before and after.
    static func mixedHistory(_ app: TestApp.Fixture) async throws -> (userId: Int64, token: String) {
        let (user, token) = try await app.user("alice")
        for qty in ["1", "2", "3"] {
            try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", qty))
        }
        try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("MSFT", "buy", "1"))
        try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "sell", "2"))
        let offsets: [TimeInterval] = [-3600, -60, -1, 0, 0, 0, 60]
        for (index, offset) in offsets.enumerated() {
            try await insertCash(
                app, userId: user.id, kind: index.isMultiple(of: 2) ? "dividend" : "fee", amount: Decimal6(index + 1),
                at: TestApp.now.addingTimeInterval(offset), symbol: index.isMultiple(of: 2) ? "AAPL" : nil)
        }
        return (user.id, token)
    }

    @Test func pagesOfEverySizeCoverTheFeedOnceInOrder() async throws {
        try await TestApp.run { app in
            let (_, token) = try await Self.mixedHistory(app)
            let whole = try #require(
                try await app.request(.get, Self.path + "?limit=500", token: token).json()["activities"] as? [[String: Any]])
            #expect(whole.count == 12)
            #expect(whole.filter { $0["activity_type"] as? String == "fill" }.count == 5)
            // Newest first: the cash movement a minute after the fills, then the fills and cash at the same instant, …
            #expect(whole.first.map(Self.key) == "cash:7")
            #expect(whole.last.map(Self.key) == "cash:1")
            let instants = whole.compactMap { $0["occurred_at"] as? String }
            #expect(instants == instants.sorted(by: >))
            let sameInstant = whole.filter { $0["occurred_at"] as? String == "2026-03-20T14:00:00Z" }.map(Self.key)
            #expect(sameInstant == ["fill:5", "fill:4", "fill:3", "fill:2", "fill:1", "cash:6", "cash:5", "cash:4"])

            for size in 1...13 {
                let pages = try await Self.allPages(app, token: token, query: "?limit=\(size)")
                let keys = pages.flatMap { $0.map(Self.key) }
                #expect(keys == whole.map(Self.key), "limit \(size)")
                #expect(pages.dropLast().allSatisfy { $0.count == size }, "limit \(size)")
                #expect(Set(keys).count == keys.count, "limit \(size)")
            }
        }
    }

    @Test func aFillShowsItsOrderPriceNBBOAndRule() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let order = try await app.request(
                .post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "10")
            )
            .json()
            let activities = try #require(try await app.request(.get, Self.path, token: token).json()["activities"] as? [[String: Any]])
            let fill = try #require(activities.first)
            #expect(activities.count == 1)
            #expect(fill["activity_type"] as? String == "fill")
            #expect(fill["order_id"] as? Int == order["id"] as? Int)
            #expect(fill["symbol"] as? String == "AAPL")
            #expect(fill["side"] as? String == "buy")
            #expect(fill["qty"] as? String == "10.000000")
            #expect(fill["price"] as? String == "172.700000")
            #expect(fill["nbbo_bid"] as? String == "172.600000")
            #expect(fill["nbbo_ask"] as? String == "172.700000")
            #expect(fill["slippage_basis"] as? String == "0.050000")
            #expect(fill["fill_rule"] as? String == "market_at_quote")
            #expect(fill["price_source"] as? String == "ask")
            #expect(
                fill["explanation"] as? String
                    == "buy 10.000000 AAPL at 172.700000: market_at_quote (ask; NBBO 172.600000 / 172.700000)")
            #expect(fill["occurred_at"] as? String == "2026-03-20T14:00:00Z")
            #expect(fill["kind"] == nil && fill["amount"] == nil)
        }
    }

    @Test func typeAndTimeFiltersNarrowTheFeedAndPageToo() async throws {
        try await TestApp.run { app in
            let (_, token) = try await Self.mixedHistory(app)
            let fills = try await Self.allPages(app, token: token, query: "?type=fill&limit=2").flatMap { $0 }
            #expect(fills.map(Self.key) == ["fill:5", "fill:4", "fill:3", "fill:2", "fill:1"])
            let cash = try await Self.allPages(app, token: token, query: "?type=cash&limit=3").flatMap { $0 }
            #expect(cash.map(Self.key) == ["cash:7", "cash:6", "cash:5", "cash:4", "cash:3", "cash:2", "cash:1"])
            #expect(cash.first?["amount"] as? String == "7.000000")
            #expect(cash.first?["kind"] as? String == "dividend")
            #expect(cash.first?["symbol"] as? String == "AAPL")
            #expect(cash.dropFirst().first?["symbol"] == nil)
            // [now − 60 s, now): the two cash movements a minute and a second before the fills.
            let window = try await Self.allPages(
                app, token: token, query: "?from=2026-03-20T13:59:00Z&to=2026-03-20T14:00:00Z&limit=1"
            ).flatMap { $0 }
            #expect(window.map(Self.key) == ["cash:3", "cash:2"])
            let from = try await Self.allPages(app, token: token, query: "?from=2026-03-20T14:00:00Z&limit=4").flatMap { $0 }
            #expect(from.count == 9)
        }
    }

    @Test func eachUserSeesOnlyTheirOwnActivity() async throws {
        try await TestApp.run { app in
            let (aliceId, _) = try await Self.mixedHistory(app)
            let (bob, token) = try await app.user("bob")
            #expect(try await app.request(.get, Self.path, token: token).json()["activities"] as? [Any] != nil)
            #expect((try await app.request(.get, Self.path, token: token).json()["activities"] as? [Any])?.isEmpty == true)
            try await Self.insertCash(app, userId: bob.id, kind: "adjustment", amount: "5", at: TestApp.now)
            let mine = try #require(try await app.request(.get, Self.path, token: token).json()["activities"] as? [[String: Any]])
            #expect(mine.count == 1 && mine.first?["kind"] as? String == "adjustment")
            #expect(aliceId != bob.id)
        }
    }

    @Test(arguments: ["?type=trade", "?before=nonsense", "?before=", "?limit=0", "?limit=501", "?from=yesterday", "?to=2026-13-01"])
    func badQueriesAre422(query: String) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.get, Self.path + query, token: token)
            #expect(response.status == .unprocessableContent, "\(query)")
            #expect(try response.errorCode() == "validation_failed")
        }
    }

    @Test func aCursorOfAnotherShapeIsRefused() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            // An order-history cursor (a bare id) is not an activity cursor.
            for cursor in ["12", Data("1:trade:2".utf8).base64EncodedString(), Data("x:fill:2".utf8).base64EncodedString()] {
                let response = try await app.request(.get, Self.path + "?before=\(cursor)", token: token)
                #expect(response.status == .unprocessableContent, "\(cursor)")
            }
        }
    }
}
