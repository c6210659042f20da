import MBTDomain
import MBTStorage

/// One user's tax ledger in memory: the engine's state after a prefix of their fill stream, and
/// the bookkeeping that turns the next fills into events and the state into rows.
///
/// A value: the post-fill hook consumes fills on a copy and installs the copy only once its rows
/// are written, so a failed write leaves the cached book as it was.
struct TaxBook: Sendable {
    private(set) var state: TaxState
    /// The highest fill id consumed; `nil` before the first. The stored rows carry the same
    /// number (`paper_accounts.tax_last_fill_id`), which is how the hook knows a cached book
    /// matches them.
    private(set) var version: Int64?
    /// How many fills were consumed (taxed or not): the next fill's rank in the stream.
    private(set) var consumed: Int64 = 0
    /// The last fill consumed, as (microseconds, id): a fill must come after it to be applied.
    private(set) var last: StreamPoint?
    /// The lot method each closing fill used (by fill id), for the dispositions' rows.
    private(set) var methods: [Int64: TaxLotMethod] = [:]
    /// Positions in `state.dispositions` of each lot's sold pieces, in sale order.
    private(set) var dispositionsByLot: [TaxLotID: [Int]] = [:]
    /// The symbols traded per underlying: a fill can change rows of its underlying only.
    private(set) var symbolsByUnderlying: [String: Set<String>] = [:]
    /// Fills the engine refused; they stay in the ledger, untaxed.
    private(set) var untaxed: [UntaxedFill] = []
    /// The last year whose Section 1256 year-end marks the state includes; `nil` before any. The
    /// stored rows say the same (`paper_accounts.tax_marked_year`).
    private(set) var markedThrough: Int?

    /// A place in the stream: fills are ordered by timestamp, then id.
    struct StreamPoint: Sendable, Comparable {
        var microseconds: Int64
        var fillId: Int64

        static func < (lhs: StreamPoint, rhs: StreamPoint) -> Bool {
            (lhs.microseconds, lhs.fillId) < (rhs.microseconds, rhs.fillId)
        }
    }

    init(policy: TaxPolicy) {
        state = TaxState(policy: policy)
    }

    /// What happened to a fill offered to ``consume(_:method:)``.
    enum Outcome: Sendable, Equatable {
        case taxed
        /// The engine refused it (nothing changed); it counts as consumed.
        case untaxed(String)
        /// It belongs before fills already consumed; nothing changed, and only a rebuild can place it.
        case outOfOrder
    }

    /// Applies the next fill of the stream, after the year-end marks of the years before its own
    /// (a fill dated in a year already marked can only be placed by a rebuild). A fill's events
    /// apply together or not at all.
    mutating func consume(_ fill: TaxFillRecord, method: TaxLotMethod, marks: YearEndMarks) -> Outcome {
        let point = StreamPoint(microseconds: fill.microseconds, fillId: fill.fillId)
        if let last, point <= last { return .outOfOrder }
        let year = MarketDate(containing: fill.timestamp).year
        if let markedThrough, year <= markedThrough { return .outOfOrder }
        mark(before: year, marks)
        let events = FillTaxEvents.events(for: fill, rank: consumed, method: method, in: state)
        var next = state
        var outcome = Outcome.taxed
        do {
            for event in events { try next.apply(event) }
            record(fill, method: method, events: events, from: state.dispositions.count, in: next)
            state = next
        } catch {
            outcome = .untaxed(error.reason)
            untaxed.append(UntaxedFill(fillId: fill.fillId, reason: error.reason))
        }
        consumed += 1
        last = point
        version = max(version ?? fill.fillId, fill.fillId)
        return outcome
    }

    private mutating func record(_ fill: TaxFillRecord, method: TaxLotMethod, events: [TaxEvent], from first: Int, in next: TaxState) {
        if events.contains(where: \.action.closesLots) { methods[fill.fillId] = method }
        for index in first..<next.dispositions.count { dispositionsByLot[next.dispositions[index].lotId, default: []].append(index) }
        if let instrument = TaxInstrument(symbol: fill.symbol) {
            symbolsByUnderlying[instrument.underlying, default: []].insert(fill.symbol)
        }
    }

    /// Marks the open Section 1256 contracts at the end of each year of `marks` not marked yet
    /// and before `year` (every year when `nil`), in year order (`TaxState.markToMarket`). A year
    /// the engine cannot mark (a contract held without a recorded price) stops the marking there,
    /// so no later year is marked before it.
    mutating func mark(before year: Int?, _ marks: YearEndMarks) {
        for (markYear, prices) in marks.sorted(by: { $0.key < $1.key }) where markYear > (markedThrough ?? .min) {
            if let year, markYear >= year { return }
            var next = state
            do {
                try next.markToMarket(year: markYear, prices: prices)
            } catch {
                return
            }
            for index in state.dispositions.count..<next.dispositions.count {
                dispositionsByLot[next.dispositions[index].lotId, default: []].append(index)
            }
            state = next
            markedThrough = markYear
        }
    }

    /// The book after `fills` (in stream order), each taxed with the method `method` picks, and
    /// every year of `marks` marked in its place.
    static func rebuilt(
        from fills: [TaxFillRecord], policy: TaxPolicy, marks: YearEndMarks, method: (TaxFillRecord) -> TaxLotMethod
    ) -> TaxBook {
        var book = TaxBook(policy: policy)
        for fill in fills { _ = book.consume(fill, method: method(fill), marks: marks) }
        book.mark(before: nil, marks)
        return book
    }

    /// The symbols whose rows a fill of `symbol` can change: those of its underlying.
    func family(of symbol: String) -> Set<String> {
        guard let instrument = TaxInstrument(symbol: symbol) else { return [symbol] }
        return symbolsByUnderlying[instrument.underlying, default: []].union([symbol])
    }

    /// The trade date lot `id` of `symbol` was opened, from its open remainder or a sold piece.
    func acquired(_ id: TaxLotID, symbol: String) -> MarketDate? {
        if let index = dispositionsByLot[id]?.first { return state.dispositions[index].acquired }
        return state.openLots(symbol: symbol).first { $0.id == id }?.acquired
    }
}

/// A fill the tax engine refused (e.g. a symbol it cannot classify), with the engine's reason.
public struct UntaxedFill: Sendable, Hashable {
    public let fillId: Int64
    public let reason: String
}
