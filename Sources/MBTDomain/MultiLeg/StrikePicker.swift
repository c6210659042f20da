/// Picks listed contracts by delta or by strike, for strategy builders.
///
/// Ties go to the contract farther out of the money (the higher call, the lower put): of two
/// equally good answers, the one less likely to be assigned is the cautious one.
public enum StrikePicker {
    /// The entry whose delta magnitude is nearest `target`; `nil` when none has a delta. Deltas
    /// are exact decimals, so 0.25 and 0.35 are equally near 0.30 and the tie rule decides.
    public static func nearest(delta target: Decimal6, in entries: [OptionChainEntry]) -> OptionChainEntry? {
        let candidates = entries.compactMap { entry in entry.delta.map { (entry, ($0.magnitude - target).magnitude) } }
        return candidates.min { lhs, rhs in
            lhs.1 != rhs.1 ? lhs.1 < rhs.1 : fartherOutOfTheMoney(lhs.0, than: rhs.0)
        }?.0
    }

    /// The entry whose strike is nearest `target`; `nil` when `entries` is empty.
    static func nearest(strike target: Decimal6, in entries: [OptionChainEntry]) -> OptionChainEntry? {
        entries.min { lhs, rhs in
            let (left, right) = ((lhs.strike - target).magnitude, (rhs.strike - target).magnitude)
            return left != right ? left < right : fartherOutOfTheMoney(lhs, than: rhs)
        }
    }

    static func fartherOutOfTheMoney(_ lhs: OptionChainEntry, than rhs: OptionChainEntry) -> Bool {
        lhs.right == .call ? lhs.strike > rhs.strike : lhs.strike < rhs.strike
    }
}
