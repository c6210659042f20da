/// Exact proportional shares of an amount, for splitting basis, proceeds, fees and disallowed
/// losses across lots.
///
/// Every share is rounded half-even to six decimals, and shares are taken as differences of rounded
/// *cumulative* amounts, so the parts of one amount always add up to it to the micro-unit: splitting
/// never creates or loses money, however many pieces a lot is cut into. The economic-P&L invariant
/// (gains plus allowed losses equal cash in minus cash out once everything is closed) depends on it.
enum ProRata {
    /// `total × part ÷ whole`, rounded half-even; `total` itself when `part == whole`.
    static func share(of total: Decimal6, part: Decimal6, whole: Decimal6) -> Decimal6 {
        precondition(whole.isPositive, "pro-rata share of a non-positive whole")
        if part == whole { return total }
        if part.isZero { return .zero }
        let numerator = Int128(total.micros) * Int128(part.micros)
        return Decimal6(micros: Int64(Decimal6.divide(numerator, by: Int128(whole.micros), rule: .toNearestOrEven)))
    }

    /// The share of `total` belonging to the units `done ..< done + count` out of `whole`.
    ///
    /// Consecutive slices that together cover `0 ..< whole` add up to `total` exactly.
    static func slice(of total: Decimal6, from done: Decimal6, count: Decimal6, whole: Decimal6) -> Decimal6 {
        share(of: total, part: done + count, whole: whole) - share(of: total, part: done, whole: whole)
    }
}
