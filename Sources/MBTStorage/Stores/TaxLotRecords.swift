import MBTDomain

/// One `tax_lots` row as the tax ledger stores it: a lot of the engine (``TaxLotID``), with what
/// is still open of it and totals over everything it ever held.
///
/// A lot keeps its row for good: selling it down only lowers `remainingQuantity`, and the sold
/// pieces are its ``TaxDispositionRecord``s. `quantity` is what the lot id held over its life
/// (open remainder plus the pieces sold); a wash sale that moves part of a lot into a part of its
/// own (`"12.1"`) moves that quantity to the part's row. Amounts follow the engine: for a long lot
/// `costBasis` is what it cost, for a short lot what opening it brought in, in both cases without
/// the deferred wash-sale losses, which `washSaleAdjustment` totals. Dates are trade dates.
public struct TaxLotRecord: Sendable, Hashable {
    /// The engine's lot id: the opening fill's id, `.N` for a part split off by a wash sale.
    public var lotKey: String
    public var symbol: String
    /// The stock, or an option's underlying: the unit the ledger recomputes rows in.
    public var underlying: String
    public var assetClass: AssetClass
    public var side: PositionSide
    public var openFillId: Int64
    public var quantity: Decimal6
    public var remainingQuantity: Decimal6
    /// Shares per unit: 1 for stock, 100 for an option contract.
    public var multiplier: Int64
    public var costBasis: Decimal6
    /// `costBasis` of the open remainder.
    public var remainingBasis: Decimal6
    public var washSaleAdjustment: Decimal6
    public var acquired: MarketDate
    /// The holding period's start after wash-sale tacking (of the open remainder, else of the last piece sold).
    public var adjustedAcquired: MarketDate
    public var section1256: Bool
    /// The trade date the last of it was sold; `nil` while any of it is open.
    public var closed: MarketDate?
    /// The lot method of the last sale from this lot; `nil` while nothing of it was sold.
    public var lotMethod: TaxLotMethod?

    public var isOpen: Bool { closed == nil }
}

extension TaxLotRecord {
    /// The row of lot `id` from its open remainder (if any) and the pieces sold from it, in the
    /// order they were sold; `nil` when the engine holds neither.
    public init?(id: TaxLotID, open: TaxLot?, sold: [Disposition], lotMethod: TaxLotMethod?) {
        guard let symbol = open?.symbol ?? sold.first?.symbol, let side = open?.side ?? sold.first?.side,
            let acquired = open?.acquired ?? sold.first?.acquired, let adjusted = open?.adjustedAcquired ?? sold.last?.adjustedAcquired
        else { return nil }
        let instrument = TaxInstrument(symbol: symbol)
        lotKey = id.description
        self.symbol = symbol
        underlying = instrument?.underlying ?? symbol
        assetClass = instrument?.assetClass ?? .usEquity
        self.side = side
        openFillId = id.origin
        remainingQuantity = open?.quantity ?? .zero
        quantity = sold.reduce(remainingQuantity) { $0 + $1.quantity }
        multiplier = instrument?.multiplier ?? 1
        remainingBasis = open?.basis ?? .zero
        costBasis = sold.reduce(remainingBasis) { $0 + ($1.side == .long ? $1.basis - $1.washSaleAdjustment : $1.proceeds) }
        washSaleAdjustment = sold.reduce(open?.washSaleAdjustment ?? .zero) { $0 + $1.washSaleAdjustment }
        self.acquired = acquired
        adjustedAcquired = adjusted
        section1256 = open?.section1256 ?? sold.first?.section1256 ?? false
        closed = open == nil ? sold.map(\.sold).max() : nil
        self.lotMethod = lotMethod
    }
}

