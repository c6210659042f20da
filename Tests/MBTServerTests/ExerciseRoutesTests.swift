import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTTestSupport
import MBTTrading
import Testing

/// `POST /api/trading/positions/{symbol}/exercise`: MBT's own route to the early exercise the
/// Alpaca API offers too (docs/jobs.md, "Early exercise").
@Suite("Early exercise (MBT API)")
struct ExerciseRoutesTests {
    static let call = "AAPL260320C00175000"

    @Test func aLongCallIsExercisedAndTheOrdersAreShown() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let path = "/api/trading/positions/{symbol}/exercise"
            let missing = try await app.request(.post, "/api/trading/positions/\(Self.call)/exercise", token: token)
            #expect(missing.status == .notFound)
            #expect(try missing.errorCode() == "not_found")
            contract.check(missing, .post, path)

            let bought = try await app.request(
                .post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket(Self.call, "buy", "1"))
            #expect(bought.status == .created)
            _ = try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "1"))
            let stock = try await app.request(.post, "/api/trading/positions/AAPL/exercise", token: token)
            #expect(stock.status == .unprocessableContent)
            #expect(try stock.errorCode() == "not_exercisable")
            contract.check(stock, .post, path)

            let exercised = try await app.request(.post, "/api/trading/positions/\(Self.call.lowercased())/exercise", token: token)
            #expect(exercised.status == .ok, "\(String(buffer: exercised.body))")
            contract.check(exercised, .post, path)
            let body = try exercised.json()
            #expect((body["explanation"] as? String)?.contains("exercised early") == true)
            let orders = try #require(body["orders"] as? [[String: Any]])
            #expect(orders.map { $0["symbol"] as? String } == [Self.call, "AAPL"])
            #expect(orders.allSatisfy { $0["status"] as? String == "filled" })
            let positions = try #require(
                try await app.request(.get, "/api/trading/positions", token: token).json()["positions"] as? [[String: Any]])
            #expect(positions.map { $0["symbol"] as? String } == ["AAPL"])
            #expect(try await LedgerVerifier(database: app.database).verify().violations.isEmpty)
        }
    }
}
