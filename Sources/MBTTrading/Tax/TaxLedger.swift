import Foundation
import Logging
import MBTDomain
import MBTStorage
import SQLKit

/// The tax engine wired to the ledger (docs/tax-rules.md): the post-fill hook that keeps each user's tax
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
/// **Batches.** The bar loop hands over many accounts at once (``accountsFilled(_:on:)``); their
/// heads, their fills and (for accounts never taxed) their stored rows are read in one statement
/// each, every account's book is advanced in memory exactly as a lone account's would be
/// (``TaxCatchUp``), and all their changed rows are written together, so a batch costs about a
/// dozen statements whatever its size. A lone fill from the submit path is a batch of one.
///
/// **Failures.** A fill the engine refuses (a symbol it cannot classify, an amount out of range)
/// stays in the ledger untaxed and is logged; later fills go on, and other accounts are not
/// affected. The hook works inside a savepoint: if writing the tax rows fails, they are rolled
/// back, logged, and the fills still commit; the versions stay behind, so the next fill (or
/// `mbt tax recalc`) catches up. A batch that fails is tried again account by account, so only
/// the account whose rows cannot be written stays behind.
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
        try await accountsFilled([(order, fill, fillId)], on: db)
    }

    /// Catches up every account of the batch together: the reads and the writes of all of them
    /// take a fixed number of statements, which is what lets the bar loop tax a hundred accounts
    /// per transaction in about the time one took.
    ///
    /// When the batch's writes fail, they are rolled back and each account is tried alone, so one
    /// account whose rows cannot be written does not leave the others behind.
    public func accountsFilled(_ fills: [PostFill], on db: any SQLDatabase) async throws {
        let lastFill = Dictionary(fills.map { ($0.order.userId, $0.fillId) }) { max($0, $1) }
        let userIds = lastFill.keys.sorted()
        guard !userIds.isEmpty else { return }
        if try await caughtUp(userIds, lastFill: lastFill, on: db) || userIds.count == 1 { return }
        for userId in userIds { _ = try await caughtUp([userId], lastFill: lastFill, on: db) }
    }

    /// Catches the users up inside a savepoint; on failure rolls back to it, forgets their books,
    /// logs, and answers `false` (the fills stand; the versions stay behind for the next call).
    private func caughtUp(_ userIds: [Int64], lastFill: [Int64: Int64], on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SAVEPOINT mbt_tax_ledger").run()
        do {
            let books = try await catchUp(userIds: userIds, on: db)
            try await db.raw("RELEASE SAVEPOINT mbt_tax_ledger").run()
            for (userId, book) in books { cache.install(book, for: userId) }
            return true
        } catch {
            try await db.raw("ROLLBACK TO SAVEPOINT mbt_tax_ledger").run()
            try await db.raw("RELEASE SAVEPOINT mbt_tax_ledger").run()
            for userId in userIds { cache.forget(userId) }
            logFailure(error, of: userIds, lastFill: lastFill)
            return false
        }
    }

    /// Brings the users' stored rows up to every fill the transaction sees, in a fixed number of
    /// statements for all of them; returns the books the rows now reflect (none for a user
    /// without fills).
    func catchUp(userIds: [Int64], on db: any SQLDatabase) async throws -> [Int64: TaxBook] {
        var accounts = try await replay(userIds, on: db)
        try await rebuildOutOfOrder(&accounts, on: db)
        let unwritten = accounts.filter(\.needsStoredRows).map(\.userId)
        let stored = unwritten.isEmpty ? [:] : try await store.rows(userIds: unwritten, on: db)
        let taxed = accounts.filter { !$0.pending.isEmpty }
        try await write(
            Dictionary(uniqueKeysWithValues: taxed.map { ($0.userId, $0.changes(stored: stored[$0.userId])) }),
            methods: taxed.reduce(into: [:]) { $0.merge($1.unrecordedMethods) { $1 } },
            versions: taxed.reduce(into: [:]) { $0[$1.userId] = $1.next.version },
            markedYears: taxed.reduce(into: [:]) { $0[$1.userId] = $1.newlyMarkedYear }, on: db)
        for account in taxed { logUntaxed(account.refused, userId: account.userId) }
        return accounts.reduce(into: [:]) { $0[$1.userId] = $1.book }
    }

    /// Reads the users' heads and the fills after what the cache holds of them, and applies the
    /// new fills to each user's base book.
    private func replay(_ userIds: [Int64], on db: any SQLDatabase) async throws -> [TaxCatchUp] {
        let heads = try await store.heads(userIds: userIds, on: db)
        if let missing = userIds.first(where: { heads[$0] == nil }) { throw StorageError.notFound("paper account of user \(missing)") }
        let marks = try await YearEndMarkStore.all(on: db)
        let cached = heads.reduce(into: [Int64: TaxBook]()) { cached, entry in
            cached[entry.key] = cachedBook(of: entry.key, head: entry.value)
        }
        let fills = try await TaxFillStore.fills(
            after: heads.reduce(into: [:]) { $0[$1.key] = TaxCatchUp.readAfter($1.value, cached: cached[$1.key]) }, on: db)
        return try userIds.map { userId in
            guard let head = heads[userId] else { throw StorageError.notFound("paper account of user \(userId)") }
            return TaxCatchUp(userId: userId, head: head, cached: cached[userId], fills: fills[userId] ?? [], marks: marks, policy: policy)
        }
    }

    /// Rebuilds the books of the users whose new fills came out of order and whose fills were
    /// read only from their version on: one more read, for all of them.
    private func rebuildOutOfOrder(_ accounts: inout [TaxCatchUp], on db: any SQLDatabase) async throws {
        let stale = accounts.filter(\.needsEveryFill).map(\.userId)
        guard !stale.isEmpty else { return }
        let fills = try await TaxFillStore.fills(after: Dictionary(uniqueKeysWithValues: stale.map { ($0, 0) }), on: db)
        for index in accounts.indices where accounts[index].needsEveryFill {
            accounts[index].rebuild(from: fills[accounts[index].userId] ?? [], policy: policy)
        }
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
            let book = TaxBook.rebuilt(from: fills, policy: policy, marks: try await YearEndMarkStore.all(on: db), method: method)
            let changes = TaxRowChanges(from: try await store.rows(userId: userId, on: db), to: TaxRows.all(of: book))
            let markedYears = book.markedThrough.map { [userId: $0] } ?? [:]
            try await write([userId: changes], methods: Self.unrecorded(fills, method), versions: [:], markedYears: markedYears, on: db)
            try await store.setVersion(book.version, userId: userId, on: db)
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
            if let book = cachedBook(of: userId, head: head) { return book.state }
            let fills = try await TaxFillStore.fills(userId: userId, through: head.version, on: db)
            let marks = try await YearEndMarkStore.all(on: db).through(head.markedYear)
            let book = TaxBook.rebuilt(from: fills, policy: policy, marks: marks) {
                FillTaxEvents.method(for: $0, accountDefault: head.defaultMethod)
            }
            if head.version != nil { cache.install(book, for: userId, unlessNewer: true) }
            return book.state
        }
    }

    // MARK: - Steps

    /// The cached book of the user when it is the one the stored rows reflect: at their version
    /// and with the marks of the same years.
    private func cachedBook(of userId: Int64, head: TaxLotStore.Head) -> TaxBook? {
        guard let version = head.version, let book = cache.book(of: userId, at: version), book.markedThrough == head.markedYear else {
            return nil
        }
        return book
    }

    /// Writes the users' changed rows, the lot methods of fills taxed for the first time, and the
    /// versions the rows now reflect: all users together, a few statements in all.
    private func write(
        _ changes: [Int64: TaxRowChanges], methods: [Int64: TaxLotMethod], versions: [Int64: Int64], markedYears: [Int64: Int],
        on db: any SQLDatabase
    ) async throws {
        try await store.apply(changes, on: db)
        try await TaxFillStore.recordLotMethods(methods, on: db)
        try await store.setVersions(versions, on: db)
        try await store.setMarkedYears(markedYears, on: db)
    }

    /// The methods to record for fills taxed for the first time.
    private static func unrecorded(_ fills: [TaxFillRecord], _ method: (TaxFillRecord) -> TaxLotMethod) -> [Int64: TaxLotMethod] {
        Dictionary(uniqueKeysWithValues: fills.filter { $0.recordedLotMethod == nil }.map { ($0.fillId, method($0)) })
    }

    /// One account's failure is an error (its rows wait for the next fill or a recalc); a batch's
    /// is a warning, since each of its accounts is tried again alone.
    private func logFailure(_ error: any Error, of userIds: [Int64], lastFill: [Int64: Int64]) {
        guard userIds.count == 1, let userId = userIds.first else {
            logger.warning(
                "tax rows of a batch of accounts not updated; trying each account alone",
                metadata: ["accounts": "\(userIds.count)", "error": "\(error)"])
            return
        }
        logger.error(
            "tax rows not updated; the fill stands and the next fill or mbt tax recalc catches up",
            metadata: ["user_id": "\(userId)", "fill_id": "\(lastFill[userId] ?? 0)", "error": "\(error)"])
    }

    private func logUntaxed(_ refused: [UntaxedFill], userId: Int64) {
        for untaxed in refused {
            logger.warning(
                "fill not taxed: the tax engine refused it",
                metadata: ["user_id": "\(userId)", "fill_id": "\(untaxed.fillId)", "reason": "\(untaxed.reason)"])
        }
    }
}
