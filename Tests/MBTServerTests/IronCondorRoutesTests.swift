import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import Testing

/// The iron-condor builder over HTTP on the simulated market's chain: the preview's figures agree
/// with its legs, and submit sends exactly that condor, which fills all four legs.
@Suite("Iron-condor builder")
struct IronCondorRoutesTests {
    static let market = SimulatedMarket(seed: 7, clock: FixedClock(TestApp.now))

    static func body(_ extra: String = "") -> String {
        #"{"underlying":"AAPL","expiry":"2026-04-17","short_call_delta":"0.30","short_put_delta":"0.20","wing_width":"10","qty":"2"\#(extra)}"#
    }

    static func decimal(_ value: Any?) -> Decimal6? { (value as? String).flatMap { Decimal6($0) } }

    @Test func previewAndSubmitAgree() async throws {
        try await TestApp.run(provider: Self.market) { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let preview = try await app.request(.post, "/api/strategies/iron-condor/preview", token: token, body: Self.body())
            #expect(preview.status == .ok)
            contract.check(preview, .post, "/api/strategies/iron-condor/preview")
            let json = try preview.json()
            let legs = try #require(json["legs"] as? [[String: Any]])
            #expect(legs.map { $0["position_intent"] as? String } == ["buy_to_open", "sell_to_open", "sell_to_open", "buy_to_open"])
            let contracts = legs.compactMap { $0["contract"] as? [String: Any] }
            let strikes = contracts.compactMap { Self.decimal($0["strike"]) }
            #expect(strikes.count == 4 && strikes == strikes.sorted() && Set(strikes).count == 4)
            #expect(contracts.allSatisfy { $0["delta"] != nil && $0["mid"] != nil })
            let credit = try #require(Self.decimal(json["net_credit"]))
            #expect(credit.isPositive)
            // Max loss: the wider side's width less the credit, × 100 × 2; break-evens at the shorts ± the credit.
            let width = max(strikes[1] - strikes[0], strikes[3] - strikes[2])
            #expect(Self.decimal(json["max_loss"]) == (try (width - credit).multiplied(by: Int64(200))))
            #expect(Self.decimal(json["buying_power_required"]) == Self.decimal(json["max_loss"]))
            #expect(Self.decimal(json["break_even_low"]) == strikes[1] - credit)
            #expect(Self.decimal(json["break_even_high"]) == strikes[2] + credit)

            let submitted = try await app.request(.post, "/api/strategies/iron-condor/submit", token: token, body: Self.body())
            #expect(submitted.status == .created)
            contract.check(submitted, .post, "/api/strategies/iron-condor/submit")
            let order = try submitted.json()
            #expect(order["status"] as? String == "filled" && order["side"] as? String == "sell")
            let filled = try #require(order["legs"] as? [[String: Any]])
            #expect(filled.map { $0["symbol"] as? String } == legs.map { $0["symbol"] as? String })
            #expect(filled.allSatisfy { $0["status"] as? String == "filled" })
        }
    }

    @Test(arguments: [
        (body().replacingOccurrences(of: #""0.30""#, with: #""0.7""#), "short_call_delta must be between 0 and 0.5"),
        (body().replacingOccurrences(of: "2026-04-17", with: "2026-04-18"), "expiry"),
        (body().replacingOccurrences(of: #""wing_width":"10""#, with: #""wing_width":"0""#), "wing_width must be greater than 0"),
        (body(#","short_call_strike":"200""#), "give short_call_delta and short_put_delta, or short_call_strike and short_put_strike"),
        (body().replacingOccurrences(of: #""AAPL""#, with: #""1X""#), "underlying must be a stock symbol"),
    ])
    func badRequestsNameTheField(body: String, message: String) async throws {
        try await TestApp.run(provider: Self.market) { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/strategies/iron-condor/preview", token: token, body: body)
            #expect(response.status == .unprocessableContent)
            let text = try response.errorMessage()
            #expect(text.contains(message), "\(text)")
        }
    }
}
