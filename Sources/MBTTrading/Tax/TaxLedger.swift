import Foundation
import Logging
import MBTDomain
import MBTStorage
import SQLKit

/// The tax engine wired to the ledger (SPEC §3.6): the post-fill hook that keeps each user's tax
/// tables equal to what the engine makes of their fills, the recalculation that rebuilds them,
/// and the engine state the tax reports read.
///
/// **Version check.** `paper_accounts.tax_last_fill_id` names the highest fill the stored rows
/// reflect. A process keeps each user's ``TaxBook`` in memory tagged with the same number and
/// uses it only when the numbers agree; otherwise it rebuilds the book from the fills up to the
/// stored version (pure and fast), which by construction is what the stored rows were made from.
/// The hook runs inside the fill's transaction with the account locked, so one user's fills are
/// serialised, their ids grow in commit order, and "the fills after the version" are exactly
/// those not yet taxed: the new fill, plus any committed without the hook. A book is installed
/// in the cache before the transaction commits; if it then rolls back, the stored version stays
/// behind the cached one and the next call rebuilds.
///
/// **What is written.** New fills are applied in stream order (timestamp, then id) to a copy of
/// the book, and only the rows they can change are compared and written (``TaxRows/changedKeys(from:to:symbols:)``):
/// the lots of the fills' underlyings, new dispositions and wash sales, and the loss sales a new
/// wash sale reaches back to (a purchase re-opens the treatment of a loss sold up to 30 days
/// before). A fill dated before one already applied (a catch-up fill from the bar loop) cannot be
/// appended: the book is rebuilt from all fills and every row compared; still only rows that
/// differ are written, in place.
///
/// **Failures.** A fill the engine refuses (a symbol it cannot classify, an amount out of range)
/// stays in the ledger untaxed and is logged; later fills go on. The hook works inside a
/// savepoint: if writing the tax rows fails, they are rolled back, logged, and the fill still
/// commits; the version stays behind, so the next fill (or `mbt tax recalc`) catches up.
public struct TaxLedger: PostFillHook {
    public let database: any DatabaseClient
    public let policy: TaxPolicy
    private let store: TaxLotStore
    private let cache: TaxBookCache
    private let logger: Logger

    public init(
        database: any DatabaseClient, policy: TaxPolicy = .default, cacheCapacity: Int = 1_000, logger: Logger = Logger(label: "mbt.tax")
    ) {
        self.database = database
        self.policy = policy
        self.store = TaxLotStore(database: database)
        self.cache = TaxBookCache(capacity: cacheCapacity)
        self.logger = logger
    }

    // MARK: - The post-fill hook

    public func orderFilled(_ order: PaperOrder, fill: Fill, fillId: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("SAVEPOINT mbt_tax_ledger").run()
        do {
            let book = try await catchUp(userId: order.userId, on: db)
            try await db.raw("RELEASE SAVEPOINT mbt_tax_ledger").run()
            if let book { cache.install(book, for: order.userId) }
        } catch {
            try await db.raw("ROLLBACK TO SAVEPOINT mbt_tax_ledger").run()
            try await db.raw("RELEASE SAVEPOINT mbt_tax_ledger").run()
            cache.forget(order.userId)
            logger.error(
                "tax rows not updated; the fill stands and the next fill or mbt tax recalc catches up",
                metadata: ["user_id": "\(order.userId)", "fill_id": "\(fillId)", "error": "\(error)"])
        }
    }

    /// Brings the user's stored rows up to every fill the transaction sees; returns the book they
    /// now reflect (`nil` for a user without fills).
    func catchUp(userId: Int64, on db: any SQLDatabase) async throws -> TaxBook? {
        let head = try await store.head(userId: userId, on: db)
        let (base, pending) = try await baseBook(userId: userId, head: head, on: db)
        guard !pending.isEmpty else { return base }
        let method = { (fill: TaxFillRecord) in FillTaxEvents.method(for: fill, accountDefault: head.defaultMethod) }
        var next = base ?? TaxBook(policy: policy)
        var inOrder = true
        for fill in pending where inOrder { inOrder = next.consume(fill, method: method(fill)) != .outOfOrder }
        let changes: TaxRowChanges
        var taxed = pending
        if inOrder, let base {
            let symbols = pending.reduce(into: Set<String>()) { $0.formUnion(next.family(of: $1.symbol)) }
            let keys = TaxRows.changedKeys(from: base, to: next, symbols: symbols)
            changes = TaxRowChanges(from: TaxRows.rows(of: base, keys), to: TaxRows.rows(of: next, keys))
        } else {
            if !inOrder {
                taxed = try await TaxFillStore.fills(userId: userId, on: db)
                next = TaxBook.rebuilt(from: taxed, policy: policy, method: method)
            }
            let stored = if let base { TaxRows.all(of: base) } else { try await store.rows(userId: userId, on: db) }
            changes = TaxRowChanges(from: stored, to: TaxRows.all(of: next))
        }
        try await write(changes, book: next, methods: Self.unrecorded(taxed, method), userId: userId, on: db)
        logUntaxed(next, among: Set(pending.map(\.fillId)), userId: userId)
        return next
    }

