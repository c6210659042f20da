import MBTDomain
import Testing

@Suite("Buying power")
struct BuyingPowerTests {
    typealias F = OrderFixtures

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        var instrument: OrderInstrument = .equity(F.stock)
        let side: OrderSide
        let quantity: Decimal6
        let price: Decimal6
        var cash: Decimal6 = 10_000
        var equity: Decimal6 = 10_000
        var positions: [HeldPosition] = []
        /// `nil`: allowed.
        var rejection: OrderRejection.Code? = nil
        /// Text the rejection message must contain.
        var message: String? = nil

        var testDescription: String { label }
    }

    static let call = OrderInstrument.option(F.call)
    static let put = OrderInstrument.option(F.put)
    static let otherCall = "AAPL261218C00160000"
    static let otherPut = "AAPL270115P00100000"

    static func long(_ symbol: String, _ quantity: Decimal6, at mark: Decimal6 = 100) -> HeldPosition {
        HeldPosition(symbol: symbol, side: .long, quantity: quantity, mark: mark)
    }

    static func short(_ symbol: String, _ quantity: Decimal6, at mark: Decimal6 = 100) -> HeldPosition {
        HeldPosition(symbol: symbol, side: .short, quantity: quantity, mark: mark)
    }

    static let rows: [Row] = [
        // Long stock: cost ≤ cash.
        Row(label: "long stock, exactly the cash", side: .buy, quantity: 100, price: 100),
        Row(
            label: "long stock, more than the cash", side: .buy, quantity: 100, price: "100.125", rejection: .insufficientBuyingPower,
            message: "needs 10012.50, buying power 10000.00"),
        Row(
            label: "long stock, fractional shares round the need up", side: .buy, quantity: "0.333334", price: "30000.01",
            rejection: .insufficientBuyingPower, message: "needs 10000.03, buying power 10000.00"),
        // Short stock: equity ≥ 150% of total short exposure.
        Row(label: "short stock, equity exactly 150%", side: .sell, quantity: 100, price: 100, equity: 15_000),
        Row(
            label: "short stock, equity below 150%", side: .sell, quantity: 100, price: "100.08", equity: 15_000,
            rejection: .insufficientEquityForShort, message: "needs 15012.00, equity 15000.00"),
        Row(
            label: "short stock, existing shorts count", side: .sell, quantity: 100, price: 100, equity: 20_000,
            positions: [short("MSFT", 10, at: 400)], rejection: .insufficientEquityForShort, message: "needs 21000.00"),
        Row(
            label: "short stock, adding to a short", side: .sell, quantity: 50, price: 100, equity: 20_000,
            positions: [short(F.stock, 100)], rejection: .insufficientEquityForShort, message: "needs 22500.00"),
        Row(
            label: "short stock, long options are not short exposure", side: .sell, quantity: 10, price: 100, equity: 1_500,
            positions: [long(F.call.description, 5)]),
        // Selling what you hold.
        Row(
            label: "sell held shares, no cash or equity needed", side: .sell, quantity: 50, price: 100, cash: 0, equity: 0,
            positions: [long(F.stock, 50)]),
        Row(label: "sell part of held shares", side: .sell, quantity: 10, price: 100, cash: 0, equity: 0, positions: [long(F.stock, 50)]),
        Row(
            label: "sell more than held: the excess is a short", side: .sell, quantity: 150, price: 100, equity: 14_999,
            positions: [long(F.stock, 50)], rejection: .insufficientEquityForShort, message: "needs 15000.00, equity 14999.00"),
        Row(
            label: "sell more than held with enough equity", side: .sell, quantity: 150, price: 100, equity: 15_000,
            positions: [long(F.stock, 50)]),
        // Buying back a short.
        Row(label: "cover a short with no cash", side: .buy, quantity: 100, price: 120, cash: 0, positions: [short(F.stock, 100)]),
        Row(
            label: "cover and flip long: the whole cost needs cash", side: .buy, quantity: 150, price: 120, cash: 15_000,
            positions: [short(F.stock, 100)], rejection: .insufficientBuyingPower, message: "needs 18000.00, buying power 15000.00"),
        // Long options: premium × 100 × contracts ≤ cash.
        Row(label: "long calls within cash", instrument: call, side: .buy, quantity: 40, price: "2.50"),
        Row(
            label: "long calls beyond cash", instrument: call, side: .buy, quantity: 41, price: "2.50",
            rejection: .insufficientBuyingPower, message: "needs 10250.00, buying power 10000.00"),
        Row(
            label: "long puts beyond cash", instrument: put, side: .buy, quantity: 1, price: "100.01",
            rejection: .insufficientBuyingPower, message: "needs 10001.00"),
        Row(
            label: "sell held calls", instrument: call, side: .sell, quantity: 2, price: "2.50", cash: 0,
            positions: [long(F.call.description, 2)]),
        Row(
            label: "buy back short calls with no cash", instrument: call, side: .buy, quantity: 1, price: 5, cash: 0,
            positions: [short(F.call.description, 1)]),
        // Short calls: covered by 100 free shares per contract.
        Row(label: "covered call", instrument: call, side: .sell, quantity: 2, price: 3, cash: 0, positions: [long(F.stock, 200)]),
        Row(
            label: "covered call, not enough shares", instrument: call, side: .sell, quantity: 3, price: 3, positions: [long(F.stock, 250)],
            rejection: .uncoveredOption, message: "needs 300 shares, available 250.000000"),
        Row(
            label: "naked call", instrument: call, side: .sell, quantity: 1, price: 3, cash: 1_000_000, equity: 1_000_000,
            rejection: .uncoveredOption, message: "uncovered short calls are not allowed"),
        Row(
            label: "shares already cover another call", instrument: call, side: .sell, quantity: 2, price: 3,
            positions: [long(F.stock, 200), short(otherCall, 1)], rejection: .uncoveredOption, message: "covering other calls 100.000000"),
        Row(
            label: "shares of another stock do not cover", instrument: call, side: .sell, quantity: 1, price: 3,
            positions: [long("MSFT", 100)],
            rejection: .uncoveredOption),
        Row(
            label: "sell more calls than held: the excess needs cover", instrument: call, side: .sell, quantity: 3, price: 3,
            positions: [long(F.call.description, 1), long(F.stock, 200)]),
        // Short puts: cash-secured.
        Row(label: "cash-secured put, exactly the strike", instrument: put, side: .sell, quantity: 1, price: 4, cash: 15_000),
        Row(
            label: "put not cash-secured", instrument: put, side: .sell, quantity: 1, price: 4, cash: "14999.99",
            rejection: .uncoveredOption, message: "needs 15000.00, free cash 14999.99"),
        Row(
            label: "cash securing another put is spoken for", instrument: put, side: .sell, quantity: 1, price: 4, cash: 20_000,
            positions: [short(otherPut, 1)], rejection: .uncoveredOption, message: "needs 15000.00, free cash 10000.00"),
        Row(
            label: "put collateral is not buying power for stock", side: .buy, quantity: 100, price: 60, cash: 20_000,
            positions: [short(F.put.description, 1)], rejection: .insufficientBuyingPower, message: "buying power 5000.00"),
        // Values beyond any account.
        Row(
            label: "order value overflows", side: .buy, quantity: 10_000_000, price: 1_000_000, rejection: .insufficientBuyingPower,
            message: "beyond any account's buying power"),
    ]

    @Test(arguments: rows)
    func check(row: Row) {
        let decision = BuyingPower.check(
            instrument: row.instrument, side: row.side, quantity: row.quantity, estimatedPrice: row.price, cash: row.cash,
            equity: row.equity, positions: row.positions)
        guard let code = row.rejection else {
            #expect(decision == .allowed)
            return
        }
        guard case .rejected(let rejection) = decision else {
            Issue.record("expected \(code.rawValue)")
            return
        }
        #expect(rejection.code == code)
        if let message = row.message {
            #expect(rejection.message.contains(message), "\(rejection.message)")
        }
    }

    @Test func validatedOrdersAreCheckedTheSameWay() throws {
        let order = try OrderValidator.validate(OrderRequest(symbol: "aapl", side: .buy, quantity: 101, type: .limit, limitPrice: 100))
            .get()
        let decision = BuyingPower.check(order, estimatedPrice: 100, cash: 10_000, equity: 10_000, positions: [])
        guard case .rejected(let rejection) = decision else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.message.hasPrefix("needs 10100.00, buying power 10000.00"))
    }
}
