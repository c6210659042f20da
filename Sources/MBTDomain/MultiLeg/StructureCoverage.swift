/// Whether every short leg a combo opens is covered, and by what.
///
/// Only *opening* legs count: a closing leg cancels a position already held, so it cannot cover
/// a new short (buying back a short put while selling a lower one leaves a naked put). A short
/// option is covered by longs of the same type opened in the same order, ratio for ratio, which
/// bounds the loss by the strikes' width; a short call may instead be covered by the order's
/// stock leg or by 100 shares held per contract that do not already cover other calls. Short
/// legs must expire first: a short outliving the long that covers it is naked once the long is gone.
struct StructureCoverage: Sendable {
    /// The opening positions the payoff is judged on, less the short calls shares held cover
    /// (delivering those shares on assignment costs the order no cash).
    let positions: [ExpiryPayoff.Position]
    /// Shares held that this order commits to its short calls.
    let committedShares: Decimal6
    /// Whether the opening option legs expire on more than one day.
    let spansExpiries: Bool

    /// A short leg nothing covers, and why.
    struct Uncovered: Error, Sendable, Hashable {
        let leg: Int
        let reason: String
    }

    static func of(_ combo: ValidatedCombo, account: BuyingPowerAccount?) -> Result<StructureCoverage, Uncovered> {
        let opening = combo.legs.filter(\.intent.opens)
        let expiries = Set(opening.compactMap { $0.contract?.expiry })
        if let late = lateShort(opening, firstExpiry: expiries.min()) { return .failure(late) }
        if let put = excessShort(.put, in: opening) { return .failure(put) }
        let excessCalls = shortUnits(.call, opening) - longUnits(.call, opening) - stockUnits(opening)
        let positions = opening.map { ExpiryPayoff.Position(contract: $0.contract, units: units(of: $0)) }
        guard excessCalls > 0 else {
            return .success(StructureCoverage(positions: positions, committedShares: .zero, spansExpiries: expiries.count > 1))
        }
        return sharesCovering(excessCalls, combo: combo, account: account).map { shares in
            StructureCoverage(
                positions: removingShortCalls(excessCalls, from: positions), committedShares: shares, spansExpiries: expiries.count > 1)
        }
    }

    // MARK: - Rules

    /// A short leg expiring after the structure's first expiry outlives what covers it.
    static func lateShort(_ opening: [ValidatedComboLeg], firstExpiry: MarketDate?) -> Uncovered? {
        guard let firstExpiry else { return nil }
        guard let late = opening.first(where: { $0.side == .sell && ($0.contract?.expiry ?? firstExpiry) > firstExpiry }) else {
            return nil
        }
        return Uncovered(
            leg: late.index,
            reason:
                "\(late.label) expires after the long leg that would cover it; in a calendar the long leg must expire later than the short")
    }

    /// More short options of `right` than long ones: the extra shorts are naked (puts here; calls
    /// only after shares are counted).
    static func excessShort(_ right: OptionSymbol.Right, in opening: [ValidatedComboLeg]) -> Uncovered? {
        let shorts = shortUnits(right, opening)
        let longs = longUnits(right, opening)
        guard shorts > longs, let leg = opening.first(where: { $0.side == .sell && $0.contract?.right == right }) else { return nil }
        return Uncovered(
            leg: leg.index,
            reason:
                "\(leg.label) is an uncovered short \(right == .put ? "put" : "call"): \(shorts) sold against \(longs) bought per unit; "
                + "each short option in a combo needs a long option of the same type (or, for calls, 100 shares per contract)")
    }

    /// Shares held, free of other calls, enough for `calls` extra short calls per unit × qty. Calls
    /// the same order buys back release their shares, so a covered call can be rolled in one combo.
    static func sharesCovering(_ calls: Int64, combo: ValidatedCombo, account: BuyingPowerAccount?) -> Result<Decimal6, Uncovered> {
        let leg = combo.legs.first { $0.intent == .sellToOpen && $0.contract?.right == .call }
        let index = leg?.index ?? 1
        let root = leg?.contract?.root ?? ""
        do {
            let needed = try shares(forCalls: calls, qty: combo.qty)
            let boughtBack = combo.legs.filter { $0.intent == .buyToClose && $0.contract?.right == .call }.reduce(0) { $0 + $1.ratio }
            let released = try shares(forCalls: boughtBack, qty: combo.qty)
            let held = account?.quantity(of: root, side: .long) ?? .zero
            let committed = max(try account?.sharesCoveringShortCalls(on: root) ?? .zero, released) - released
            let free = held - committed
            if needed <= free { return .success(needed) }
            return .failure(
                Uncovered(
                    leg: index,
                    reason:
                        "\(leg?.label ?? ComboError.leg(index)) is an uncovered short call: "
                        + "it needs 100 shares of \(root) per contract or a long call; "
                        + "needs \(count(needed)) shares, available \(count(max(free, .zero))) "
                        + "(held \(count(held)), covering other calls \(count(committed)))"
                ))
        } catch {
            return .failure(Uncovered(leg: index, reason: "the short calls need more shares than any account holds; reduce qty"))
        }
    }

    /// 100 shares per call contract, `calls` contracts per unit.
    static func shares(forCalls calls: Int64, qty: Int64) throws(DecimalArithmeticError) -> Decimal6 {
        try Decimal6.one.multiplied(by: calls).multiplied(by: qty).multiplied(by: OptionSymbol.contractMultiplier)
    }

    /// Shares as a person counts them: `100`, or `12.5` when fractional shares are held.
    static func count(_ shares: Decimal6) -> String {
        guard shares.micros % Decimal6.microsPerUnit != 0 else { return String(shares.wholePart) }
        var text = shares.description
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// The positions with `calls` short-call units taken off, lowest strikes first: those are the
    /// calls assigned first, so they are the ones the shares would be delivered against.
    static func removingShortCalls(_ calls: Int64, from positions: [ExpiryPayoff.Position]) -> [ExpiryPayoff.Position] {
        var remaining = calls
        var result = positions
        let shortCalls = positions.indices
            .filter { positions[$0].units < 0 && positions[$0].contract?.right == .call }
            .sorted { (positions[$0].contract?.strike ?? .zero) < (positions[$1].contract?.strike ?? .zero) }
        for index in shortCalls where remaining > 0 {
            let taken = min(remaining, -result[index].units)
            result[index] = ExpiryPayoff.Position(contract: result[index].contract, units: result[index].units + taken)
            remaining -= taken
        }
        return result.filter { $0.units != 0 }
    }

    // MARK: - Counting

    /// Signed units of one leg in the payoff: contracts, or hundreds of shares for the stock leg.
    static func units(of leg: ValidatedComboLeg) -> Int64 {
        leg.contract == nil ? leg.signedRatio / OptionSymbol.contractMultiplier : leg.signedRatio
    }

    static func shortUnits(_ right: OptionSymbol.Right, _ legs: [ValidatedComboLeg]) -> Int64 {
        legs.filter { $0.side == .sell && $0.contract?.right == right }.reduce(0) { $0 + $1.ratio }
    }

    static func longUnits(_ right: OptionSymbol.Right, _ legs: [ValidatedComboLeg]) -> Int64 {
        legs.filter { $0.side == .buy && $0.contract?.right == right }.reduce(0) { $0 + $1.ratio }
    }

    /// Hundreds of shares the order buys to open: each covers one call contract.
    static func stockUnits(_ legs: [ValidatedComboLeg]) -> Int64 {
        legs.filter { $0.side == .buy && $0.contract == nil }.reduce(0) { $0 + $1.ratio / OptionSymbol.contractMultiplier }
    }
}
