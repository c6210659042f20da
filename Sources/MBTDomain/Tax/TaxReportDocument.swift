/// The JSON document `mbt tax report` prints: dispositions, open lots, wash sales, yearly
/// summaries, review notes and the engine's scope limits.
///
/// Keys are snake_case; amounts are decimal strings with six decimals and dates `YYYY-MM-DD`, as
/// everywhere in MBT's JSON.
public struct TaxReportDocument: Sendable, Encodable {
    public var method: TaxLotMethod
    /// The tax year reported, or `nil` for every year in the file.
    public var year: Int?
    public var dispositions: [DispositionRow]
    public var openLots: [OpenLotRow]
    public var washSales: [WashSaleRow]
    public var summaries: [SummaryRow]
    public var reviews: [String]
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case method, year, dispositions, summaries, reviews, notes
        case openLots = "open_lots"
        case washSales = "wash_sales"
    }

    /// The report of `state`, limited to dispositions sold (and wash sales on losses) in `year`
    /// when one is given. Open lots are those open after the last event.
    public init(state: TaxState, method: TaxLotMethod, year: Int?) {
        let inYear: (MarketDate) -> Bool = { date in year.map { date.year == $0 } ?? true }
        self.method = method
        self.year = year
        dispositions = state.dispositionsInSaleOrder.filter { inYear($0.sold) }.map(DispositionRow.init)
        openLots = state.openLots.map(OpenLotRow.init)
        washSales = state.washSales.filter { inYear($0.lossDate) }.map(WashSaleRow.init)
        let years = year.map { [$0] } ?? Set(state.dispositions.map(\.sold.year)).sorted()
        summaries = years.map { SummaryRow(state.summary(year: $0)) }
        reviews = state.reviews.filter { inYear($0.lossDate) }.map(\.message)
        notes = TaxPolicy.scopeLimits
        let unmarked = state.openLots.filter(\.section1256).count
        if unmarked > 0 {
            notes.append(
                "\(unmarked) Section 1256 lot(s) are open after the last trade; without year-end prices they are not marked to market.")
        }
    }

    public struct DispositionRow: Sendable, Encodable {
        public var symbol: String
        public var lotId: TaxLotID
        public var side: PositionSide
        public var quantity: Decimal6
        public var acquired: MarketDate
        public var adjustedAcquired: MarketDate
        public var sold: MarketDate
        public var proceeds: Decimal6
        public var basis: Decimal6
        public var gain: Decimal6
        public var washSaleDisallowed: Decimal6
        public var washSaleAdjustment: Decimal6
        public var term: HoldingTerm
        public var section1256: Bool
        /// The 60 % and 40 % parts, for Section 1256 rows only.
        public var section1256LongTerm: Decimal6?
        public var section1256ShortTerm: Decimal6?
        public var yearEndMark: Bool

        enum CodingKeys: String, CodingKey {
            case symbol, side, quantity, acquired, sold, proceeds, basis, gain, term
            case lotId = "lot_id"
            case adjustedAcquired = "adjusted_acquired"
            case washSaleDisallowed = "wash_sale_disallowed"
            case washSaleAdjustment = "wash_sale_adjustment"
            case section1256 = "section_1256"
            case section1256LongTerm = "section_1256_long_term"
            case section1256ShortTerm = "section_1256_short_term"
            case yearEndMark = "year_end_mark"
        }

        init(_ disposition: Disposition) {
            symbol = disposition.symbol
            lotId = disposition.lotId
            side = disposition.side
            quantity = disposition.quantity
            acquired = disposition.acquired
            adjustedAcquired = disposition.adjustedAcquired
            sold = disposition.sold
            proceeds = disposition.proceeds
            basis = disposition.basis
            gain = disposition.gain
            washSaleDisallowed = disposition.washSaleDisallowed
            washSaleAdjustment = disposition.washSaleAdjustment
            term = disposition.term
            section1256 = disposition.section1256
            section1256LongTerm = disposition.section1256 ? disposition.section1256LongTerm : nil
            section1256ShortTerm = disposition.section1256 ? disposition.section1256ShortTerm : nil
            yearEndMark = disposition.isYearEndMark
        }
    }

    /// An open lot. `basis` is the tax basis of a long lot (cost plus absorbed wash-sale losses);
    /// for a short lot it is what opening it brought in, and its `wash_sale_adjustment` will be
    /// added to the cost of covering it.
    public struct OpenLotRow: Sendable, Encodable {
        public var symbol: String
        public var lotId: TaxLotID
        public var side: PositionSide
        public var quantity: Decimal6
        public var acquired: MarketDate
        public var adjustedAcquired: MarketDate
        public var basis: Decimal6
        public var washSaleAdjustment: Decimal6
        public var section1256: Bool

        enum CodingKeys: String, CodingKey {
            case symbol, side, quantity, acquired, basis
            case lotId = "lot_id"
            case adjustedAcquired = "adjusted_acquired"
            case washSaleAdjustment = "wash_sale_adjustment"
            case section1256 = "section_1256"
        }

        init(_ lot: TaxLot) {
            symbol = lot.symbol
            lotId = lot.id
            side = lot.side
            quantity = lot.quantity
            acquired = lot.acquired
            adjustedAcquired = lot.adjustedAcquired
            basis = lot.side == .long ? lot.basis + lot.washSaleAdjustment : lot.basis
            washSaleAdjustment = lot.washSaleAdjustment
            section1256 = lot.section1256
        }
    }

    public struct WashSaleRow: Sendable, Encodable {
        public var lossSymbol: String
        public var lossDate: MarketDate
        public var replacementSymbol: String
        public var replacementLotId: TaxLotID
        public var shares: Decimal6
        public var disallowed: Decimal6
        public var adjustedAcquired: MarketDate

        enum CodingKeys: String, CodingKey {
            case shares, disallowed
            case lossSymbol = "loss_symbol"
            case lossDate = "loss_date"
            case replacementSymbol = "replacement_symbol"
            case replacementLotId = "replacement_lot_id"
            case adjustedAcquired = "adjusted_acquired"
        }

        init(_ match: WashSaleMatch) {
            lossSymbol = match.lossSymbol
            lossDate = match.lossDate
            replacementSymbol = match.replacementSymbol
            replacementLotId = match.replacementLot
            shares = match.shares
            disallowed = match.disallowed
            adjustedAcquired = match.adjustedAcquired
        }
    }

    public struct SummaryRow: Sendable, Encodable {
        public var year: Int
        public var total: FiguresRow
        public var bySymbol: [String: FiguresRow]

        enum CodingKeys: String, CodingKey {
            case year, total
            case bySymbol = "by_symbol"
        }

        init(_ summary: TaxSummary) {
            year = summary.year
            total = FiguresRow(summary.total)
            bySymbol = summary.bySymbol.mapValues(FiguresRow.init)
        }
    }

    public struct FiguresRow: Sendable, Encodable {
        public var proceeds: Decimal6
        public var basis: Decimal6
        public var shortTermGain: Decimal6
        public var longTermGain: Decimal6
        public var washSaleDisallowed: Decimal6
        public var section1256Gain: Decimal6
        public var section1256LongTerm: Decimal6
        public var section1256ShortTerm: Decimal6
        public var netShortTerm: Decimal6
        public var netLongTerm: Decimal6

        enum CodingKeys: String, CodingKey {
            case proceeds, basis
            case shortTermGain = "short_term_gain"
            case longTermGain = "long_term_gain"
            case washSaleDisallowed = "wash_sale_disallowed"
            case section1256Gain = "section_1256_gain"
            case section1256LongTerm = "section_1256_long_term"
            case section1256ShortTerm = "section_1256_short_term"
            case netShortTerm = "net_short_term"
            case netLongTerm = "net_long_term"
        }

        init(_ figures: TaxSummary.Figures) {
            proceeds = figures.proceeds
            basis = figures.basis
            shortTermGain = figures.shortTermGain
            longTermGain = figures.longTermGain
            washSaleDisallowed = figures.washSaleDisallowed
            section1256Gain = figures.section1256Gain
            section1256LongTerm = figures.section1256LongTerm
            section1256ShortTerm = figures.section1256ShortTerm
            netShortTerm = figures.netShortTerm
            netLongTerm = figures.netLongTerm
        }
    }
}