/// One `tax_lot_dispositions` row with its `holding_period_classifications` row: a piece of a
/// lot closed by one event, as Form 8949 reports it.
public struct TaxDispositionRecord: Sendable, Hashable {
    /// `kind`: how the piece was closed.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case sale, cover, expiry, assignment, exercise
        case cashSettlement = "cash_settlement"
        case markToMarket = "mark_to_market"
    }

    /// `holding_period_classifications.term`: Section 1256 gains are split 60/40 whatever the holding period.
    public enum Term: String, Sendable, Codable, CaseIterable {
        case short, long
        case section1256 = "section_1256"
    }

    /// The holding-period classification of the gain.
    public struct Classification: Sendable, Hashable {
        public var term: Term
        /// Days from the (adjusted) acquisition to the sale.
        public var holdingDays: Int
        public var shortTermGain: Decimal6
        public var longTermGain: Decimal6
        public var taxYear: Int
    }

    /// The disposition's place in the engine's list: its stable key.
    public var seq: Int64
    public var lotKey: String
    /// The fill that closed it; `nil` for a year-end mark.
    public var closeFillId: Int64?
    public var kind: Kind
    public var lotMethod: TaxLotMethod
    public var quantity: Decimal6
    public var proceeds: Decimal6
    /// Includes `washSaleAdjustment` (1099-B box 1e).
    public var costBasis: Decimal6
    /// Proceeds − basis + the disallowed loss (Form 8949 column (h)).
    public var gain: Decimal6
    public var washSaleDisallowed: Decimal6
    public var washSaleAdjustment: Decimal6
    public var adjustedAcquired: MarketDate
    public var disposed: MarketDate
    /// Always present in rows the ledger wrote; `nil` when a row has none.
    public var classification: Classification?
}

extension TaxDispositionRecord {
    /// The row of the engine's disposition number `seq`, closed with `lotMethod`.
    public init(seq: Int, disposition: Disposition, lotMethod: TaxLotMethod) {
        self.seq = Int64(seq)
        lotKey = disposition.lotId.description
        closeFillId = disposition.eventId == 0 ? nil : disposition.eventId
        kind = disposition.isYearEndMark ? .markToMarket : disposition.side == .long ? .sale : .cover
        self.lotMethod = lotMethod
        quantity = disposition.quantity
        proceeds = disposition.proceeds
        costBasis = disposition.basis
        gain = disposition.gain
        washSaleDisallowed = disposition.washSaleDisallowed
        washSaleAdjustment = disposition.washSaleAdjustment
        adjustedAcquired = disposition.adjustedAcquired
        disposed = disposition.sold
        classification = Classification(
            term: disposition.section1256 ? .section1256 : disposition.term == .long ? .long : .short,
            holdingDays: max(0, disposition.sold.daysSinceEpoch - disposition.adjustedAcquired.daysSinceEpoch),
            shortTermGain: disposition.shortTermGain, longTermGain: disposition.longTermGain, taxYear: disposition.sold.year)
    }
}

/// One `wash_sale_lots` row: part of a loss disallowed and moved into a replacement lot.
public struct WashSaleRecord: Sendable, Hashable {
    /// The wash sale's place in the engine's list: its stable key.
    public var seq: Int64
    /// The loss sale (a ``TaxDispositionRecord/seq``).
    public var lossDispositionSeq: Int64
    public var replacementLotKey: String
    /// Share equivalents matched (a contract counts as 100).
    public var quantity: Decimal6
    public var disallowedLoss: Decimal6
    /// How far the replacement's holding period was moved back (acquired − adjusted acquired).
    public var holdingDaysCarried: Int
}

extension WashSaleRecord {
    /// The row of the engine's wash sale number `seq`; `replacementAcquired` is the replacement lot's trade date.
    public init(seq: Int, match: WashSaleMatch, replacementAcquired: MarketDate) {
        self.seq = Int64(seq)
        lossDispositionSeq = Int64(match.lossDisposition)
        replacementLotKey = match.replacementLot.description
        quantity = match.shares
        disallowedLoss = match.disallowed
        holdingDaysCarried = max(0, replacementAcquired.daysSinceEpoch - match.adjustedAcquired.daysSinceEpoch)
    }
}
