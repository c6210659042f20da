import MBTDomain
import Testing

@Suite("Structure buying power")
struct StructureBuyingPowerTests {
    typealias F = ComboFixtures

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let legs: [ComboLeg]
        var qty: Decimal6 = 1
        /// Net per unit, debit > 0.
        let net: Decimal6
        var account: BuyingPowerAccount? = nil
        /// Expected when allowed.
        var requirement: Decimal6? = nil
        var maxProfit: Decimal6? = nil
        var breakEvens: [Decimal6] = []
        var committedShares: Decimal6 = 0
        /// Text the rejection must contain; set only for refusals.
        var rejection: String? = nil

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        // Verticals: a debit spread reserves its debit, a credit spread width − credit.
        Row(
            label: "bull call debit spread", legs: [F.buy(F.call(150)), F.sell(F.call(155))], qty: 2, net: "1.80", requirement: 360,
            maxProfit: 640,
            breakEvens: ["151.80"]),
        Row(
            label: "bear call credit spread", legs: [F.sell(F.call(150)), F.buy(F.call(155))], qty: 3, net: "-1.20", requirement: 1_140,
            maxProfit: 360,
            breakEvens: ["151.20"]),
        Row(
            label: "bull put credit spread", legs: [F.sell(F.put(145)), F.buy(F.put(140))], net: "-1.00", requirement: 400, maxProfit: 100,
            breakEvens: [144]),
        Row(
            label: "bear put debit spread, 10 wide", legs: [F.buy(F.put(150)), F.sell(F.put(140))], net: "4.00", requirement: 400,
            maxProfit: 600,
            breakEvens: [146]),
        Row(
            label: "credit spread sold at a credit above its width risks nothing", legs: [F.sell(F.put(145)), F.buy(F.put(140))],
            net: "-5.10",
            requirement: 0, maxProfit: 510),
        // Iron condor: the wider side's width − credit; break-evens at the shorts ∓ the credit.
        Row(
            label: "iron condor, wings 5 and 10", legs: [F.buy(F.put(135)), F.sell(F.put(140)), F.sell(F.call(160)), F.buy(F.call(170))],
            qty: 2,
            net: "-2.00", requirement: 1_600, maxProfit: 400, breakEvens: [138, 162]),
        // Butterfly: the debit.
        Row(
            label: "long call butterfly", legs: [F.buy(F.call(140)), F.sell(F.call(150), 2), F.buy(F.call(160))], net: "2.50",
            requirement: 250,
            maxProfit: 750, breakEvens: ["142.50", "157.50"]),
        Row(
            label: "broken-wing put butterfly for a credit", legs: [F.buy(F.put(160)), F.sell(F.put(150), 2), F.buy(F.put(135))],
            net: "-0.50",
            requirement: 450, maxProfit: 1_050, breakEvens: ["139.50"]),
        // Calendar: the debit; profit and break-evens depend on the far leg's time value.
        Row(
            label: "call calendar", legs: [F.sell(F.call(150, expiry: F.nearExpiry)), F.buy(F.call(150))], qty: 4, net: "1.75",
            requirement: 700),
        Row(
            label: "diagonal, long strike lower: the debit", legs: [F.sell(F.call(155, expiry: F.nearExpiry)), F.buy(F.call(150))],
            net: "3.00",
            requirement: 300),
        Row(
            label: "diagonal, long strike higher: debit + width", legs: [F.sell(F.call(150, expiry: F.nearExpiry)), F.buy(F.call(155))],
            net: "1.00",
            requirement: 600),
        // Straddle / strangle: the debit, unbounded profit.
        Row(label: "long straddle", legs: [F.buy(F.call(150)), F.buy(F.put(150))], net: "8.00", requirement: 800, breakEvens: [142, 158]),
        Row(label: "long strangle", legs: [F.buy(F.call(160)), F.buy(F.put(140))], net: "3.00", requirement: 300, breakEvens: [137, 163]),
        // Covered calls.
        Row(
            label: "buy-write reserves its debit", legs: [F.buy("AAPL", 100), F.sell(F.call(155))], qty: 2, net: "97.50",
            requirement: 19_500,
            maxProfit: 11_500, breakEvens: ["97.50"]),
        Row(
            label: "short call against shares held, with a protective put", legs: [F.sell(F.call(155)), F.buy(F.put(140))], qty: 2,
            net: "-0.50",
            account: F.account(positions: [F.held("AAPL", 200)]), requirement: 0, maxProfit: 28_100, committedShares: 200),
        Row(
            label: "call ratio spread whose extra call shares cover", legs: [F.buy(F.call(150)), F.sell(F.call(155), 2)], net: "-0.20",
            account: F.account(positions: [F.held("AAPL", 100)]), requirement: 0, maxProfit: 520, committedShares: 100),
        Row(
            label: "shares cover the lowest short call, the one assigned first",
            legs: [F.buy(F.call(150)), F.sell(F.call(155)), F.sell(F.call(160))], net: "-0.50",
            account: F.account(positions: [F.held("AAPL", 100)]),
            requirement: 0, maxProfit: 1_050, committedShares: 100),
        Row(
            label: "rolling a covered call releases the shares of the call bought back",
            legs: [F.buy(F.call(150, expiry: F.nearExpiry), close: true), F.sell(F.call(155))], net: "-0.40",
            account: F.account(positions: [F.held("AAPL", 100), F.held(F.call(150, expiry: F.nearExpiry), 1, .short)]), requirement: 0,
            maxProfit: 40, committedShares: 100),
        Row(
            label: "shares already covering another call", legs: [F.sell(F.call(155)), F.buy(F.put(140))], net: "-0.50",
            account: F.account(positions: [F.held("AAPL", 100), F.held(F.call(170), 1, .short)]),
            rejection: "needs 100 shares, available 0 (held 100, covering other calls 100)"),
        Row(
            label: "shares promised to an open call sale", legs: [F.sell(F.call(155)), F.buy(F.put(140))], net: "-0.50",
            account: F.account(
                positions: [F.held("AAPL", 150)], openOrders: [OpenOrderExposure(symbol: F.call(170), side: .sell, quantity: 1, price: 1)]),
            rejection: "needs 100 shares, available 50"),
        Row(
            label: "too few shares for the quantity", legs: [F.sell(F.call(155)), F.buy(F.put(140))], qty: 2, net: "-0.50",
            account: F.account(positions: [F.held("AAPL", 100)]), rejection: "needs 200 shares"),
        // Uncovered risk is refused with the leg named.
        Row(
            label: "naked short call", legs: [F.buy(F.put(140)), F.sell(F.call(155))], net: "-1.00",
            rejection: "legs[2] (sell_to_open \(F.call(155)))"),
        Row(
            label: "naked short put", legs: [F.buy(F.call(155)), F.sell(F.put(140))], net: "-1.00",
            rejection: "legs[2] (sell_to_open \(F.put(140))) is an uncovered short put"),
        Row(label: "call ratio spread", legs: [F.buy(F.call(150)), F.sell(F.call(155), 2)], net: "-0.20", rejection: "legs[2]"),
        Row(
            label: "put ratio spread", legs: [F.buy(F.put(150)), F.sell(F.put(140), 2)], net: "1.00", rejection: "2 sold against 1 bought"),
        Row(
            label: "reverse calendar", legs: [F.buy(F.put(150, expiry: F.nearExpiry)), F.sell(F.put(150))], net: "-1.00",
            rejection: "expires after"),
        Row(
            label: "closing legs cover nothing", legs: [F.buy(F.put(145), close: true), F.sell(F.put(140))], net: "1.00",
            rejection: "uncovered short put"),
        // Closing.
        Row(
            label: "closing for a credit reserves nothing", legs: [F.sell(F.call(150), close: true), F.buy(F.call(155), close: true)],
            net: "-1.00", requirement: 0, maxProfit: 100),
        Row(
            label: "closing for a debit reserves the debit", legs: [F.buy(F.put(145), close: true), F.sell(F.put(140), close: true)],
            qty: 3, net: "0.25", requirement: 75, maxProfit: -75),
    ]

    @Test(arguments: rows)
    func requirement(_ row: Row) {
        let decision = StructureBuyingPower.evaluate(F.combo(row.legs, qty: row.qty), netPrice: row.net, account: row.account)
        switch decision {
        case .allowed(let risk):
            #expect(row.rejection == nil, "allowed: \(risk)")
            #expect(risk.requirement == row.requirement)
            #expect(risk.maxProfit == row.maxProfit)
            #expect(risk.breakEvens == row.breakEvens)
            #expect(risk.committedShares == row.committedShares)
        case .rejected(let rejection):
            #expect(rejection.code == .uncoveredOption)
            #expect(row.rejection.map(rejection.message.contains) == true, "\(rejection.message)")
        }
    }

    @Test func theRiskCarriesTheShape() throws {
        let decision = StructureBuyingPower.evaluate(
            F.combo([F.buy(F.put(135)), F.sell(F.put(140)), F.sell(F.call(160)), F.buy(F.call(165))]), netPrice: "-1.45")
        guard case .allowed(let risk) = decision else {
            Issue.record("condor refused: \(decision)")
            return
        }
        #expect(risk.shape == .ironCondor)
        #expect(risk.requirement == 355)
    }
}
