import MBTDomain
import Testing

@Suite("Structure classifier")
struct StructureClassifierTests {
    typealias F = ComboFixtures

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let legs: [ComboLeg]
        var account: BuyingPowerAccount? = nil
        let shape: String
        /// For `uncovered`: the leg named.
        var leg: Int? = nil

        var testDescription: String { label }
    }

    static let shares = F.account(positions: [F.held("AAPL", 100)])

    static let rows: [Row] = [
        Row(label: "bull call vertical", legs: [F.buy(F.call(150)), F.sell(F.call(155))], shape: "vertical"),
        Row(label: "bear put vertical", legs: [F.sell(F.put(140)), F.buy(F.put(145))], shape: "vertical"),
        Row(
            label: "iron condor", legs: [F.buy(F.put(135)), F.sell(F.put(140)), F.sell(F.call(160)), F.buy(F.call(165))],
            shape: "iron_condor"),
        Row(
            label: "iron condor, legs in any order",
            legs: [F.sell(F.call(160)), F.buy(F.put(135)), F.buy(F.call(170)), F.sell(F.put(140))], shape: "iron_condor"),
        Row(
            label: "reverse iron condor is not one",
            legs: [F.sell(F.put(135)), F.buy(F.put(140)), F.buy(F.call(160)), F.sell(F.call(165))],
            shape: "other_defined_risk"),
        Row(
            label: "iron butterfly is not a condor",
            legs: [F.buy(F.put(140)), F.sell(F.put(150)), F.sell(F.call(150)), F.buy(F.call(160))],
            shape: "other_defined_risk"),
        Row(label: "long call butterfly", legs: [F.buy(F.call(140)), F.sell(F.call(150), 2), F.buy(F.call(160))], shape: "butterfly"),
        Row(label: "broken-wing put butterfly", legs: [F.buy(F.put(160)), F.sell(F.put(150), 2), F.buy(F.put(135))], shape: "butterfly"),
        Row(label: "short butterfly", legs: [F.sell(F.call(140)), F.buy(F.call(150), 2), F.sell(F.call(160))], shape: "butterfly"),
        Row(
            label: "1-3-2 is not a butterfly", legs: [F.buy(F.call(140)), F.sell(F.call(150), 3), F.buy(F.call(160), 2)],
            shape: "other_defined_risk"),
        Row(label: "call calendar", legs: [F.sell(F.call(150, expiry: F.nearExpiry)), F.buy(F.call(150))], shape: "calendar"),
        Row(label: "diagonal", legs: [F.sell(F.call(155, expiry: F.nearExpiry)), F.buy(F.call(150))], shape: "other_defined_risk"),
        Row(label: "long straddle", legs: [F.buy(F.call(150)), F.buy(F.put(150))], shape: "straddle"),
        Row(label: "long strangle", legs: [F.buy(F.call(160)), F.buy(F.put(140))], shape: "strangle"),
        Row(label: "buy-write", legs: [F.buy("AAPL", 100), F.sell(F.call(155))], shape: "covered_call"),
        Row(
            label: "short call against shares held, with a put", legs: [F.sell(F.call(155)), F.buy(F.put(140))], account: shares,
            shape: "covered_call"),
        Row(label: "closing a spread", legs: [F.sell(F.call(150), close: true), F.buy(F.call(155), close: true)], shape: "closing"),
        Row(label: "naked short call", legs: [F.sell(F.call(155)), F.buy(F.put(140))], shape: "uncovered", leg: 1),
        Row(label: "naked short put", legs: [F.buy(F.call(155)), F.sell(F.put(140))], shape: "uncovered", leg: 2),
        Row(label: "short straddle", legs: [F.sell(F.call(150)), F.sell(F.put(150))], shape: "uncovered", leg: 2),
        Row(label: "call ratio spread", legs: [F.buy(F.call(150)), F.sell(F.call(155), 2)], shape: "uncovered", leg: 2),
        Row(label: "reverse calendar", legs: [F.buy(F.call(150, expiry: F.nearExpiry)), F.sell(F.call(150))], shape: "uncovered", leg: 2),
        Row(
            label: "rolling a short put down leaves it naked", legs: [F.buy(F.put(145), close: true), F.sell(F.put(140))],
            shape: "uncovered", leg: 2),
    ]

    @Test(arguments: rows)
    func shape(_ row: Row) {
        let shape = StructureClassifier.classify(F.combo(row.legs), account: row.account)
        #expect(shape.name == row.shape, "\(shape)")
        if case .uncovered(let leg, let reason) = shape {
            #expect(leg == row.leg)
            #expect(reason.contains("legs[\(leg)]"))
        }
    }

    @Test func shapesCarryTheirOptionType() {
        #expect(StructureClassifier.classify(F.combo([F.sell(F.put(140)), F.buy(F.put(145))])) == .vertical(.put))
        #expect(
            StructureClassifier.classify(F.combo([F.buy(F.call(140)), F.sell(F.call(150), 2), F.buy(F.call(160))])) == .butterfly(.call))
        #expect(StructureClassifier.classify(F.combo([F.sell(F.put(150, expiry: F.nearExpiry)), F.buy(F.put(150))])) == .calendar(.put))
    }
}
