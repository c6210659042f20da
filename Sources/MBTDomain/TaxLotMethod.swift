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
