/// Names the strategy a validated combo forms (``StructureShape``), after checking its coverage
/// against the account's shares when given.
///
/// The shape is read from the *opening* legs, since closing legs only unwind what is held.
public enum StructureClassifier {
    public static func classify(_ combo: ValidatedCombo, account: BuyingPowerAccount? = nil) -> StructureShape {
        switch StructureCoverage.of(combo, account: account) {
        case .failure(let uncovered): .uncovered(leg: uncovered.leg, reason: uncovered.reason)
        case .success(let coverage): shape(combo, coverage: coverage)
        }
    }

    static func shape(_ combo: ValidatedCombo, coverage: StructureCoverage) -> StructureShape {
        let opening = combo.legs.filter(\.intent.opens)
        if opening.isEmpty { return .closing }
        if combo.stockLeg != nil || coverage.committedShares.isPositive { return .coveredCall }
        let options = opening.compactMap { leg in leg.contract.map { OptionLeg(contract: $0, units: leg.signedRatio) } }
        if coverage.spansExpiries { return calendar(options) ?? .otherDefinedRisk }
        switch options.count {
        case 2: return vertical(options) ?? straddleOrStrangle(options) ?? .otherDefinedRisk
        case 3: return butterfly(options) ?? .otherDefinedRisk
        case 4: return ironCondor(options) ?? .otherDefinedRisk
        default: return .otherDefinedRisk
        }
    }

    /// An option leg as the shape rules read it.
    struct OptionLeg {
        let contract: OptionSymbol
        /// Signed contracts per unit: + long, − short.
        let units: Int64
        var strike: Decimal6 { contract.strike }
        var right: OptionSymbol.Right { contract.right }
    }

    static func calendar(_ legs: [OptionLeg]) -> StructureShape? {
        guard legs.count == 2, let long = legs.first(where: { $0.units > 0 }), let short = legs.first(where: { $0.units < 0 }),
            long.right == short.right, long.strike == short.strike, long.units == -short.units, long.contract.expiry > short.contract.expiry
        else { return nil }
        return .calendar(long.right)
    }

    static func vertical(_ legs: [OptionLeg]) -> StructureShape? {
        guard legs[0].right == legs[1].right, legs[0].strike != legs[1].strike, legs[0].units == -legs[1].units else { return nil }
        return .vertical(legs[0].right)
    }

    static func straddleOrStrangle(_ legs: [OptionLeg]) -> StructureShape? {
        guard legs[0].right != legs[1].right, legs[0].units > 0, legs[0].units == legs[1].units else { return nil }
        return legs[0].strike == legs[1].strike ? .straddle : .strangle
    }

    /// 1-2-1 over three ascending strikes of one type, the body opposite the wings.
    static func butterfly(_ legs: [OptionLeg]) -> StructureShape? {
        let sorted = legs.sorted { $0.strike < $1.strike }
        guard Set(legs.map(\.right)).count == 1, Set(legs.map(\.strike)).count == 3 else { return nil }
        let (low, body, high) = (sorted[0].units, sorted[1].units, sorted[2].units)
        guard low == high, body == -2 * low else { return nil }
        return .butterfly(sorted[0].right)
    }

    /// Long put < short put < short call < long call, one contract of each per unit.
    static func ironCondor(_ legs: [OptionLeg]) -> StructureShape? {
        let puts = legs.filter { $0.right == .put }.sorted { $0.strike < $1.strike }
        let calls = legs.filter { $0.right == .call }.sorted { $0.strike < $1.strike }
        guard puts.count == 2, calls.count == 2, Set(legs.map { abs($0.units) }).count == 1 else { return nil }
        let (longPut, shortPut, shortCall, longCall) = (puts[0], puts[1], calls[0], calls[1])
        guard longPut.units > 0, shortPut.units < 0, shortCall.units < 0, longCall.units > 0,
            longPut.strike < shortPut.strike, shortPut.strike < shortCall.strike, shortCall.strike < longCall.strike
        else { return nil }
        return .ironCondor
    }
}
