/// The buying-power rule for multi-leg orders: a defined-risk structure reserves its maximum loss;
/// a structure with any uncovered short is refused, naming the leg. It extends the single-order
/// rule of docs/buying-power.md to orders whose legs hedge each other.
///
/// The maximum loss is computed, not looked up by shape: one unit's expiry value is piecewise
/// linear in the underlying's price (``ExpiryPayoff``), so its minimum lies at 0, at a strike, or
/// nowhere (when it falls forever, which coverage already refuses). Then
///
///     max loss = max(0, net price − minimum value) × 100 × qty
///
/// with the net price signed as the trader pays it (debit > 0, credit < 0). A credit vertical
/// gives width − credit, a debit structure its debit, an iron condor the wider side's width − credit,
/// the same as Alpaca's "max theoretical loss + net price" rule. For legs on two expiries (a
/// calendar) the value is taken at the first expiry with the later legs at their intrinsic value:
/// their time value is never negative for a long, so the bound is safe, and for a calendar it is
/// exactly the debit.
public enum StructureBuyingPower {
    /// Judges `combo` priced at `netPrice` per unit (the limit, or the net mid for a market order),
    /// with `account`'s shares covering short calls the order does not cover itself.
    public static func evaluate(_ combo: ValidatedCombo, netPrice: Decimal6, account: BuyingPowerAccount? = nil) -> StructureDecision {
        switch StructureCoverage.of(combo, account: account) {
        case .failure(let uncovered):
            return .rejected(OrderRejection(.uncoveredOption, uncovered.reason))
        case .success(let coverage):
            do {
                return .allowed(try risk(combo, coverage: coverage, netPrice: netPrice))
            } catch {
                return .rejected(
                    OrderRejection(.insufficientBuyingPower, "the order's value is beyond any account's buying power; reduce qty"))
            }
        }
    }

    /// Whether `account` can carry `combo` at `netPrice`: what it holds back when it can (its
    /// maximum loss, from the free cash), or why not. Submission, a resting combo's placement and
    /// its fill all judge by this.
    public static func check(_ combo: ValidatedCombo, netPrice: Decimal6, account: BuyingPowerAccount) -> Result<Decimal6, OrderRejection> {
        switch evaluate(combo, netPrice: netPrice, account: account) {
        case .rejected(let rejection):
            return .failure(rejection)
        case .allowed(let risk):
            guard let free = try? account.breakdown().freeCash else {
                return .failure(OrderRejection(.insufficientBuyingPower, "the account's buying power is out of range"))
            }
            guard risk.requirement > free else { return .success(risk.requirement) }
            let name = String(risk.shape.name.map { $0 == "_" ? " " : $0 })
            return .failure(
                OrderRejection(
                    .insufficientBuyingPower,
                    "this \(name) needs \(risk.requirement) of buying power (its maximum loss) but \(free) is available"))
        }
    }

    static func risk(_ combo: ValidatedCombo, coverage: StructureCoverage, netPrice: Decimal6) throws(DecimalArithmeticError)
        -> StructureRisk
    {
        let payoff = ExpiryPayoff(positions: coverage.positions)
        // Coverage leaves no short calls beyond longs and shares, so the value is bounded below.
        let lowest = try payoff.minimum() ?? .zero
        let lossPerShare = max(netPrice - lowest, .zero)
        let singleExpiry = !coverage.spansExpiries
        let highest = singleExpiry ? try payoff.maximum() : nil
        return StructureRisk(
            shape: StructureClassifier.shape(combo, coverage: coverage),
            requirement: try dollars(lossPerShare, qty: combo.qty),
            maxProfit: try highest.map { (value) throws(DecimalArithmeticError) in try dollars(value - netPrice, qty: combo.qty) },
            breakEvens: singleExpiry ? try payoff.breakEvens(cost: netPrice) : [],
            committedShares: coverage.committedShares)
    }

    /// A per-share, per-unit amount in dollars for the whole order.
    static func dollars(_ perShare: Decimal6, qty: Int64) throws(DecimalArithmeticError) -> Decimal6 {
        try perShare.multiplied(by: OptionSymbol.contractMultiplier).multiplied(by: qty)
    }
}
