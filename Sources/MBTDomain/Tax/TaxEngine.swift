/// The tax engine's entry point: a pure function from an account's event stream to its tax state.
///
/// No I/O, no clock, no database: the caller passes every fill (and the year-end prices of open
/// Section 1256 contracts) and gets lots, dispositions and wash sales back. The order engine's
/// post-fill hook keeps a ``TaxState`` and calls ``TaxState/apply(_:)`` per fill; the end-of-day
/// recalculation calls ``run(_:yearEndMarks:)``; both give the same state.
///
/// Money: every amount is a ``Decimal6``. A fill's gross amount (`price × 100 × contracts`, or
/// `price × shares`) is rounded half-even to six decimals once; from there amounts are only split
/// (``ProRata``: cumulative half-even shares whose parts add up exactly) and added, so no split,
/// partial sale or wash-sale move creates or loses a micro-unit.
public struct TaxEngine: Sendable {
    public let policy: TaxPolicy
    public let defaultMethod: TaxLotMethod

    public init(policy: TaxPolicy = .default, defaultMethod: TaxLotMethod = .fifo) {
        self.policy = policy
        self.defaultMethod = defaultMethod
    }

    /// An empty state under this engine's policy, for applying events one by one.
    public func emptyState() -> TaxState {
        TaxState(policy: policy, defaultMethod: defaultMethod)
    }

    /// Full rebuild from an event stream, in any order: events are applied by trade date, then
    /// sequence, and the open Section 1256 contracts are marked at the end of each year in
    /// `yearEndMarks` (year → symbol → price per share) once that year's events are in.
    public func run(_ events: [TaxEvent], yearEndMarks: [Int: [String: Decimal6]] = [:]) throws(TaxEngineError) -> TaxState {
        var state = emptyState()
        let marks = yearEndMarks.sorted { $0.key < $1.key }
        var nextMark = 0
        for event in Self.inStreamOrder(events) {
            while nextMark < marks.count, marks[nextMark].key < event.date.year {
                try state.markToMarket(year: marks[nextMark].key, prices: marks[nextMark].value)
                nextMark += 1
            }
            try state.apply(event)
        }
        for (year, prices) in marks[nextMark...] { try state.markToMarket(year: year, prices: prices) }
        return state
    }

    /// `events` by trade date, then sequence; returned as is when already in order.
    public static func inStreamOrder(_ events: [TaxEvent]) -> [TaxEvent] {
        let inOrder = zip(events, events.dropFirst()).allSatisfy { $0.key <= $1.key }
        return inOrder ? events : events.sorted { $0.key < $1.key }
    }
}
