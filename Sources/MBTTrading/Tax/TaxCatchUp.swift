import MBTDomain
import MBTStorage

/// One account's catch-up worked out in memory, between the reads the ledger makes for a whole
/// batch of accounts and the writes it makes for all of them: the book the stored rows reflect,
/// the fills after it, the book they lead to, and the rows that differ.
///
/// Pure, so the one-account hook and the bar loop's batch take exactly the same decisions: apply
/// the new fills to the base book while they come in stream order, and rebuild from every fill
/// when one belongs before fills already applied.
struct TaxCatchUp: Sendable {
    let userId: Int64
    let head: TaxLotStore.Head
    /// The book the stored rows reflect; `nil` when they were never written.
    let base: TaxBook?
    /// The fills after `base`, in stream order: those this catch-up taxes.
    let pending: [TaxFillRecord]
    /// `base` with `pending` applied, or rebuilt from every fill once one came out of order.
    private(set) var next: TaxBook
    /// Whether a pending fill belongs before one `base` holds, so only a rebuild can place it.
    private(set) var outOfOrder = false
    /// Every fill of the user, when they were read (no base in the cache, or a rebuild).
    private(set) var everyFill: [TaxFillRecord]?
    /// The recorded Section 1256 year-end marks.
    let marks: YearEndMarks

    /// Where to start reading a user's fills: after the version when the cache holds the book at
    /// it (only the new fills are needed), else from the first (the base must be rebuilt).
    static func readAfter(_ head: TaxLotStore.Head, cached: TaxBook?) -> Int64 {
        cached == nil ? 0 : head.version ?? 0
    }

    /// Starts from `cached` (the book at the stored version and marked year, if the cache holds
    /// it) and the fills read after ``readAfter(_:cached:)``, and applies the new ones, then every
    /// recorded year-end mark not applied yet.
    init(userId: Int64, head: TaxLotStore.Head, cached: TaxBook?, fills: [TaxFillRecord], marks: YearEndMarks, policy: TaxPolicy) {
        self.userId = userId
        self.head = head
        self.marks = marks
        let method = { (fill: TaxFillRecord) in FillTaxEvents.method(for: fill, accountDefault: head.defaultMethod) }
        if let cached {
            base = cached
            pending = fills
        } else if let version = head.version {
            // The stored rows include the marks through the stored year only.
            base = TaxBook.rebuilt(
                from: fills.filter { $0.fillId <= version }, policy: policy, marks: marks.through(head.markedYear), method: method)
            pending = fills.filter { $0.fillId > version }
            everyFill = fills
        } else {
            base = nil
            pending = fills
            everyFill = fills
        }
        next = base ?? TaxBook(policy: policy)
        for fill in pending where !outOfOrder { outOfOrder = next.consume(fill, method: method(fill), marks: marks) == .outOfOrder }
        if !outOfOrder && !pending.isEmpty { next.mark(before: nil, marks) }
        if outOfOrder, let everyFill { rebuild(from: everyFill, policy: policy) }
    }

    /// Whether a fill came out of order and the user's fills must be read in full to rebuild.
    var needsEveryFill: Bool { outOfOrder && everyFill == nil }

    /// Whether the rows to compare with must be read (they were never written, by this ledger's
    /// version, but rows may exist).
    var needsStoredRows: Bool { base == nil && !pending.isEmpty }

    /// The book to install in the cache once the rows are written; `nil` for a user without fills.
    var book: TaxBook? { pending.isEmpty ? base : next }

    /// Replaces the book with one built from every fill, in stream order.
    mutating func rebuild(from fills: [TaxFillRecord], policy: TaxPolicy) {
        everyFill = fills
        next = TaxBook.rebuilt(from: fills, policy: policy, marks: marks) {
            FillTaxEvents.method(for: $0, accountDefault: head.defaultMethod)
        }
    }

    /// The rows to write: only those the pending fills can change when they were appended in
    /// order, else every row compared (still written only where it differs). `stored` are the
    /// user's rows when ``needsStoredRows``.
    func changes(stored: TaxRowSet?) -> TaxRowChanges {
        guard !pending.isEmpty else { return TaxRowChanges() }
        // A year-end mark changes lots of symbols no pending fill traded: compare every row then.
        if !outOfOrder, let base, base.markedThrough == next.markedThrough {
            let symbols = pending.reduce(into: Set<String>()) { $0.formUnion(next.family(of: $1.symbol)) }
            let keys = TaxRows.changedKeys(from: base, to: next, symbols: symbols)
            return TaxRowChanges(from: TaxRows.rows(of: base, keys), to: TaxRows.rows(of: next, keys))
        }
        return TaxRowChanges(from: base.map(TaxRows.all(of:)) ?? stored ?? TaxRowSet(), to: TaxRows.all(of: next))
    }

    /// The lot methods to record for fills taxed for the first time.
    var unrecordedMethods: [Int64: TaxLotMethod] {
        let taxed = outOfOrder ? everyFill ?? pending : pending
        return Dictionary(
            uniqueKeysWithValues: taxed.filter { $0.recordedLotMethod == nil }.map {
                ($0.fillId, FillTaxEvents.method(for: $0, accountDefault: head.defaultMethod))
            })
    }

    /// The marked year to store, when the rows now include a year they did not.
    var newlyMarkedYear: Int? {
        guard !pending.isEmpty, let year = next.markedThrough, year != head.markedYear else { return nil }
        return year
    }

    /// The pending fills the engine refused, for the log.
    var refused: [UntaxedFill] {
        let ids = Set(pending.map(\.fillId))
        return next.untaxed.filter { ids.contains($0.fillId) }
    }
}

extension YearEndMarks {
    /// The marks of the years up to `year`; none when `year` is `nil`.
    func through(_ year: Int?) -> YearEndMarks {
        guard let year else { return [:] }
        return filter { $0.key <= year }
    }
}
