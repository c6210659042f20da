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
        var positions: [HeldPosition] = []
        var openOrders: [OpenOrderExposure] = []
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

    static func buy(_ symbol: String, _ quantity: Decimal6, at price: Decimal6) -> OpenOrderExposure {
        OpenOrderExposure(symbol: symbol, side: .buy, quantity: quantity, price: price)
    }

    static func sell(_ symbol: String, _ quantity: Decimal6, at price: Decimal6) -> OpenOrderExposure {
        OpenOrderExposure(symbol: symbol, side: .sell, quantity: quantity, price: price)
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
        // Short stock: a short sale holds back 50% of its value (Regulation T's 150% less the proceeds).
        Row(label: "short stock, exactly the free cash", side: .sell, quantity: 100, price: 100, cash: 5_000),
        Row(
            label: "short stock, beyond the free cash", side: .sell, quantity: 100, price: "100.08", cash: 5_000,
            rejection: .insufficientBuyingPower, message: "needs 5004.00, buying power 5000.00"),
        Row(
            label: "short stock, existing shorts hold back 150%", side: .sell, quantity: 300, price: 100, cash: 20_000,
            positions: [short("MSFT", 10, at: 400)], rejection: .insufficientBuyingPower,
            message: "needs 15000.00, buying power 14000.00 (cash 20000.00; short stock holds back 6000.00 (marked at quote mid))"),
        Row(
            label: "short stock, adding to a short within free cash", side: .sell, quantity: 50, price: 100, cash: 20_000,
            positions: [short(F.stock, 100)]),
        Row(
            label: "short stock, adding to a short beyond free cash", side: .sell, quantity: 150, price: 100, cash: 20_000,
            positions: [short(F.stock, 100)], rejection: .insufficientBuyingPower, message: "needs 7500.00, buying power 5000.00"),
        Row(
            label: "short stock, long options hold nothing back", side: .sell, quantity: 10, price: 100, cash: 500,
            positions: [long(F.call.description, 5)]),
        Row(
            label: "short stock, marks say where they came from", side: .sell, quantity: 1, price: 100, cash: 1_000,
            positions: [HeldPosition(symbol: "MSFT", side: .short, quantity: 10, mark: 100, markSource: .lastBarClose)],
            rejection: .insufficientBuyingPower, message: "marked at last bar close"),
        // Selling what you hold.
        Row(
            label: "sell held shares, no cash needed", side: .sell, quantity: 50, price: 100, cash: 0,
            positions: [long(F.stock, 50)]),
        Row(label: "sell part of held shares", side: .sell, quantity: 10, price: 100, cash: 0, positions: [long(F.stock, 50)]),
        Row(
            label: "sell more than held: the excess is a short", side: .sell, quantity: 150, price: 100, cash: "4999.99",
            positions: [long(F.stock, 50)], rejection: .insufficientBuyingPower, message: "needs 5000.00, buying power 4999.99"),
        Row(
            label: "sell more than held with enough free cash", side: .sell, quantity: 150, price: 100, cash: 5_000,
            positions: [long(F.stock, 50)]),
        // Buying back a short.
        Row(label: "cover a short with no cash", side: .buy, quantity: 100, price: 120, cash: 0, positions: [short(F.stock, 100)]),
        Row(
            label: "cover and flip long: the whole cost needs free cash", side: .buy, quantity: 150, price: 120, cash: 15_000,
            positions: [short(F.stock, 100)], rejection: .insufficientBuyingPower, message: "needs 18000.00, buying power 0.00"),
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
            label: "naked call", instrument: call, side: .sell, quantity: 1, price: 3, cash: 1_000_000,
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
        // Open orders reserve buying power.
        Row(label: "a resting buy reserves its value", side: .buy, quantity: 90, price: 100, openOrders: [buy(F.stock, 10, at: 100)]),
        Row(
            label: "a resting buy leaves less for the next", side: .buy, quantity: 91, price: 100, openOrders: [buy(F.stock, 10, at: 100)],
            rejection: .insufficientBuyingPower, message: "needs 9100.00, buying power 9000.00 (cash 10000.00; open orders reserve 1000.00)"),
        Row(
            label: "resting option buys reserve × 100", side: .buy, quantity: 1, price: 5_001, openOrders: [buy(F.call.description, 1, at: 50)],
            rejection: .insufficientBuyingPower, message: "buying power 5000.00"),
        Row(
            label: "a resting sell of held shares reserves nothing", side: .buy, quantity: 100, price: 100, positions: [long("MSFT", 100)],
            openOrders: [sell("MSFT", 100, at: 400)]),
        Row(
            label: "a resting sell beyond the shares held reserves half the short", side: .buy, quantity: 100, price: 100,
            positions: [long("MSFT", 100)], openOrders: [sell("MSFT", 110, at: 400)], rejection: .insufficientBuyingPower,
            message: "open orders reserve 2000.00"),
        Row(
            label: "shares a resting sell closes cannot be sold again without a short", side: .sell, quantity: 100, price: 100, cash: 4_999,
            positions: [long(F.stock, 100)], openOrders: [sell(F.stock, 100, at: 101)], rejection: .insufficientBuyingPower,
            message: "needs 5050.00"),
        Row(
            label: "a resting put sale reserves its collateral", instrument: put, side: .buy, quantity: 1, price: 1, cash: 15_050,
            openOrders: [sell(F.put.description, 1, at: 2)], rejection: .insufficientBuyingPower, message: "open orders reserve 15000.00"),
        Row(
            label: "a resting covered call commits its shares", instrument: call, side: .sell, quantity: 1, price: 3,
            positions: [long(F.stock, 100)], openOrders: [sell(otherCall, 1, at: 2)], rejection: .uncoveredOption,
            message: "covering other calls 100.000000"),
        Row(label: "a resting buy to cover is no reason to refuse another cover", side: .buy, quantity: 50, price: 100, cash: 0,
            positions: [short(F.stock, 100)], openOrders: [buy(F.stock, 50, at: 100)]),
        // Free cash below zero: opening orders wait until it recovers; closing ones never do.
        Row(
            label: "covered call while free cash is negative", instrument: call, side: .sell, quantity: 1, price: 3, cash: 1_000,
            positions: [long(F.stock, 100), short("MSFT", 10, at: 100)], rejection: .insufficientBuyingPower,
            message: "orders that open positions are refused until it is back above zero"),
        Row(
            label: "closing while free cash is negative", side: .sell, quantity: 100, price: 100, cash: 1_000,
            positions: [long(F.stock, 100), short("MSFT", 10, at: 100)]),
        // Values beyond any account.
        Row(
            label: "order value overflows", side: .buy, quantity: 10_000_000, price: 1_000_000, rejection: .insufficientBuyingPower,
            message: "beyond any account's buying power"),
    ]

    @Test(arguments: rows)
    func check(row: Row) {
        let decision = BuyingPower.check(
            instrument: row.instrument, side: row.side, quantity: row.quantity, estimatedPrice: row.price,
            account: BuyingPowerAccount(cash: row.cash, positions: row.positions, openOrders: row.openOrders))
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
        let decision = BuyingPower.check(order, estimatedPrice: 100, account: BuyingPowerAccount(cash: 10_000, positions: []))
        guard case .rejected(let rejection) = decision else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.message.hasPrefix("needs 10100.00, buying power 10000.00"))
    }
}
