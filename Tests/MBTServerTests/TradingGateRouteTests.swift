import HTTPTypes
import HummingbirdTesting
import MBTTestSupport
import MBTTrading
import Testing

@Suite("Feature flag and kill switches on the trading routes")
struct TradingGateRouteTests {
    @Test func flagOffHidesEveryTradingRoute() async throws {
        try await TestApp.run(deployment: .production) { app in
            let (_, token) = try await app.user("alice")
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/trading/account"), (.post, "/api/trading/orders"), (.delete, "/api/trading/orders/1"),
            ] {
                let response = try await app.request(method, path, token: token)
                #expect(response.status == .notFound)
                #expect(try response.errorCode() == "feature_disabled")
            }
            #expect(try await app.request(.get, "/health").status == .ok)
        }
    }

    @Test func flagCanBeTurnedOnAndOffAtRunTime() async throws {
        try await TestApp.run(deployment: .staging) { app in
            let (_, token) = try await app.user("alice")
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .notFound)
            app.environment["FLAG_PAPER_TRADING_V1"] = "1"
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .ok)
            app.environment["FLAG_PAPER_TRADING_V1"] = "0"
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .notFound)
        }
    }

    @Test func tradingDisabledAnswers503ForEveryTradingRoute() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            app.environment["MBT_TRADING_DISABLED"] = "1"
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/trading/account"), (.patch, "/api/trading/account"), (.post, "/api/trading/orders"),
            ] {
                let response = try await app.request(method, path, token: token, body: "{}")
                #expect(response.status == .serviceUnavailable)
                #expect(try response.errorCode() == "trading_disabled")
            }
            app.environment["MBT_TRADING_DISABLED"] = nil
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .ok)
        }
    }

    @Test func newOrdersDisabledRefusesOrdersButNotReadsOrCancels() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            app.environment["MBT_NEW_ORDERS_DISABLED"] = "1"
            for (method, path) in [(HTTPRequest.Method.post, "/api/trading/orders"), (.patch, "/api/trading/orders/7")] {
                let response = try await app.request(method, path, token: token, body: "{}")
                #expect(response.status == .serviceUnavailable)
                #expect(try response.errorCode() == "new_orders_disabled")
            }
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .ok)
            let cancel = try await app.request(.delete, "/api/trading/orders/7", token: token)
            #expect(cancel.status != .serviceUnavailable)
            let change = try await app.request(.patch, "/api/trading/account", token: token, body: #"{"default_tax_lot_method":"lifo"}"#)
            #expect(change.status == .ok)
        }
    }
}
