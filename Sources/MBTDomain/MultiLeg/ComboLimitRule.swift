import Foundation

/// When a resting combo limit order fills.
///
/// Net prices are what the trader *pays* per unit (debit > 0, credit < 0), so one comparison
/// serves both: the combo crosses when paying the net mid is no worse than paying the limit,
/// `netMid ≤ limit`. For a debit that is paying at most the limit (mid 1.10 ≤ limit 1.20); for a
/// credit it is receiving at least the limit's credit (mid −1.30 ≤ limit −1.20: 1.30 received
/// ≥ 1.20 asked). A crossing combo fills at the mids, each leg at its own, like a single option.
public enum ComboLimitRule {
    /// Whether paying `netMid` satisfies a limit of paying `limit` (both signed, debit > 0).
    public static func crosses(netMid: Decimal6, limit: Decimal6) -> Bool {
        netMid <= limit
    }

    /// The fill of a resting limit combo against `quotes`: `nil` while it does not cross, the fill
    /// at the legs' mids when it does, or the leg that cannot be priced.
    public static func fill(
        _ combo: ValidatedCombo, quotes: [String: Quote], now: Date, maxAge: TimeInterval
    ) -> Result<ComboFill?, ComboError> {
        guard let limit = combo.limitPrice else {
            return ComboPricing.marketFill(combo, quotes: quotes, now: now, maxAge: maxAge).map { Optional($0) }
        }
        return ComboPricing.marketFill(combo, quotes: quotes, now: now, maxAge: maxAge).map { fill in
            crosses(netMid: fill.netPrice, limit: limit) ? fill : nil
        }
    }
}
