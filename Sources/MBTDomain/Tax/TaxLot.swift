/// Names a tax lot: the event that opened it, and which part of it after wash-sale matching split it.
///
/// A lot whose shares absorb only part of a disallowed loss is split, because the absorbing shares
/// get a different basis and holding period from the rest. All parts keep the origin, so shares
/// from one buy order never replace each other (Fairmark's "selling half"; adlr #1, #6, #10), and
/// specific identification by origin still finds every part.
public struct TaxLotID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id of the opening event.
    public let origin: Int64
    /// 0 for the lot as opened; 1, 2 … for parts split off it in the order they were split.
    public let part: Int32

    public init(origin: Int64, part: Int32 = 0) {
        self.origin = origin
        self.part = part
    }

    /// `"12"`, or `"12.1"` for a split-off part.
    public var description: String { part == 0 ? "\(origin)" : "\(origin).\(part)" }

    public static func < (lhs: TaxLotID, rhs: TaxLotID) -> Bool { (lhs.origin, lhs.part) < (rhs.origin, rhs.part) }

    /// One word into the hasher instead of two: lot lookups are the engine's hottest path.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(bitPattern: origin) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(UInt32(bitPattern: part)))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), let origin = Int64(pieces[0]), let part = pieces.count == 2 ? Int32(pieces[1]) : 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a lot id such as \"12\" or \"12.1\"")
        }
        self.init(origin: origin, part: part)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An open tax lot: shares or contracts held (or owed, when short) with one basis and one holding period.
///
/// Amounts are totals for the lot, not per share, so splitting and partial sales stay exact
/// (``ProRata``). For a long lot `basis` is what it cost, fees included; for a short lot it is what
/// opening it brought in, net of fees; the cost of covering is only known at the close.
public struct TaxLot: Sendable, Hashable {
    public let id: TaxLotID
    public let symbol: String
    public let side: PositionSide
    public internal(set) var quantity: Decimal6
    /// Cost (long) or opening proceeds (short), without wash-sale adjustments.
    public internal(set) var basis: Decimal6
    /// Disallowed losses from wash sales this lot replaced (IRC 1091(d)): added to the basis of a
    /// long lot, and to the cost of covering a short one.
    public internal(set) var washSaleAdjustment: Decimal6
    /// Dates are kept as day numbers (``MarketDate/daysSinceEpoch``): a third of the size, and
    /// lots exist by the hundred thousand.
    let acquiredDay: Int32
    var adjustedDay: Int32
    /// The trade date the lot was opened.
    public var acquired: MarketDate { MarketDate(daysSinceEpoch: Int(acquiredDay)) }
    /// The acquisition date used for the holding period: earlier than `acquired` when a wash sale
    /// tacked the sold shares' holding period on (IRC 1223(3); ``TaxPolicy/HoldingTackMethod``).
    public internal(set) var adjustedAcquired: MarketDate {
        get { MarketDate(daysSinceEpoch: Int(adjustedDay)) }
        set { adjustedDay = Int32(newValue.daysSinceEpoch) }
    }
    public let section1256: Bool
    /// One bite: shares that absorbed a disallowed loss cannot absorb another (Reg. 1.1091-1(e)).
    public internal(set) var isWashReplacement: Bool
    /// Order of acquisition, for FIFO/LIFO and for matching replacements earliest first.
    let order: LotOrderKey

    init(
        id: TaxLotID, symbol: String, side: PositionSide, quantity: Decimal6, basis: Decimal6, acquired: MarketDate,
        section1256: Bool, order: LotOrderKey
    ) {
        self.id = id
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.basis = basis
        self.washSaleAdjustment = .zero
        self.acquiredDay = Int32(acquired.daysSinceEpoch)
        self.adjustedDay = acquiredDay
        self.section1256 = section1256
        self.isWashReplacement = false
        self.order = order
    }

    /// The basis a long lot is sold against (cost plus absorbed losses); for a short lot, the
    /// opening proceeds less absorbed losses, i.e. what it nets before the cost of covering.
    public var adjustedBasis: Decimal6 { side == .long ? basis + washSaleAdjustment : basis - washSaleAdjustment }

    /// Cuts `part` units off this lot as a new lot value with its exact share of the amounts;
    /// `self` keeps the rest. Used for partial sales and for wash-sale splits.
    mutating func cut(_ part: Decimal6, as newID: TaxLotID, order newOrder: LotOrderKey) -> TaxLot {
        let basisPart = ProRata.share(of: basis, part: part, whole: quantity)
        let adjustmentPart = ProRata.share(of: washSaleAdjustment, part: part, whole: quantity)
        var piece = self.withIdentity(newID, order: newOrder)
        piece.quantity = part
        piece.basis = basisPart
        piece.washSaleAdjustment = adjustmentPart
        quantity = quantity - part
        basis = basis - basisPart
        washSaleAdjustment = washSaleAdjustment - adjustmentPart
        return piece
    }

    private func withIdentity(_ newID: TaxLotID, order newOrder: LotOrderKey) -> TaxLot {
        var copy = TaxLot(
            id: newID, symbol: symbol, side: side, quantity: quantity, basis: basis, acquired: acquired, section1256: section1256,
            order: newOrder)
        copy.washSaleAdjustment = washSaleAdjustment
        copy.adjustedDay = adjustedDay
        copy.isWashReplacement = isWashReplacement
        return copy
    }
}

/// Acquisition order of lots: the opening event's place in the stream, then the split part.
struct LotOrderKey: Sendable, Hashable, Comparable {
    var event: EventKey
    var part: Int32

    static func < (lhs: LotOrderKey, rhs: LotOrderKey) -> Bool {
        lhs.event != rhs.event ? lhs.event < rhs.event : lhs.part < rhs.part
    }
}
