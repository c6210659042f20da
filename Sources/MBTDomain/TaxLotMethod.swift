/// How a closing fill picks the tax lots it consumes.
public enum TaxLotMethod: String, Sendable, Codable, CaseIterable {
    /// First in, first out (the default).
    case fifo
    /// Last in, first out.
    case lifo
    /// Highest cost first.
    case hifo
    /// Lots named on the order.
    case specificId = "specific_id"
}

extension TaxLotMethod {
    /// The method a ledger fill is taxed with (docs/tax-rules.md): its strategy's, else the
    /// account's default. Orders carry no lot ids yet, so `specific_id` acts as FIFO.
    public static func forFill(strategy: TaxLotMethod?, account: TaxLotMethod) -> TaxLotMethod {
        let method = strategy ?? account
        return method == .specificId ? .fifo : method
    }
}
