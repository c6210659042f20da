import MBTDomain
import Testing

@Suite("Combo validator")
struct ComboValidatorTests {
    typealias F = ComboFixtures

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let ticket: ComboTicket
        /// The field of the first problem; `nil`: valid.
        var field: String? = nil
        /// Text the first problem's message must contain.
        var message: String? = nil

        var testDescription: String { label }
    }

    static let vertical = [F.buy(F.call(150)), F.sell(F.call(155))]

    static let rows: [Row] = [
        Row(label: "debit vertical, market", ticket: F.ticket(vertical)),
        Row(
            label: "credit condor at a negative limit",
            ticket: F.ticket([F.buy(F.put(135)), F.sell(F.put(140)), F.sell(F.call(160)), F.buy(F.call(165))], limit: "-1.25")),
        Row(label: "even-money limit of zero", ticket: F.ticket(vertical, limit: 0)),
        Row(label: "gtc limit", ticket: F.ticket(vertical, tif: .gtc, limit: "1.10")),
        Row(label: "lowercase symbols are resolved", ticket: F.ticket([F.buy(F.call(150).lowercased()), F.sell(F.call(155))])),
        Row(
            label: "ratio spread 1:2 is well formed (coverage is judged later)",
            ticket: F.ticket([F.buy(F.call(150)), F.sell(F.call(155), 2)])),
        Row(label: "buy-write: 100 shares and one call", ticket: F.ticket([F.buy("AAPL", 100), F.sell(F.call(155))], limit: "97.50")),
        Row(label: "covered-call unwind", ticket: F.ticket([F.sell("AAPL", 100, close: true), F.buy(F.call(155), close: true)])),
        // Leg count.
        Row(label: "one leg", ticket: F.ticket([F.buy(F.call(150))]), field: "legs", message: "2 to 4 legs (got 1)"),
        Row(
            label: "five legs",
            ticket: F.ticket([F.buy(F.call(150)), F.sell(F.call(155)), F.buy(F.call(160)), F.sell(F.call(165)), F.buy(F.call(170))]),
            field: "legs", message: "(got 5)"),
        // One leg at a time.
        Row(
            label: "unknown symbol", ticket: F.ticket([F.buy(F.call(150)), F.sell("AAPL261318C00155000")]), field: "legs[2].symbol",
            message: "not a valid date"),
        Row(
            label: "zero ratio", ticket: F.ticket([F.buy(F.call(150)), F.sell(F.call(155), 0)]), field: "legs[2].ratio_qty",
            message: "(got 0)"),
        Row(
            label: "side contradicts intent",
            ticket: F.ticket([ComboLeg(symbol: F.call(150), side: .sell, positionIntent: .buyToOpen), F.sell(F.call(155))]),
            field: "legs[1].side", message: "buy_to_open needs side buy (got sell)"),
        // How the legs fit together.
        Row(
            label: "duplicate symbol", ticket: F.ticket([F.buy(F.call(150)), F.sell(F.call(150))]), field: "legs[2].symbol",
            message: "is also legs[1]"),
        Row(
            label: "mixed underlyings", ticket: F.ticket([F.buy(F.call(150)), F.sell(F.call(155, root: "MSFT"))]), field: "legs[2].symbol",
            message: "is on MSFT, legs[1] on AAPL"),
        Row(
            label: "stock of another company", ticket: F.ticket([F.buy("MSFT", 100), F.sell(F.call(155))]), field: "legs[1].symbol",
            message: "one underlying"),
        Row(
            label: "stock legs only", ticket: F.ticket([F.buy("AAPL", 100), F.sell("MSFT", 100)]), field: "legs",
            message: "needs option legs"),
        Row(
            label: "stock with a put", ticket: F.ticket([F.buy("AAPL", 100), F.buy(F.put(140))]), field: "legs",
            message: "only in a covered call"),
        Row(
            label: "stock with two calls", ticket: F.ticket([F.buy("AAPL", 100), F.sell(F.call(155)), F.buy(F.call(160))]), field: "legs",
            message: "the stock leg and one call leg"),
        Row(
            label: "short sale with a long call", ticket: F.ticket([F.sell("AAPL", 100), F.buy(F.call(155))]),
            field: "legs[1].position_intent",
            message: "got sell_to_open with buy_to_open"),
        Row(
            label: "stock ratio counts shares", ticket: F.ticket([F.buy("AAPL", 1), F.sell(F.call(155))]), field: "legs[1].ratio_qty",
            message: "so 100 for legs[2]'s ratio_qty 1 (got 1)"),
        Row(
            label: "covered call ratios in lowest terms", ticket: F.ticket([F.buy("AAPL", 200), F.sell(F.call(155), 2)]),
            field: "legs.ratio_qty",
            message: "share the factor 2"),
        Row(
            label: "ratios with a common factor", ticket: F.ticket([F.buy(F.put(135), 2), F.sell(F.put(140), 4)]), field: "legs.ratio_qty",
            message: "2:4 share the factor 2; divide each by 2 and multiply qty by 2"),
        // Quantity.
        Row(label: "qty zero", ticket: F.ticket(vertical, qty: 0), field: "qty", message: "at least 1"),
        Row(label: "qty fractional", ticket: F.ticket(vertical, qty: "1.5"), field: "qty", message: "whole number"),
        Row(
            label: "qty × ratio beyond the contract limit", ticket: F.ticket([F.buy(F.call(150)), F.sell(F.call(155), 3)], qty: 3_334),
            field: "qty", message: "10000"),
        // Price.
        Row(label: "limit without a price", ticket: F.ticket(vertical, type: .limit), field: "limit_price", message: "need a limit_price"),
        Row(
            label: "market with a price", ticket: F.ticket(vertical, type: .market, limit: "1.00"), field: "limit_price",
            message: "take no limit_price"),
        Row(
            label: "limit in tenths of a cent", ticket: F.ticket(vertical, limit: "1.005"), field: "limit_price",
            message: "more than 2 decimals"),
        Row(
            label: "credit in tenths of a cent", ticket: F.ticket(vertical, limit: "-0.001"), field: "limit_price",
            message: "more than 2 decimals"),
        Row(label: "absurd limit", ticket: F.ticket(vertical, limit: "-1000000.01"), field: "limit_price", message: "beyond"),
        // Time in force.
        Row(label: "ioc", ticket: F.ticket(vertical, tif: .ioc, limit: 1), field: "time_in_force", message: "day or gtc"),
        Row(label: "market gtc", ticket: F.ticket(vertical, tif: .gtc), field: "time_in_force", message: "market combos"),
    ]

    @Test(arguments: rows)
    func firstProblem(_ row: Row) {
        switch ComboValidator.validate(row.ticket) {
        case .success:
            #expect(row.field == nil, "accepted, expected \(row.field ?? "")")
        case .failure(let error):
            #expect(error.field == row.field, "\(error)")
            if let message = row.message { #expect(error.message.contains(message), "\(error.message)") }
        }
    }

    @Test func problemsListsEveryFieldInTheOrderAUserFixesThem() {
        let ticket = F.ticket(
            [F.buy(F.call(150), 2), F.sell(F.call(150), 2), ComboLeg(symbol: "??", side: .buy, positionIntent: .buyToOpen)], qty: "0.5",
            type: .limit)
        let fields = ComboValidator.problems(in: ticket).map(\.field)
        #expect(fields == ["legs[3].symbol", "legs[2].symbol", "legs.ratio_qty", "qty", "limit_price"])
    }

    @Test func aValidTicketKeepsItsLegsInOrder() throws {
        let combo = try ComboValidator.validate(F.ticket([F.buy("aapl", 100), F.sell(F.call(155))], qty: 3, tif: .gtc, limit: "97.50"))
            .get()
        #expect(combo.underlying == "AAPL")
        #expect(combo.qty == 3)
        #expect(combo.limitPrice == "97.50")
        #expect(combo.timeInForce == .gtc)
        #expect(combo.legs.map(\.symbol) == ["AAPL", F.call(155)])
        #expect(combo.legs.map(\.signedRatio) == [100, -1])
        #expect(combo.legs.map(\.index) == [1, 2])
        #expect(combo.stockLeg?.symbol == "AAPL")
    }

    @Test func intentsImplyTheirSide() {
        #expect(PositionIntent.allCases.map(\.side) == [.buy, .buy, .sell, .sell])
        #expect(PositionIntent.allCases.map(\.opens) == [true, false, true, false])
        #expect(PositionIntent(rawValue: "sell_to_close") == .sellToClose)
    }
}
