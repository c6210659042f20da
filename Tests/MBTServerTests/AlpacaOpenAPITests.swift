import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTTestSupport
import Testing

@Suite("Alpaca /v2: real answers conform to the OpenAPI document")
struct AlpacaOpenAPITests {
    @Test func everyV2RouteAnswersWhatTheDocumentSays() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let alice = try await AlpacaCaller.make(app, "alice")
            func check(_ method: HTTPRequest.Method, _ uri: String, _ path: String, body: String? = nil) async throws -> TestResponse {
                let response = try await alice.request(method, uri, body: body)
                if response.status != .noContent { contract.check(response, method, path) }
                #expect(response.headers[HTTPField.Name("X-Ratelimit-Limit")!] == "200", "\(method) \(uri)")
                return response
            }
            _ = try await check(.get, "/v2/account", "/v2/account")
            let bought = try await check(.post, "/v2/orders", "/v2/orders", body: "{\(AlpacaOrderTests.marketBuy)}").json()
            let id = try #require(bought["id"] as? String)
            let resting = try await check(
                .post, "/v2/orders", "/v2/orders",
                body:
                    #"{"symbol":"MSFT","qty":1,"side":"buy","type":"limit","limit_price":400,"time_in_force":"gtc","client_order_id":"c1"}"#
            ).json()
            let restingId = try #require(resting["id"] as? String)
            _ = try await check(
                .post, "/v2/orders", "/v2/orders",
                body:
                    #"{"qty":1,"type":"market","time_in_force":"day","order_class":"mleg","legs":[{"symbol":"AAPL260320C00175000","ratio_qty":1,"side":"buy","position_intent":"buy_to_open"},{"symbol":"AAPL260320P00170000","ratio_qty":1,"side":"buy","position_intent":"buy_to_open"}]}"#
            )
            _ = try await check(
                .post, "/v2/orders", "/v2/orders", body: #"{"symbol":"AAPL","qty":0,"side":"buy","type":"market","time_in_force":"day"}"#)
            _ = try await check(
                .post, "/v2/orders", "/v2/orders", body: #"{"symbol":"AAPL","qty":5000,"side":"buy","type":"market","time_in_force":"day"}"#
            )
            _ = try await check(.post, "/v2/orders", "/v2/orders", body: "nope")
            _ = try await check(.get, "/v2/orders?status=all&nested=true", "/v2/orders")
            _ = try await check(.get, "/v2/orders?status=bad", "/v2/orders")
            _ = try await check(.get, "/v2/orders/\(id)", "/v2/orders/{order_id}")
            _ = try await check(.get, "/v2/orders/x", "/v2/orders/{order_id}")
            _ = try await check(.get, "/v2/orders/\(UUID().uuidString)", "/v2/orders/{order_id}")
            _ = try await check(.get, "/v2/orders:by_client_order_id?client_order_id=c1", "/v2/orders:by_client_order_id")
            let replaced = try await check(.patch, "/v2/orders/\(restingId)", "/v2/orders/{order_id}", body: #"{"limit_price":"399"}"#)
                .json()
            _ = try await check(.patch, "/v2/orders/\(id)", "/v2/orders/{order_id}", body: #"{"qty":1}"#)
            _ = try await check(.delete, "/v2/orders/\(try #require(replaced["id"] as? String))", "/v2/orders/{order_id}")
            _ = try await check(.delete, "/v2/orders/\(id)", "/v2/orders/{order_id}")
            _ = try await check(
                .post, "/v2/orders", "/v2/orders",
                body: #"{"symbol":"MSFT","qty":1,"side":"buy","type":"limit","limit_price":400,"time_in_force":"day"}"#)
            _ = try await check(.delete, "/v2/orders", "/v2/orders")
            _ = try await check(.get, "/v2/positions", "/v2/positions")
            _ = try await check(.get, "/v2/positions/AAPL", "/v2/positions/{symbol_or_asset_id}")
            _ = try await check(.get, "/v2/positions/NVDA", "/v2/positions/{symbol_or_asset_id}")
            _ = try await check(.post, "/v2/positions/NVDA/exercise", "/v2/positions/{symbol_or_asset_id}/exercise")
            _ = try await check(.post, "/v2/positions/AAPL/exercise", "/v2/positions/{symbol_or_asset_id}/exercise")
            let list = try await check(.post, "/v2/watchlists", "/v2/watchlists", body: #"{"name":"w","symbols":["AAPL"]}"#).json()
            let listId = try #require(list["id"] as? String)
            _ = try await check(.post, "/v2/watchlists", "/v2/watchlists", body: #"{"name":"w"}"#)
            _ = try await check(.get, "/v2/watchlists", "/v2/watchlists")
            _ = try await check(.get, "/v2/watchlists/\(listId)", "/v2/watchlists/{watchlist_id}")
            _ = try await check(.get, "/v2/watchlists/x", "/v2/watchlists/{watchlist_id}")
            _ = try await check(.put, "/v2/watchlists/\(listId)", "/v2/watchlists/{watchlist_id}", body: #"{"name":"v"}"#)
            _ = try await check(.post, "/v2/watchlists/\(listId)", "/v2/watchlists/{watchlist_id}", body: #"{"symbol":"MSFT"}"#)
            _ = try await check(.delete, "/v2/watchlists/\(listId)/MSFT", "/v2/watchlists/{watchlist_id}/{symbol}")
            _ = try await check(.get, "/v2/watchlists:by_name?name=v", "/v2/watchlists:by_name")
            _ = try await check(.get, "/v2/watchlists:by_name", "/v2/watchlists:by_name")
            _ = try await check(.post, "/v2/watchlists:by_name?name=v", "/v2/watchlists:by_name", body: #"{"symbol":"MSFT"}"#)
            _ = try await check(.put, "/v2/watchlists:by_name?name=v", "/v2/watchlists:by_name", body: #"{"symbols":["AAPL"]}"#)
            _ = try await check(.delete, "/v2/watchlists:by_name?name=nope", "/v2/watchlists:by_name")
            _ = try await check(.delete, "/v2/watchlists/\(listId)", "/v2/watchlists/{watchlist_id}")
            _ = try await check(.delete, "/v2/positions/AAPL?qty=1", "/v2/positions/{symbol_or_asset_id}")
            _ = try await check(.delete, "/v2/positions/AAPL?qty=100", "/v2/positions/{symbol_or_asset_id}")
            _ = try await check(.delete, "/v2/positions?cancel_orders=true", "/v2/positions")
            _ = try await check(.get, "/v2/assets", "/v2/assets")
            _ = try await check(.get, "/v2/options/contracts/AAPL260320C00175000", "/v2/options/contracts/{symbol_or_id}")
            _ = try await check(.get, "/v2/options/contracts/NOPE", "/v2/options/contracts/{symbol_or_id}")
            _ = try await check(.get, "/v2/assets/AAPL", "/v2/assets/{symbol_or_asset_id}")
            _ = try await check(.get, "/v2/assets/AAPL260320C00175000", "/v2/assets/{symbol_or_asset_id}")
            _ = try await check(.get, "/v2/assets/NOSUCH", "/v2/assets/{symbol_or_asset_id}")
            _ = try await check(.get, "/v2/options/contracts?underlying_symbols=AAPL", "/v2/options/contracts")
            _ = try await check(.get, "/v2/options/contracts", "/v2/options/contracts")
            _ = try await check(.get, "/v2/clock", "/v2/clock")
            _ = try await check(.get, "/v2/calendar?start=2026-03-01&end=2026-03-31", "/v2/calendar")
            _ = try await check(.get, "/v2/calendar?start=nope", "/v2/calendar")
            _ = try await check(.get, "/v2/account/activities", "/v2/account/activities")
            _ = try await check(.get, "/v2/account/activities/FILL?page_size=2", "/v2/account/activities/{activity_type}")
            _ = try await check(.get, "/v2/account/activities/NOPE", "/v2/account/activities/{activity_type}")
            let bars = "/v2/stocks/bars?symbols=AAPL,MSFT&start=2026-03-20T13:30:00Z"
            _ = try await check(.get, bars + "&timeframe=1Min&limit=3", "/v2/stocks/bars")
            _ = try await check(.get, bars + "&timeframe=1Day", "/v2/stocks/bars")
            _ = try await check(.get, bars + "&timeframe=1Week", "/v2/stocks/bars")
            _ = try await check(.get, bars + "&timeframe=1Month", "/v2/stocks/bars")
            let history = "?symbols=AAPL,MSFT&start=2026-03-20T13:30:00Z"
            _ = try await check(.get, "/v2/stocks/trades" + history + "&limit=3", "/v2/stocks/trades")
            _ = try await check(.get, "/v2/stocks/trades?symbols=AAPL&start=2025-01-01", "/v2/stocks/trades")
            _ = try await check(.get, "/v2/stocks/quotes" + history, "/v2/stocks/quotes")
            _ = try await check(.get, "/v2/stocks/AAPL/trades?start=2026-03-20T13:30:00Z", "/v2/stocks/{symbol}/trades")
            _ = try await check(.get, "/v2/stocks/AAPL/quotes?start=2026-03-20T13:30:00Z", "/v2/stocks/{symbol}/quotes")
            _ = try await check(.get, "/v2/stocks/quotes/latest?symbols=AAPL,MSFT", "/v2/stocks/quotes/latest")
            _ = try await check(.get, "/v2/stocks/trades/latest?symbols=AAPL", "/v2/stocks/trades/latest")
            _ = try await check(.get, "/v2/stocks/snapshots?symbols=AAPL,MSFT", "/v2/stocks/snapshots")
            _ = try await check(.get, "/v1beta1/options/quotes/latest?symbols=AAPL260320C00175000", "/v1beta1/options/quotes/latest")
            _ = try await check(
                .get, "/v1beta1/options/snapshots/AAPL?expiration_date=2026-03-20", "/v1beta1/options/snapshots/{underlying_symbol}")
            _ = try await check(.get, "/v1/corporate-actions?start=2026-01-01&end=2026-03-31", "/v1/corporate-actions")
            _ = try await check(.get, "/v1/corporate-actions?types=bogus", "/v1/corporate-actions")
            _ = try await check(.get, "/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-03-20T13:30:00Z", "/v2/stocks/{symbol}/bars")
            _ = try await check(.get, "/v2/stocks/AAPL/quotes/latest", "/v2/stocks/{symbol}/quotes/latest")
            _ = try await check(.get, "/v2/stocks/NOSUCH/quotes/latest", "/v2/stocks/{symbol}/quotes/latest")
            _ = try await check(.get, "/v2/stocks/AAPL/trades/latest", "/v2/stocks/{symbol}/trades/latest")
            _ = try await check(.get, "/v2/stocks/AAPL/snapshot", "/v2/stocks/{symbol}/snapshot")
            _ = try await check(.get, "/v2/stocks/bars/latest?symbols=AAPL,MSFT", "/v2/stocks/bars/latest")
            _ = try await check(.get, "/v2/stocks/AAPL/bars/latest", "/v2/stocks/{symbol}/bars/latest")
            _ = try await check(.get, "/v2/stocks/MSFT/bars/latest", "/v2/stocks/{symbol}/bars/latest")
            _ = try await check(.get, "/v2/account/portfolio/history", "/v2/account/portfolio/history")
            _ = try await check(.get, "/v2/account/portfolio/history?timeframe=1H", "/v2/account/portfolio/history")
            let unauthorized = try await app.request(.get, "/v2/account")
            contract.check(unauthorized, .get, "/v2/account")
        }
    }
}
