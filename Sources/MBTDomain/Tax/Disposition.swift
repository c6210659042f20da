/// A closed piece of a lot: what Form 8949 (or, for Section 1256 contracts, Form 6781) reports.
///
/// `gain` follows Form 8949's column (h) = (d) − (e) + (g): proceeds less basis plus the loss
/// disallowed by a wash sale, so a fully washed loss shows zero. `basis` already includes losses
/// deferred into this lot from earlier wash sales (1099-B box 1e). Amounts are exact; nothing is
/// rounded to cents here (whole-dollar rounding turned $0 wash lines into $1, adlr #11).
public struct Disposition: Sendable, Hashable {
    public let symbol: String
    public let lotId: TaxLotID
    /// The closing event; 0 for a year-end mark.
    public let eventId: Int64
    public let side: PositionSide
    public internal(set) var quantity: Decimal6
    /// Dates as day numbers (``MarketDate/daysSinceEpoch``), to keep a million records small.
    let acquiredDay: Int32
    var adjustedDay: Int32
    let soldDay: Int32
    public var acquired: MarketDate { MarketDate(daysSinceEpoch: Int(acquiredDay)) }
    /// The holding period's start after tacking (equal to `acquired` without wash sales).
    public internal(set) var adjustedAcquired: MarketDate {
        get { MarketDate(daysSinceEpoch: Int(adjustedDay)) }
        set { adjustedDay = Int32(newValue.daysSinceEpoch) }
    }
    public var sold: MarketDate { MarketDate(daysSinceEpoch: Int(soldDay)) }
    /// For a long lot, the sale's net proceeds; for a short lot, what opening it brought in.
    public internal(set) var proceeds: Decimal6
    /// For a long lot, its cost; for a short lot, the cost of covering. Includes ``washSaleAdjustment``.
    public internal(set) var basis: Decimal6
    /// The part of `basis` that is losses deferred into this lot by earlier wash sales.
    public internal(set) var washSaleAdjustment: Decimal6
    /// The part of this disposition's loss that a wash sale disallowed (Form 8949 code W, column (g)).
    public internal(set) var washSaleDisallowed: Decimal6
    public let section1256: Bool
    /// A Section 1256 contract deemed sold at its year-end price, not closed by a trade.
    public let isYearEndMark: Bool
    /// Place in the stream, for reporting in sale order.
    let closedAt: EventKey
    /// The sold lot's acquisition order: same-day loss sales are matched in it (Reg. 1.1091-1(c)).
    let lotOrder: LotOrderKey
    /// The sold shares had absorbed a loss themselves, so they cannot absorb another.
    let wasWashReplacement: Bool

    /// Gain (positive) or loss (negative) after wash-sale disallowance.
    public var gain: Decimal6 { proceeds - basis + washSaleDisallowed }

    /// Gain or loss before any of it was disallowed; negative means this was a loss sale.
    public var gainBeforeWashSale: Decimal6 { proceeds - basis }

    /// Long-term when a long lot's (adjusted) holding period exceeds one year. Closing a short
    /// position is short-term (the shares delivered to close were just bought, §1233), as is a
    /// written option bought back or expired (Pub 550 Table 4-1). Section 1256 contracts carry a
    /// term for information only: they are taxed by ``section1256LongTerm`` and
    /// ``section1256ShortTerm`` regardless.
    public var term: HoldingTerm {
        side == .long ? HoldingPeriod.term(acquired: adjustedAcquired, sold: sold) : .short
    }

    /// 60 % of a Section 1256 gain, zero otherwise.
    public var section1256LongTerm: Decimal6 { section1256 ? Section1256.longTermPart(of: gain) : .zero }
    /// 40 % of a Section 1256 gain (the rest after the 60 %), zero otherwise.
    public var section1256ShortTerm: Decimal6 { section1256 ? Section1256.shortTermPart(of: gain) : .zero }

    /// The whole gain's long-term part: the 60 % for a 1256 contract, all of it for a long-term
    /// disposition, nothing for a short-term one.
    public var longTermGain: Decimal6 { section1256 ? section1256LongTerm : (term == .long ? gain : .zero) }
    /// The whole gain's short-term part.
    public var shortTermGain: Decimal6 { gain - longTermGain }

    /// Cuts `part` units off as a new disposition with its exact share of the amounts; `self` keeps the rest.
    mutating func cut(_ part: Decimal6) -> Disposition {
        var piece = self
        piece.quantity = part
        piece.proceeds = ProRata.share(of: proceeds, part: part, whole: quantity)
        piece.basis = ProRata.share(of: basis, part: part, whole: quantity)
        piece.washSaleAdjustment = ProRata.share(of: washSaleAdjustment, part: part, whole: quantity)
        piece.washSaleDisallowed = ProRata.share(of: washSaleDisallowed, part: part, whole: quantity)
        quantity = quantity - part
        proceeds = proceeds - piece.proceeds
        basis = basis - piece.basis
        washSaleAdjustment = washSaleAdjustment - piece.washSaleAdjustment
        washSaleDisallowed = washSaleDisallowed - piece.washSaleDisallowed
        return piece
    }
}
