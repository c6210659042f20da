import Foundation
import MBTDomain
import Testing

@testable import MBTServer
@testable import MBTStorage

@Suite("Alpaca activities: the jobs' fills as non-trade activities")
struct AlpacaActivityMappingTests {
    static func fill(_ symbol: String, _ assetClass: AssetClass, _ side: OrderSide, qty: Decimal6, price: Decimal6, rule: FillRule?)
        -> ActivityStore.Activity
    {
        .fill(
            ActivityStore.FillActivity(
                id: 7, orderId: 42, symbol: symbol, assetClass: assetClass, side: side, quantity: qty, price: price, rule: rule,
                priceSource: nil, nbboBid: nil, nbboAsk: nil, slippageBasis: .zero, occurredAt: TestApp.now, explanation: ""))
    }

    static func fields(_ value: AlpacaValue) -> [String: AlpacaValue] {
        guard case .object(let fields) = value else { return [:] }
        return fields
    }

    @Test func exerciseAssignmentExpiryAndTheirSharesHaveAlpacasTypes() {
        let call = "AAPL260320C00150000"
        let cases: [(ActivityStore.Activity, String, String, String)] = [
            (Self.fill(call, .option, .sell, qty: 2, price: "22.65", rule: .exercise), "OPEXC", "-2", "4530"),
            (Self.fill("AAPL", .usEquity, .buy, qty: 200, price: 150, rule: .exercise), "OPTRD", "200", "-30000"),
            (Self.fill(call, .option, .buy, qty: 1, price: "22.65", rule: .assignment), "OPASN", "1", "-2265"),
            (Self.fill(call, .option, .sell, qty: 3, price: 0, rule: .expiry), "OPEXP", "-3", "0"),
            (Self.fill("SPX260320C05000000", .option, .sell, qty: 1, price: 12, rule: .cashSettlement), "OPCSH", "-1", "1200"),
        ]
        for (activity, type, qty, amount) in cases {
            let body = Self.fields(AlpacaActivityRoutes.body(activity))
            #expect(body["activity_type"] == .string(type))
            #expect(body["qty"] == .string(qty), "\(type)")
            #expect(body["net_amount"] == .string(amount), "\(type)")
            #expect(body["date"] == .string("2026-03-20") && body["status"] == .string("executed"))
        }
        let trade = Self.fields(
            AlpacaActivityRoutes.body(Self.fill("AAPL", .usEquity, .buy, qty: 10, price: "172.7", rule: .marketAtQuote)))
        #expect(trade["activity_type"] == .string("FILL") && trade["price"] == .string("172.7"))
    }
}
