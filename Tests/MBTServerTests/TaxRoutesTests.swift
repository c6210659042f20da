import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import Testing

/// The tax routes through the real application: orders placed with `POST /api/trading/orders` at
/// the fixed clock (AAPL 172.60 / 172.70, MSFT 410.01 / 410.05), then lots, summary and Form 8949.
@Suite("Tax routes: lots, summary, Form 8949")
struct TaxRoutesTests {
    static let lots = "/api/trading/tax/lots"
    static let summary = "/api/trading/tax/summary"
    static let form8949 = "/api/trading/tax/8949"

    /// Buy, sell at a loss and buy again on one day (a wash sale), and a small MSFT loss that stands.
    static func trade(_ app: TestApp.Fixture, token: String) async throws {
        for (symbol, side) in [("AAPL", "buy"), ("AAPL", "sell"), ("AAPL", "buy"), ("MSFT", "buy"), ("MSFT", "sell")] {
            let response = try await app.request(
                .post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket(symbol, side, symbol == "AAPL" ? "10" : "1"))
            #expect(response.status == .created)
            #expect(try response.json()["status"] as? String == "filled")
        }
    }

    @Test func lotsShowTheWashSaleBasisAdjustmentAndTheDispositions() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            try await Self.trade(app, token: token)
            let response = try await app.request(.get, Self.lots, token: token)
            #expect(response.status == .ok)
            contract.check(response, .get, Self.lots)
            let lots = try #require(try response.json()["lots"] as? [[String: Any]])
            #expect(lots.map { $0["symbol"] as? String } == ["AAPL", "AAPL", "MSFT"])
            let sold = lots[0]
            #expect(sold["status"] as? String == "closed" && sold["remaining_qty"] as? String == "0.000000")
            #expect(sold["cost_basis"] as? String == "1727.000000" && sold["lot_method"] as? String == "fifo")
            let sale = try #require((sold["dispositions"] as? [[String: Any]])?.first)
            #expect(sale["kind"] as? String == "sale" && sale["proceeds"] as? String == "1726.000000")
            #expect(sale["wash_sale_disallowed"] as? String == "1.000000" && sale["gain"] as? String == "0.000000")
            #expect(sale["term"] as? String == "short" && sale["sold"] as? String == "2026-03-20")
            let replacement = lots[1]
            #expect(replacement["status"] as? String == "open" && replacement["qty"] as? String == "10.000000")
            #expect(replacement["cost_basis"] as? String == "1727.000000" && replacement["wash_sale_adjustment"] as? String == "1.000000")
            #expect(replacement["adjusted_acquired"] as? String == "2026-03-20" && replacement["term"] as? String == "short")
            #expect(replacement["long_term_from"] as? String == "2027-03-21" && replacement["section_1256"] as? Bool == false)
            let wash = try #require((replacement["wash_sales"] as? [[String: Any]])?.first)
            #expect(wash["loss_symbol"] as? String == "AAPL" && wash["disallowed_loss"] as? String == "1.000000")
            #expect(wash["loss_lot_id"] as? String == sold["lot_id"] as? String)
            #expect((lots[2]["dispositions"] as? [[String: Any]])?.first?["gain"] as? String == "-0.040000")
        }
    }

    @Test func lotsArePagedInTheirOrderWithACursor() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            try await Self.trade(app, token: token)
            let all = try #require(try await app.request(.get, Self.lots, token: token).json()["lots"] as? [[String: Any]])
            let first = try await app.request(.get, Self.lots + "?limit=2", token: token)
            contract.check(first, .get, Self.lots)
            let firstPage = try #require(try first.json()["lots"] as? [[String: Any]])
            let cursor = try #require(try first.json()["next_cursor"] as? String)
            #expect(firstPage.count == 2 && cursor == firstPage[1]["lot_id"] as? String)
            let second = try await app.request(.get, Self.lots + "?limit=2&after=\(cursor)", token: token).json()
            let secondPage = try #require(second["lots"] as? [[String: Any]])
            #expect(second["next_cursor"] == nil, "the last page has no cursor")
            #expect((firstPage + secondPage).map { $0["lot_id"] as? String } == all.map { $0["lot_id"] as? String })
            for bad in ["limit=0", "limit=501", "limit=x", "after=nope"] {
                let refused = try await app.request(.get, Self.lots + "?\(bad)", token: token)
                #expect(refused.status == .unprocessableContent, "\(bad)")
                contract.check(refused, .get, Self.lots)
            }
        }
    }

    @Test func summaryAndForm8949ComeFromTheEngineAndAgreeWithTheAccount() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            try await Self.trade(app, token: token)
            let response = try await app.request(.get, Self.summary + "?year=2026", token: token)
            #expect(response.status == .ok)
            contract.check(response, .get, Self.summary)
            let body = try response.json()
            let total = try #require(body["total"] as? [String: Any])
            #expect(body["year"] as? Int == 2026)
            #expect(total["short_term_gain"] as? String == "-0.040000" && total["long_term_gain"] as? String == "0.000000")
            #expect(total["wash_sale_disallowed"] as? String == "1.000000" && total["net_gain"] as? String == "-0.040000")
            #expect(total["section_1256_gain"] as? String == "0.000000")
            let bySymbol = try #require(body["by_symbol"] as? [String: [String: Any]])
            #expect(Set(bySymbol.keys) == ["AAPL", "MSFT"])
            #expect(bySymbol["AAPL"]?["wash_sale_disallowed"] as? String == "1.000000")

            let account = try await app.request(.get, "/api/trading/account", token: token)
            #expect(try account.json()["realized_pl"] as? String == total["net_gain"] as? String)

            let csv = try await app.request(.get, Self.form8949 + "?year=2026", token: token)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(
                String(buffer: csv.body) == """
                    part,description,date_acquired,date_sold,proceeds,cost_basis,adjustment_code,adjustment_amount,gain_or_loss
                    I,10 AAPL,2026-03-20,2026-03-20,1726.000000,1727.000000,W,1.000000,0.000000
                    I,1 MSFT,2026-03-20,2026-03-20,410.010000,410.050000,,,-0.040000

                    """)
            let empty = try await app.request(.get, Self.form8949 + "?year=2025", token: token)
            #expect(String(buffer: empty.body).split(separator: "\n").count == 1)
        }
    }

    @Test func anotherUsersLotsAreNeverVisible() async throws {
        try await TestApp.run { app in
            let (_, alice) = try await app.user("alice")
            let (_, bob) = try await app.user("bob")
            try await Self.trade(app, token: alice)
            let lots = try await app.request(.get, Self.lots, token: bob)
            #expect((try lots.json()["lots"] as? [Any])?.isEmpty == true)
            let summary = try await app.request(.get, Self.summary + "?year=2026", token: bob)
            #expect((try summary.json()["by_symbol"] as? [String: Any])?.isEmpty == true)
            let csv = try await app.request(.get, Self.form8949 + "?year=2026", token: bob)
            #expect(String(buffer: csv.body).split(separator: "\n").count == 1)
            let account = try await app.request(.get, "/api/trading/account", token: bob)
            #expect(try account.json()["realized_pl"] as? String == "0.000000")
            #expect((try await app.request(.get, Self.lots, token: alice).json()["lots"] as? [Any])?.count == 3)
        }
    }

    @Test(arguments: ["abc", "20260", "1899", "26", "2026.0", ""])
    func aBadYearIsRefusedWith422(year: String) async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            for path in [Self.summary, Self.form8949] {
                let response = try await app.request(.get, path + "?year=" + year, token: token)
                #expect(response.status == .unprocessableContent, "\(path) \(year)")
                #expect(try response.errorCode() == "validation_failed")
                contract.check(response, .get, path)
            }
        }
    }

    @Test func theYearDefaultsToTheClocksAndOptionsAreTaxedPerContract() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let call = try OptionSymbol(root: "AAPL", expiry: TestApp.expiry, right: .call, strike: 175).description
            let bought = try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket(call, "buy", "2"))
            #expect(bought.status == .created)
            let lots = try await app.request(.get, Self.lots, token: token)
            contract.check(lots, .get, Self.lots)
            let lot = try #require((try lots.json()["lots"] as? [[String: Any]])?.first)
            #expect(lot["asset_class"] as? String == "option" && lot["multiplier"] as? Int == 100)
            #expect(lot["cost_basis"] as? String == "230.000000")
            let summary = try await app.request(.get, Self.summary, token: token)
            #expect(try summary.json()["year"] as? Int == 2026)
        }
    }

    @Test func unauthenticatedAndOtherMethodsConform() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            for path in [Self.lots, Self.summary, Self.form8949] {
                let anonymous = try await app.request(.get, path)
                #expect(anonymous.status == .unauthorized)
                contract.check(anonymous, .get, path)
                let post = try await app.request(.post, path, token: token, body: "{}")
                #expect(post.status == .methodNotAllowed)
                contract.check(post, .post, path)
            }
        }
    }
}