    /// The book the stored rows reflect (from the cache, or rebuilt from the fills up to the stored
    /// version; `nil` when the rows were never written) and the fills after it.
    private func baseBook(userId: Int64, head: TaxLotStore.Head, on db: any SQLDatabase) async throws -> (TaxBook?, [TaxFillRecord]) {
        guard let version = head.version else { return (nil, try await TaxFillStore.fills(userId: userId, on: db)) }
        if let cached = cache.book(of: userId, at: version) {
            return (cached, try await TaxFillStore.fills(userId: userId, after: version, on: db))
        }
        let fills = try await TaxFillStore.fills(userId: userId, on: db)
        let base = TaxBook.rebuilt(from: fills.filter { $0.fillId <= version }, policy: policy) {
            FillTaxEvents.method(for: $0, accountDefault: head.defaultMethod)
        }
        return (base, fills.filter { $0.fillId > version })
    }

    // MARK: - Recalculation

    /// What a recalculation found and did.
    public struct RecalcReport: Sendable, Equatable {
        /// Fills replayed.
        public let fills: Int
        public let untaxed: [UntaxedFill]
        public let rowsWritten: Int
        public let rowsDeleted: Int
        /// Rows that changed although they lie more than the 30-day wash-sale window before `from`:
        /// fills on or after `from` cannot reach them, so these were wrong in the database.
        public let repairedBeforeFrom: Int
        /// The highest fill id the rows now reflect.
        public let version: Int64?
    }

    /// Rebuilds the user's tax rows from all of their fills, under the account's lock, and writes
    /// the rows that differ from the stored ones.
    ///
    /// `from` is the first trade date whose fills the caller knows changed (the end-of-day job
    /// passes the day). The whole stream is replayed regardless, since a lot bought before `from`
    /// can be sold after it; and since only differing rows are written and row keys before a date
    /// do not move when fills are added after it, rows more than 30 days (the wash-sale window)
    /// before `from` are unchanged by construction. Any that do change are counted in
    /// ``RecalcReport/repairedBeforeFrom`` and logged: they mean the stored rows had been wrong.
    public func recalc(userId: Int64, from: MarketDate? = nil) async throws -> RecalcReport {
        let (book, report) = try await database.withTransaction { db in
            _ = try await AccountStore(database: database).lockForTrading(userId: userId, on: db)
            let head = try await store.head(userId: userId, on: db)
            let fills = try await TaxFillStore.fills(userId: userId, on: db)
            let method = { (fill: TaxFillRecord) in FillTaxEvents.method(for: fill, accountDefault: head.defaultMethod) }
            let book = TaxBook.rebuilt(from: fills, policy: policy, method: method)
            let changes = TaxRowChanges(from: try await store.rows(userId: userId, on: db), to: TaxRows.all(of: book))
            try await write(changes, book: book, methods: Self.unrecorded(fills, method), userId: userId, on: db)
            let report = RecalcReport(
                fills: fills.count, untaxed: book.untaxed, rowsWritten: changes.rowsWritten, rowsDeleted: changes.rowsDeleted,
                repairedBeforeFrom: from.map { Self.rowsChanged(changes, before: $0.adding(days: -30)) } ?? 0, version: book.version)
            return (book, report)
        }
        cache.install(book, for: userId)
        if report.repairedBeforeFrom > 0 {
            logger.warning("tax recalc repaired rows that fills after its start date cannot reach", metadata: ["user_id": "\(userId)"])
        }
        return report
    }

    /// Written rows dated before `cutoff`: dispositions sold and lots closed before it.
    private static func rowsChanged(_ changes: TaxRowChanges, before cutoff: MarketDate) -> Int {
        changes.dispositions.filter { $0.disposed < cutoff }.count + changes.lots.filter { ($0.closed ?? cutoff) < cutoff }.count
    }

    // MARK: - Reading

    /// The engine's state for the user's fills as the stored rows reflect them (the cached book
    /// when it is current, else rebuilt from the fills up to the stored version): what the tax
    /// summary and Form 8949 are computed from, so they agree with the stored lots.
    public func state(of userId: Int64) async throws -> TaxState {
        try await database.withConnection { db in
            let head = try await store.head(userId: userId, on: db)
            if let version = head.version, let book = cache.book(of: userId, at: version) { return book.state }
            let fills = try await TaxFillStore.fills(userId: userId, through: head.version, on: db)
            let book = TaxBook.rebuilt(from: fills, policy: policy) { FillTaxEvents.method(for: $0, accountDefault: head.defaultMethod) }
            if head.version != nil { cache.install(book, for: userId, unlessNewer: true) }
            return book.state
        }
    }

    // MARK: - Steps

    private func write(_ changes: TaxRowChanges, book: TaxBook, methods: [Int64: TaxLotMethod], userId: Int64, on db: any SQLDatabase)
        async throws
    {
        try await store.apply(changes, userId: userId, on: db)
        try await TaxFillStore.recordLotMethods(methods, on: db)
        try await store.setVersion(book.version, userId: userId, on: db)
    }

    /// The methods to record for fills taxed for the first time.
    private static func unrecorded(_ fills: [TaxFillRecord], _ method: (TaxFillRecord) -> TaxLotMethod) -> [Int64: TaxLotMethod] {
        Dictionary(uniqueKeysWithValues: fills.filter { $0.recordedLotMethod == nil }.map { ($0.fillId, method($0)) })
    }

    private func logUntaxed(_ book: TaxBook, among fillIds: Set<Int64>, userId: Int64) {
        for untaxed in book.untaxed where fillIds.contains(untaxed.fillId) {
            logger.warning(
                "fill not taxed: the tax engine refused it",
                metadata: ["user_id": "\(userId)", "fill_id": "\(untaxed.fillId)", "reason": "\(untaxed.reason)"])
        }
    }
}
