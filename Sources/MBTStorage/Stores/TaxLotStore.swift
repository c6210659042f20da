import Foundation
import MBTDomain
import SQLKit

/// The tax tables of one user (`tax_lots`, `tax_lot_dispositions`, `wash_sale_lots`,
/// `holding_period_classifications`), read and written as ``TaxRowSet``s, and the version that
/// says which fills the stored rows reflect.
///
/// Writes happen in the caller's transaction. Rows are upserted on their stable keys, so a row
/// that changes is updated in place and the foreign keys that point at it stay; deletions run
/// last, after every kept row points at kept rows, so no cascade removes a row that stays.
/// Trade dates are stored in the `TIMESTAMPTZ` columns as the instant New York midnight starts
/// that day.
public struct TaxLotStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// Binds per statement, below both databases' limits (SQLite: 32766, PostgreSQL: 65535): a
    /// batch of many users' rows then takes a few statements, not one per user.
    static let bindsPerStatement = 30_000

    /// A row's stable key within its user's rows: rows of several users are written together.
    struct UserKey<Key: BatchKey>: Hashable, Sendable {
        var userId: Int64
        var key: Key
    }

    // MARK: - Version

    /// Where a user's tax rows stand: the highest fill id they reflect (`nil`: never written) and
    /// the account's default lot method.
    public struct Head: Sendable, Equatable {
        public let version: Int64?
        public let defaultMethod: TaxLotMethod
        /// The last year whose Section 1256 year-end marks the stored rows include.
        public let markedYear: Int?

        public init(version: Int64?, defaultMethod: TaxLotMethod, markedYear: Int? = nil) {
            self.version = version
            self.defaultMethod = defaultMethod
            self.markedYear = markedYear
        }
    }

    public func head(userId: Int64, on db: any SQLDatabase) async throws -> Head {
        guard let head = try await heads(userIds: [userId], on: db)[userId] else {
            throw StorageError.notFound("paper account of user \(userId)")
        }
        return head
    }

    /// The heads of the users' accounts; a user without an account has none.
    public func heads(userIds: [Int64], on db: any SQLDatabase) async throws -> [Int64: Head] {
        var heads: [Int64: Head] = [:]
        for chunk in userIds.chunked(into: Self.bindsPerStatement) {
            let rows = try await db.select().columns("user_id", "tax_last_fill_id", "default_tax_lot_method", "tax_marked_year").from(
                "paper_accounts"
            )
            .where("user_id", .in, SQLBind.group(chunk)).all()
            for row in rows {
                heads[try row.decode(column: "user_id", as: Int64.self)] = Head(
                    version: try row.decode(column: "tax_last_fill_id", as: Int64?.self),
                    defaultMethod: try row.enumValue("default_tax_lot_method", as: TaxLotMethod.self),
                    markedYear: try row.decode(column: "tax_marked_year", as: Int?.self))
            }
        }
        return heads
    }

    public func setVersion(_ version: Int64?, userId: Int64, on db: any SQLDatabase) async throws {
        try await db.update("paper_accounts").set("tax_last_fill_id", to: SQLBind(version)).where("user_id", .equal, SQLBind(userId)).run()
    }

    /// Sets the last year whose marks the users' rows include (once a year per account at most).
    public func setMarkedYears(_ years: [Int64: Int], on db: any SQLDatabase) async throws {
        for (userId, year) in years.sorted(by: { $0.key < $1.key }) {
            try await db.update("paper_accounts").set("tax_marked_year", to: SQLBind(year)).where("user_id", .equal, SQLBind(userId)).run()
        }
    }

    /// Sets the versions of many users in one statement.
    public func setVersions(_ versions: [Int64: Int64], on db: any SQLDatabase) async throws {
        let sorted = versions.sorted { $0.key < $1.key }
        let rows = BatchRows(["account_user_id": .int(sorted.map(\.key)), "version": .int(sorted.map(\.value))])
        for range in rows.chunks(on: db) {
            var query: SQLQueryString = "WITH v(account_user_id, version) AS ("
            query += rows.source(range, on: db)
            query += ") UPDATE paper_accounts SET tax_last_fill_id = v.version FROM v WHERE paper_accounts.user_id = v.account_user_id"
            try await db.raw(query).run()
        }
    }

    // MARK: - Reading

    /// Every tax row of the user that the ledger keys (rows without keys are not the ledger's).
    public func rows(userId: Int64) async throws -> TaxRowSet {
        try await database.withConnection { db in try await rows(userId: userId, on: db) }
    }

    public func rows(userId: Int64, on db: any SQLDatabase) async throws -> TaxRowSet {
        try await rows(userIds: [userId], on: db)[userId] ?? TaxRowSet()
    }

    /// The keyed tax rows of each of the users, in three statements (per bind limit) for all of
    /// them; a user without rows has an empty set. Dispositions and wash sales are read only for
    /// users with keyed lots, since every keyed one names such a lot: a batch of accounts never
    /// taxed before costs one statement.
    public func rows(userIds: [Int64], on db: any SQLDatabase) async throws -> [Int64: TaxRowSet] {
        var sets = Dictionary(uniqueKeysWithValues: userIds.map { ($0, TaxRowSet()) })
        for chunk in userIds.chunked(into: Self.bindsPerStatement) {
            for (userId, lot) in try await lots(userIds: chunk, on: db) { sets[userId]?.lots[lot.lotKey] = lot }
            let holders = chunk.filter { sets[$0]?.lots.isEmpty == false }
            guard !holders.isEmpty else { continue }
            for (userId, row) in try await dispositions(userIds: holders, on: db) { sets[userId]?.dispositions[row.seq] = row }
            for (userId, row) in try await washSales(userIds: holders, on: db) { sets[userId]?.washSales[row.seq] = row }
        }
        return sets
    }

    /// Sum of the user's realized gains and losses after wash-sale disallowance, all years.
    public func realizedGain(userId: Int64) async throws -> Decimal6 {
        try await database.withConnection { db in
            let total = SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("gain")), SQLLiteral.numeric("0"))
            let row = try await db.select().column(SQLAlias(total, as: SQLIdentifier("total"))).from("tax_lot_dispositions")
                .where("user_id", .equal, SQLBind(userId)).first()
            return try row?.decimal("total") ?? .zero
        }
    }

    /// The gain or loss each order realized (after wash-sale disallowance, as ``realizedGain(userId:)``
    /// counts it): the dispositions its closing fills made, a multi-leg order's through its legs.
    /// Orders that closed nothing are absent.
    public func realizedGain(orderIds: [Int64], userId: Int64) async throws -> [Int64: Decimal6] {
        guard !orderIds.isEmpty else { return [:] }
        return try await database.withConnection { db in
            var gains: [Int64: Decimal6] = [:]
            let rows = try await db.raw(
                """
                SELECT COALESCE(o.parent_order_id, o.id) AS order_id, SUM(d.gain) AS gain
                FROM tax_lot_dispositions d JOIN paper_fills f ON f.id = d.close_fill_id JOIN paper_orders o ON o.id = f.paper_order_id
                WHERE d.user_id = \(bind: userId) AND COALESCE(o.parent_order_id, o.id) IN (\(binds: orderIds))
                GROUP BY COALESCE(o.parent_order_id, o.id)
                """
            ).all()
            for row in rows { gains[try row.decode(column: "order_id", as: Int64.self)] = try row.decimal("gain") }
            return gains
        }
    }

    private func lots(userIds: [Int64], on db: any SQLDatabase) async throws -> [(Int64, TaxLotRecord)] {
        try await db.select().columns((["user_id"] + Self.lotColumns).map { SQLColumn($0) }).from("tax_lots")
            .where("user_id", .in, SQLBind.group(userIds)).where("lot_key", .isNot, SQLLiteral.null)
            .all().map { (try $0.decode(column: "user_id", as: Int64.self), try Self.decodeLot($0)) }
    }

    private func dispositions(userIds: [Int64], on db: any SQLDatabase) async throws -> [(Int64, TaxDispositionRecord)] {
        try await db.raw(
            """
            SELECT d.user_id, d.seq, l.lot_key, d.close_fill_id, d.kind, d.lot_method, d.qty, d.proceeds, d.cost_basis, d.gain,
                   d.wash_sale_disallowed, d.wash_sale_adjustment, d.adjusted_acquired_at, d.disposed_at,
                   h.term, h.holding_days, h.short_term_gain, h.long_term_gain, h.tax_year
            FROM tax_lot_dispositions d
            JOIN tax_lots l ON l.id = d.tax_lot_id
            LEFT JOIN holding_period_classifications h ON h.disposition_id = d.id
            WHERE d.user_id IN (\(binds: userIds)) AND d.seq IS NOT NULL AND l.lot_key IS NOT NULL
            """
        ).all().map { (try $0.decode(column: "user_id", as: Int64.self), try Self.decodeDisposition($0)) }
    }

    private func washSales(userIds: [Int64], on db: any SQLDatabase) async throws -> [(Int64, WashSaleRecord)] {
        try await db.raw(
            """
            SELECT w.user_id, w.seq, d.seq AS loss_seq, l.lot_key, w.qty, w.disallowed_loss, w.holding_days_carried
            FROM wash_sale_lots w
            JOIN tax_lot_dispositions d ON d.id = w.loss_disposition_id
            JOIN tax_lots l ON l.id = w.replacement_lot_id
            WHERE w.user_id IN (\(binds: userIds)) AND w.seq IS NOT NULL AND d.seq IS NOT NULL AND l.lot_key IS NOT NULL
            """
        ).all().map { (try $0.decode(column: "user_id", as: Int64.self), try Self.decodeWashSale($0)) }
    }

    // MARK: - Writing

    /// Applies `changes` to the user's rows in the caller's transaction.
    public func apply(_ changes: TaxRowChanges, userId: Int64, on db: any SQLDatabase) async throws {
        try await apply([userId: changes], on: db)
    }

    /// Applies each user's changes in the caller's transaction, all users' rows of a kind in one
    /// statement (per bind limit): the bar loop catches up a hundred accounts at once, and a
    /// fixed number of round trips is what keeps that cheap.
    public func apply(_ changes: [Int64: TaxRowChanges], on db: any SQLDatabase) async throws {
        let changes = changes.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard !changes.isEmpty else { return }
        func rows<Row>(_ path: KeyPath<TaxRowChanges, [Row]>) -> [(Int64, Row)] {
            changes.flatMap { user in user.value[keyPath: path].map { (user.key, $0) } }
        }
        let lots = try await lotIds(upserting: rows(\.lots), naming: rows(\.dispositions), rows(\.washSales), on: db)
        let dispositions = try await dispositionIds(upserting: rows(\.dispositions), lotIds: lots, naming: rows(\.washSales), on: db)
        try await upsert(rows(\.washSales), dispositionIds: dispositions, lotIds: lots, on: db)
        try await delete(from: "wash_sale_lots", key: "seq", values: rows(\.removedWashSales), on: db)
        try await delete(from: "tax_lot_dispositions", key: "seq", values: rows(\.removedDispositions), on: db)
        try await delete(from: "tax_lots", key: "lot_key", values: rows(\.removedLots), on: db)
    }

    /// Upserts lots; returns the row ids the dispositions and wash sales need: of the lots they
    /// name (upserted or not). Without any, the upsert returns nothing (a batch of purchases).
    private func lotIds(
        upserting lots: [(Int64, TaxLotRecord)], naming dispositions: [(Int64, TaxDispositionRecord)],
        _ washSales: [(Int64, WashSaleRecord)],
        on db: any SQLDatabase
    ) async throws -> [UserKey<String>: Int64] {
        let named =
            dispositions.map { UserKey(userId: $0.0, key: $0.1.lotKey) }
            + washSales.map { UserKey(userId: $0.0, key: $0.1.replacementLotKey) }
        var ids = try await upsert(lots, returningIds: !named.isEmpty, on: db)
        let needed = Set(named).subtracting(ids.keys)
        ids.merge(try await self.ids(in: "tax_lots", key: "lot_key", values: Array(needed), on: db)) { $1 }
        return ids
    }

    /// Upserts dispositions and their classifications; returns the row ids of those and of the
    /// other dispositions the wash sales name.
    private func dispositionIds(
        upserting dispositions: [(Int64, TaxDispositionRecord)], lotIds: [UserKey<String>: Int64],
        naming washSales: [(Int64, WashSaleRecord)],
        on db: any SQLDatabase
    ) async throws -> [UserKey<Int64>: Int64] {
        var ids = try await upsert(dispositions, lotIds: lotIds, on: db)
        let needed = Set(washSales.map { UserKey(userId: $0.0, key: $0.1.lossDispositionSeq) }).subtracting(ids.keys)
        ids.merge(try await self.ids(in: "tax_lot_dispositions", key: "seq", values: Array(needed), on: db)) { $1 }
        return ids
    }

    /// Upserts lots; returns their row ids by user and lot key, if asked.
    private func upsert(_ lots: [(Int64, TaxLotRecord)], returningIds: Bool, on db: any SQLDatabase) async throws
        -> [UserKey<String>: Int64]
    {
        let rows = try await Self.upsert(
            Self.lotRows(lots), into: "tax_lots", conflict: ["user_id", "lot_key"], returning: returningIds ? "lot_key" : nil, on: db)
        return try Self.ids(rows, key: "lot_key")
    }

    /// Upserts dispositions and their classifications; returns their row ids by user and seq.
    private func upsert(
        _ dispositions: [(Int64, TaxDispositionRecord)], lotIds: [UserKey<String>: Int64], on db: any SQLDatabase
    ) async throws -> [UserKey<Int64>: Int64] {
        let lots = try dispositions.map { userId, disposition in
            guard let lotId = lotIds[UserKey(userId: userId, key: disposition.lotKey)] else {
                throw StorageError.corruptValue("disposition \(disposition.seq) names lot \(disposition.lotKey), which has no row")
            }
            return lotId
        }
        let rows = try await Self.upsert(
            Self.dispositionRows(dispositions, lotIds: lots), into: "tax_lot_dispositions", conflict: ["user_id", "seq"], returning: "seq",
            on: db)
        let ids: [UserKey<Int64>: Int64] = try Self.ids(rows, key: "seq")
        let classified = try dispositions.compactMap { userId, record -> (Int64, Int64, TaxDispositionRecord.Classification)? in
            guard let classification = record.classification else { return nil }
            guard let id = ids[UserKey(userId: userId, key: record.seq)] else {
                throw StorageError.corruptValue("disposition \(record.seq) of user \(userId) came back from its insert without an id")
            }
            return (userId, id, classification)
        }
        _ = try await Self.upsert(
            Self.classificationRows(classified), into: "holding_period_classifications", conflict: ["disposition_id"], returning: nil,
            on: db)
        return ids
    }

    private func upsert(
        _ washSales: [(Int64, WashSaleRecord)], dispositionIds: [UserKey<Int64>: Int64], lotIds: [UserKey<String>: Int64],
        on db: any SQLDatabase
    ) async throws {
        let links = try washSales.map { userId, wash in
            guard let loss = dispositionIds[UserKey(userId: userId, key: wash.lossDispositionSeq)],
                let replacement = lotIds[UserKey(userId: userId, key: wash.replacementLotKey)]
            else {
                throw StorageError.corruptValue("wash sale \(wash.seq) names a disposition or lot that has no row")
            }
            return (loss: loss, replacement: replacement)
        }
        _ = try await Self.upsert(
            Self.washSaleRows(washSales, links: links), into: "wash_sale_lots", conflict: ["user_id", "seq"], returning: nil, on: db)
    }

    /// Inserts `rows` into `table`, updating in place the row that has the same `conflict` key (so
    /// the foreign keys pointing at it stay); returns each row's `id`, `user_id` and `returning`.
    private static func upsert(
        _ rows: BatchRows, into table: String, conflict: [String], returning: String?, on db: any SQLDatabase
    ) async throws -> [any SQLRow] {
        let updates = rows.names.filter { !conflict.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        var returned: [any SQLRow] = []
        for range in rows.chunks(on: db) {
            var query: SQLQueryString = "INSERT INTO \(ident: table) (\(idents: rows.names, joinedBy: ", ")) "
            query += rows.source(range, on: db)
            query += " ON CONFLICT (\(idents: conflict, joinedBy: ", ")) DO UPDATE SET \(unsafeRaw: updates)"
            if let returning { query += " RETURNING id, user_id, \(ident: returning)" }
            returned += try await db.raw(query).all()
        }
        return returned
    }

    /// Row ids of the rows in `table` whose (user, `key`) pair is one of `keys`.
    private func ids<Key: BatchKey>(in table: String, key: String, values keys: [UserKey<Key>], on db: any SQLDatabase) async throws
        -> [UserKey<Key>: Int64]
    {
        let rows = Self.keyRows(keys)
        var ids: [UserKey<Key>: Int64] = [:]
        for range in rows.chunks(on: db) {
            var query: SQLQueryString = "WITH v(user_id, k) AS ("
            query += rows.source(range, on: db)
            query +=
                ") SELECT t.id, t.user_id, t.\(ident: key) FROM \(ident: table) t JOIN v ON t.user_id = v.user_id AND t.\(ident: key) = v.k"
            ids.merge(try Self.ids(try await db.raw(query).all(), key: key)) { $1 }
        }
        return ids
    }

    private func delete<Key: BatchKey>(from table: String, key: String, values: [(Int64, Key)], on db: any SQLDatabase) async throws {
        let rows = Self.keyRows(values.map { UserKey(userId: $0.0, key: $0.1) })
        for range in rows.chunks(on: db) {
            var query: SQLQueryString = "WITH v(user_id, k) AS ("
            query += rows.source(range, on: db)
            query += ") DELETE FROM \(ident: table) WHERE (user_id, \(ident: key)) IN (SELECT user_id, k FROM v)"
            try await db.raw(query).run()
        }
    }

    private static func ids<Key: Decodable>(_ rows: [any SQLRow], key: String) throws -> [UserKey<Key>: Int64] {
        var ids: [UserKey<Key>: Int64] = [:]
        for row in rows {
            let userKey = UserKey(userId: try row.decode(column: "user_id", as: Int64.self), key: try row.decode(column: key, as: Key.self))
            ids[userKey] = try row.decode(column: "id", as: Int64.self)
        }
        return ids
    }

    // MARK: - Columns

    /// The columns the ledger keys lots by and reads, `lot_key` first.
    static let lotColumns = [
        "lot_key", "symbol", "underlying", "asset_class", "side", "open_fill_id", "qty", "remaining_qty", "multiplier", "cost_basis",
        "remaining_basis", "wash_sale_adjustment", "acquired_at", "adjusted_acquired_at", "section_1256", "closed_at", "lot_method",
    ]

    private static func lotRows(_ lots: [(Int64, TaxLotRecord)]) -> BatchRows {
        let records = lots.map(\.1)
        return BatchRows([
            "user_id": .int(lots.map(\.0)), "lot_key": .text(records.map(\.lotKey)), "symbol": .text(records.map(\.symbol)),
            "underlying": .text(records.map(\.underlying)), "asset_class": .text(records.map(\.assetClass.rawValue)),
            "side": .text(records.map(\.side.rawValue)), "open_fill_id": .int(records.map(\.openFillId)),
            "qty": .decimal(records.map(\.quantity)), "remaining_qty": .decimal(records.map(\.remainingQuantity)),
            "multiplier": .int(records.map(\.multiplier)), "cost_basis": .decimal(records.map(\.costBasis)),
            "remaining_basis": .decimal(records.map(\.remainingBasis)), "wash_sale_adjustment": .decimal(records.map(\.washSaleAdjustment)),
            "acquired_at": .instant(records.map { midnight($0.acquired) }),
            "adjusted_acquired_at": .instant(records.map { midnight($0.adjustedAcquired) }),
            "section_1256": .bool(records.map(\.section1256)),
            "closed_at": .optionalInstant(records.map { $0.closed.map(midnight) }),
            "lot_method": .optionalText(records.map { $0.lotMethod?.rawValue }),
        ])
    }

    private static func dispositionRows(_ dispositions: [(Int64, TaxDispositionRecord)], lotIds: [Int64]) -> BatchRows {
        let records = dispositions.map(\.1)
        return BatchRows([
            "user_id": .int(dispositions.map(\.0)), "tax_lot_id": .int(lotIds), "seq": .int(records.map(\.seq)),
            "close_fill_id": .optionalInt(records.map(\.closeFillId)), "kind": .text(records.map(\.kind.rawValue)),
            "lot_method": .text(records.map(\.lotMethod.rawValue)), "qty": .decimal(records.map(\.quantity)),
            "proceeds": .decimal(records.map(\.proceeds)), "cost_basis": .decimal(records.map(\.costBasis)),
            "gain": .decimal(records.map(\.gain)),
            "wash_sale_disallowed": .decimal(records.map(\.washSaleDisallowed)),
            "wash_sale_adjustment": .decimal(records.map(\.washSaleAdjustment)),
            "adjusted_acquired_at": .instant(records.map { midnight($0.adjustedAcquired) }),
            "disposed_at": .instant(records.map { midnight($0.disposed) }),
        ])
    }

    private static func classificationRows(_ rows: [(Int64, Int64, TaxDispositionRecord.Classification)]) -> BatchRows {
        BatchRows([
            "user_id": .int(rows.map(\.0)), "disposition_id": .int(rows.map(\.1)), "term": .text(rows.map(\.2.term.rawValue)),
            "holding_days": .int(rows.map { Int64($0.2.holdingDays) }), "short_term_gain": .decimal(rows.map(\.2.shortTermGain)),
            "long_term_gain": .decimal(rows.map(\.2.longTermGain)), "tax_year": .int(rows.map { Int64($0.2.taxYear) }),
        ])
    }

    private static func washSaleRows(_ washSales: [(Int64, WashSaleRecord)], links: [(loss: Int64, replacement: Int64)]) -> BatchRows {
        BatchRows([
            "user_id": .int(washSales.map(\.0)), "seq": .int(washSales.map(\.1.seq)), "loss_disposition_id": .int(links.map(\.loss)),
            "replacement_lot_id": .int(links.map(\.replacement)), "qty": .decimal(washSales.map(\.1.quantity)),
            "disallowed_loss": .decimal(washSales.map(\.1.disallowedLoss)),
            "holding_days_carried": .int(washSales.map { Int64($0.1.holdingDaysCarried) }),
        ])
    }

    private static func keyRows<Key: BatchKey>(_ keys: [UserKey<Key>]) -> BatchRows {
        BatchRows(["user_id": .int(keys.map(\.userId)), "k": Key.column(keys.map(\.key))])
    }

    /// A trade date as stored: the instant it starts in New York.
    static func midnight(_ date: MarketDate) -> Date {
        date.at(hour: 0, minute: 0)
    }

    private static func date(_ row: any SQLRow, _ column: String) throws -> MarketDate {
        MarketDate(containing: try row.timestamp(column))
    }

    private static func decodeLot(_ row: any SQLRow) throws -> TaxLotRecord {
        TaxLotRecord(
            lotKey: try row.decode(column: "lot_key", as: String.self), symbol: try row.decode(column: "symbol", as: String.self),
            underlying: try row.decode(column: "underlying", as: String.self),
            assetClass: try row.enumValue("asset_class", as: AssetClass.self),
            side: try row.enumValue("side", as: PositionSide.self), openFillId: try row.decode(column: "open_fill_id", as: Int64.self),
            quantity: try row.decimal("qty"), remainingQuantity: try row.decimal("remaining_qty"),
            multiplier: try row.decode(column: "multiplier", as: Int64.self), costBasis: try row.decimal("cost_basis"),
            remainingBasis: try row.decimal("remaining_basis"), washSaleAdjustment: try row.decimal("wash_sale_adjustment"),
            acquired: try date(row, "acquired_at"), adjustedAcquired: try date(row, "adjusted_acquired_at"),
            section1256: try row.decode(column: "section_1256", as: Bool.self),
            closed: try row.optionalTimestamp("closed_at").map(MarketDate.init(containing:)),
            lotMethod: try row.decode(column: "lot_method", as: String?.self).map { raw in
                guard let method = TaxLotMethod(rawValue: raw) else {
                    throw StorageError.corruptValue("tax_lots.lot_method holds '\(raw)'")
                }
                return method
            })
    }

    private static func decodeDisposition(_ row: any SQLRow) throws -> TaxDispositionRecord {
        TaxDispositionRecord(
            seq: try row.decode(column: "seq", as: Int64.self), lotKey: try row.decode(column: "lot_key", as: String.self),
            closeFillId: try row.decode(column: "close_fill_id", as: Int64?.self),
            kind: try row.enumValue("kind", as: TaxDispositionRecord.Kind.self),
            lotMethod: try row.enumValue("lot_method", as: TaxLotMethod.self), quantity: try row.decimal("qty"),
            proceeds: try row.decimal("proceeds"), costBasis: try row.decimal("cost_basis"), gain: try row.decimal("gain"),
            washSaleDisallowed: try row.decimal("wash_sale_disallowed"), washSaleAdjustment: try row.decimal("wash_sale_adjustment"),
            adjustedAcquired: try date(row, "adjusted_acquired_at"), disposed: try date(row, "disposed_at"),
            classification: try decodeClassification(row))
    }

    private static func decodeWashSale(_ row: any SQLRow) throws -> WashSaleRecord {
        WashSaleRecord(
            seq: try row.decode(column: "seq", as: Int64.self), lossDispositionSeq: try row.decode(column: "loss_seq", as: Int64.self),
            replacementLotKey: try row.decode(column: "lot_key", as: String.self), quantity: try row.decimal("qty"),
            disallowedLoss: try row.decimal("disallowed_loss"),
            holdingDaysCarried: try row.decode(column: "holding_days_carried", as: Int.self))
    }

    private static func decodeClassification(_ row: any SQLRow) throws -> TaxDispositionRecord.Classification? {
        guard !(try row.decodeNil(column: "term")) else { return nil }
        return TaxDispositionRecord.Classification(
            term: try row.enumValue("term", as: TaxDispositionRecord.Term.self),
            holdingDays: try row.decode(column: "holding_days", as: Int.self),
            shortTermGain: try row.decimal("short_term_gain"), longTermGain: try row.decimal("long_term_gain"),
            taxYear: try row.decode(column: "tax_year", as: Int.self))
    }
}

/// A key of tax rows within a user's (a lot key or a seq), as a batch column.
protocol BatchKey: Hashable, Sendable, Decodable {
    static func column(_ keys: [Self]) -> BatchRows.Values
}

extension String: BatchKey {
    static func column(_ keys: [String]) -> BatchRows.Values { .text(keys) }
}

extension Int64: BatchKey {
    static func column(_ keys: [Int64]) -> BatchRows.Values { .int(keys) }
}
