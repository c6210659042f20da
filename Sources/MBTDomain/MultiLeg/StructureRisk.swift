/// What a covered combo can lose and gain, and what it reserves from buying power.
public struct StructureRisk: Sendable, Hashable {
    public let shape: StructureShape
    /// Dollars the order reserves from free cash: its maximum loss at expiry, ≥ 0. A credit spread
    /// reserves width × 100 × qty − the credit; a debit structure, the debit.
    public let requirement: Decimal6
    /// Dollars gained at best at expiry for the whole order (negative when the price paid exceeds
    /// anything the structure can be worth); `nil` when unbounded (long calls) or when the legs
    /// expire on different days, where it depends on the later legs' time value.
    public let maxProfit: Decimal6?
    /// Underlying prices where the order breaks even at expiry, ascending; empty when the legs
    /// expire on different days.
    public let breakEvens: [Decimal6]
    /// Shares already held that this order commits to cover its short calls.
    public let committedShares: Decimal6
}

/// The outcome of judging a combo's structure.
public enum StructureDecision: Sendable, Hashable {
    case allowed(StructureRisk)
    case rejected(OrderRejection)
}
