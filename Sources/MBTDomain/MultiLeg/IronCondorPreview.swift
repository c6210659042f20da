/// The iron condor the builder picked, ready to submit, with the numbers a trader checks first.
///
/// Dollar figures are for the whole order (× 100 × qty) and assume the net price in ``pricedAt``:
/// the limit when one was given, else the mids, since that is what the order would fill at worst.
public struct IronCondorPreview: Sendable, Hashable {
    /// Buy the put wing, sell the put, sell the call, buy the call wing; all to open.
    public let ticket: ComboTicket
    public let longPutStrike: Decimal6
    public let shortPutStrike: Decimal6
    public let shortCallStrike: Decimal6
    public let longCallStrike: Decimal6
    /// Credit per unit from the legs' mids, positive when the condor collects.
    public let netCredit: Decimal6
    /// The signed net price per unit (credit < 0) the figures below assume.
    public let pricedAt: Decimal6
    /// The credit kept if the underlying ends between the short strikes.
    public let maxProfit: Decimal6
    /// The wider side's width less the credit, × 100 × qty.
    public let maxLoss: Decimal6
    /// Short put strike − credit.
    public let breakEvenLow: Decimal6
    /// Short call strike + credit.
    public let breakEvenHigh: Decimal6
    /// What the order reserves from buying power (``StructureBuyingPower``): its maximum loss.
    public let buyingPowerRequired: Decimal6

    public var legs: [ComboLeg] { ticket.legs }
}
