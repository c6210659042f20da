/// One wash sale: part of a loss disallowed and moved into a replacement position. The record the
/// `wash_sale_lots` table stores, and what explains a ``Disposition``'s code W line.
public struct WashSaleMatch: Sendable, Hashable {
    /// Index into ``TaxState/dispositions`` of the loss sale.
    public let lossDisposition: Int
    public let lossSymbol: String
    let lossDay: Int32
    public var lossDate: MarketDate { MarketDate(daysSinceEpoch: Int(lossDay)) }
    /// The replacement: an open lot, or (when ``TaxPolicy/closedBeforeLossCanReplace`` is on)
    /// a lot closed before the loss sale, then `replacementDisposition` names its disposition.
    public let replacementSymbol: String
    public let replacementLot: TaxLotID
    public let replacementDisposition: Int?
    /// Share equivalents matched (an option contract counts as 100).
    public let shares: Decimal6
    /// The loss disallowed and added to the replacement's basis.
    public let disallowed: Decimal6
    let adjustedDay: Int32
    /// The replacement's holding-period start after tacking.
    public var adjustedAcquired: MarketDate { MarketDate(daysSinceEpoch: Int(adjustedDay)) }
}
