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

    /// Rows per statement, well below the bind limits of both databases (SQLite: 32766).
    static let batchSize = 400

    // MARK: - Version

    /// Where a user's tax rows stand: the highest fill id they reflect (`nil`: never written) and
    /// the account's default lot method.
    public struct Head: Sendable, Equatable {
        public let version: Int64?
        public let defaultMethod: TaxLotMethod
    }

    public func head(userId: Int64, on db: any SQLDatabase) async throws -> Head {
        guard
            let row = try await db.select().columns("tax_last_fill_id", "default_tax_lot_method").from("paper_accounts")
                .where("user_id", .equal, SQLBind(userId)).first()
        else { throw StorageError.notFound("paper account of user \(userId)") }
        return Head(
            version: try row.decode(column: "tax_last_fill_id", as: Int64?.self),
            defaultMethod: try row.enumValue("default_tax_lot_method", as: TaxLotMethod.self))
    }

    public func setVersion(_ version: Int64?, userId: Int64, on db: any SQLDatabase) async throws {
        try await db.update("paper_accounts").set("tax_last_fill_id", to: SQLBind(version)).where("user_id", .equal, SQLBind(userId)).run()
    }

    // MARK: - Reading

    /// Every tax row of the user that the ledger keys (rows without keys are not the ledger's).
    public func rows(userId: Int64) async throws -> TaxRowSet {
        try await database.withConnection { db in try await rows(userId: userId, on: db) }
    }

    public func rows(userId: Int64, on db: any SQLDatabase) async throws -> TaxRowSet {
        TaxRowSet(
            lots: Dictionary(uniqueKeysWithValues: try await lots(userId: userId, on: db).map { ($0.lotKey, $0) }),
            dispositions: Dictionary(uniqueKeysWithValues: try await dispositions(userId: userId, on: db).map { ($0.seq, $0) }),
            washSales: Dictionary(uniqueKeysWithValues: try await washSales(userId: userId, on: db).map { ($0.seq, $0) }))
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

    private func lots(userId: Int64, on db: any SQLDatabase) async throws -> [TaxLotRecord] {
        try await db.select().columns(Self.lotColumns.map { SQLColumn($0) }).from("tax_lots")
            .where("user_id", .equal, SQLBind(userId)).where("lot_key", .isNot, SQLLiteral.null)
            .all().map(Self.decodeLot)
    }

    private func dispositions(userId: Int64, on db: any SQLDatabase) async throws -> [TaxDispositionRecord] {
        try await db.raw(
            """
            SELECT d.seq, l.lot_key, d.close_fill_id, d.kind, d.lot_method, d.qty, d.proceeds, d.cost_basis, d.gain,
                   d.wash_sale_disallowed, d.wash_sale_adjustment, d.adjusted_acquired_at, d.disposed_at,
                   h.term, h.holding_days, h.short_term_gain, h.long_term_gain, h.tax_year
            FROM tax_lot_dispositions d
            JOIN tax_lots l ON l.id = d.tax_lot_id
            LEFT JOIN holding_period_classifications h ON h.disposition_id = d.id
            WHERE d.user_id = \(bind: userId) AND d.seq IS NOT NULL AND l.lot_key IS NOT NULL
            """
        ).all().map(Self.decodeDisposition)
    }

    private func washSales(userId: Int64, on db: any SQLDatabase) async throws -> [WashSaleRecord] {
        try await db.raw(
            """
            SELECT w.seq, d.seq AS loss_seq, l.lot_key, w.qty, w.disallowed_loss, w.holding_days_carried
            FROM wash_sale_lots w
            JOIN tax_lot_dispositions d ON d.id = w.loss_disposition_id
            JOIN tax_lots l ON l.id = w.replacement_lot_id
            WHERE w.user_id = \(bind: userId) AND w.seq IS NOT NULL AND d.seq IS NOT NULL AND l.lot_key IS NOT NULL
            """
        ).all().map { row in
            WashSaleRecord(
                seq: try row.decode(column: "seq", as: Int64.self), lossDispositionSeq: try row.decode(column: "loss_seq", as: Int64.self),
                replacementLotKey: try row.decode(column: "lot_key", as: String.self), quantity: try row.decimal("qty"),
                disallowedLoss: try row.decimal("disallowed_loss"),
                holdingDaysCarried: try row.decode(column: "holding_days_carried", as: Int.self))
        }
    }

    // MARK: - Writing

    /// Applies `changes` to the user's rows in the caller's transaction.
    public func apply(_ changes: TaxRowChanges, userId: Int64, on db: any SQLDatabase) async throws {
        guard !changes.isEmpty else { return }
        var lotIds = try await upsert(changes.lots, userId: userId, on: db)
        let neededLots = Set(changes.dispositions.map(\.lotKey) + changes.washSales.map(\.replacementLotKey)).subtracting(lotIds.keys)
        lotIds.merge(try await ids(in: "tax_lots", key: "lot_key", values: Array(neededLots), userId: userId, on: db)) { $1 }
        var dispositionIds = try await upsert(changes.dispositions, lotIds: lotIds, userId: userId, on: db)
        let neededDispositions = Set(changes.washSales.map(\.lossDispositionSeq)).subtracting(dispositionIds.keys)
        dispositionIds.merge(
            try await ids(in: "tax_lot_dispositions", key: "seq", values: Array(neededDispositions), userId: userId, on: db)
        ) {
            $1
        }
        try await upsert(changes.washSales, dispositionIds: dispositionIds, lotIds: lotIds, userId: userId, on: db)
        try await delete(from: "wash_sale_lots", key: "seq", values: changes.removedWashSales, userId: userId, on: db)
        try await delete(from: "tax_lot_dispositions", key: "seq", values: changes.removedDispositions, userId: userId, on: db)
        try await delete(from: "tax_lots", key: "lot_key", values: changes.removedLots, userId: userId, on: db)
    }

    /// Upserts lots; returns their row ids by lot key.
    private func upsert(_ lots: [TaxLotRecord], userId: Int64, on db: any SQLDatabase) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for batch in Self.batches(lots) {
            let query = db.insert(into: "tax_lots").columns(["user_id"] + Self.lotColumns)
            for lot in batch { query.values([SQLBind(userId) as any SQLExpression] + Self.values(of: lot)) }
            query.onConflict(with: ["user_id", "lot_key"]) { update in
                Self.lotColumns.dropFirst().reduce(update) { $0.set(excludedValueOf: $1) }
            }
            for row in try await query.returning("id", "lot_key").all() {
                ids[try row.decode(column: "lot_key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        return ids
    }

    /// Upserts dispositions and their classifications; returns their row ids by seq.
    private func upsert(
        _ dispositions: [TaxDispositionRecord], lotIds: [String: Int64], userId: Int64, on db: any SQLDatabase
    ) async throws -> [Int64: Int64] {
        var ids: [Int64: Int64] = [:]
        for batch in Self.batches(dispositions) {
            let query = db.insert(into: "tax_lot_dispositions").columns(["user_id", "tax_lot_id"] + Self.dispositionColumns)
            for disposition in batch {
                guard let lotId = lotIds[disposition.lotKey] else {
                    throw StorageError.corruptValue("disposition \(disposition.seq) names lot \(disposition.lotKey), which has no row")
                }
                query.values([SQLBind(userId), SQLBind(lotId)] as [any SQLExpression] + Self.values(of: disposition))
            }
            query.onConflict(with: ["user_id", "seq"]) { update in
                (["tax_lot_id"] + Self.dispositionColumns.dropFirst()).reduce(update) { $0.set(excludedValueOf: $1) }
            }
            for row in try await query.returning("id", "seq").all() {
                ids[try row.decode(column: "seq", as: Int64.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        try await upsertClassifications(dispositions, ids: ids, userId: userId, on: db)
        return ids
    }

    private func upsertClassifications(
        _ dispositions: [TaxDispositionRecord], ids: [Int64: Int64], userId: Int64, on db: any SQLDatabase
    ) async throws {
        let classified = dispositions.compactMap { record in record.classification.map { (ids[record.seq]!, $0) } }
        for batch in Self.batches(classified) {
            let query = db.insert(into: "holding_period_classifications")
                .columns("user_id", "disposition_id", "term", "holding_days", "short_term_gain", "long_term_gain", "tax_year")
            for (id, classification) in batch {
                query.values(
                    SQLBind(userId), SQLBind(id), SQLBind(classification.term.rawValue), SQLBind(classification.holdingDays),
                    SQLBind(StoredDecimal(classification.shortTermGain)), SQLBind(StoredDecimal(classification.longTermGain)),
                    SQLBind(classification.taxYear))
            }
            query.onConflict(with: ["disposition_id"]) { update in
                ["term", "holding_days", "short_term_gain", "long_term_gain", "tax_year"].reduce(update) { $0.set(excludedValueOf: $1) }
            }
            try await query.run()
        }
    }

    private func upsert(
        _ washSales: [WashSaleRecord], dispositionIds: [Int64: Int64], lotIds: [String: Int64], userId: Int64, on db: any SQLDatabase
    ) async throws {
        for batch in Self.batches(washSales) {
            let query = db.insert(into: "wash_sale_lots")
                .columns("user_id", "seq", "loss_disposition_id", "replacement_lot_id", "qty", "disallowed_loss", "holding_days_carried")
            for wash in batch {
                guard let loss = dispositionIds[wash.lossDispositionSeq], let replacement = lotIds[wash.replacementLotKey] else {
                    throw StorageError.corruptValue("wash sale \(wash.seq) names a disposition or lot that has no row")
                }
                query.values(
                    SQLBind(userId), SQLBind(wash.seq), SQLBind(loss), SQLBind(replacement), SQLBind(StoredDecimal(wash.quantity)),
                    SQLBind(StoredDecimal(wash.disallowedLoss)), SQLBind(wash.holdingDaysCarried))
            }
            query.onConflict(with: ["user_id", "seq"]) { update in
                ["loss_disposition_id", "replacement_lot_id", "qty", "disallowed_loss", "holding_days_carried"].reduce(update) {
                    $0.set(excludedValueOf: $1)
                }
            }
            try await query.run()
        }
    }

    /// Row ids of the user's rows in `table` whose `key` is one of `values`.
    private func ids<Key: Hashable & Sendable & Encodable & Decodable>(
        in table: String, key: String, values: [Key], userId: Int64, on db: any SQLDatabase
    ) async throws -> [Key: Int64] {
        var ids: [Key: Int64] = [:]
        for batch in Self.batches(values) {
            let rows = try await db.select().columns("id", key).from(table).where("user_id", .equal, SQLBind(userId))
                .where(key, .in, Array(batch)).all()
            for row in rows { ids[try row.decode(column: key, as: Key.self)] = try row.decode(column: "id", as: Int64.self) }
        }
        return ids
    }

    private func delete<Key: Sendable & Encodable>(
        from table: String, key: String, values: [Key], userId: Int64, on db: any SQLDatabase
    ) async throws {
        for batch in Self.batches(values) {
            try await db.delete(from: table).where("user_id", .equal, SQLBind(userId)).where(key, .in, Array(batch)).run()
        }
    }

    private static func batches<Element>(_ elements: [Element]) -> [ArraySlice<Element>] {
        stride(from: 0, to: elements.count, by: batchSize).map { elements[$0..<min($0 + batchSize, elements.count)] }
    }

    // MARK: - Columns

    /// `lot_key` first: the upsert updates every column after it.
    static let lotColumns = [
        "lot_key", "symbol", "underlying", "asset_class", "side", "open_fill_id", "qty", "remaining_qty", "multiplier", "cost_basis",
        "remaining_basis", "wash_sale_adjustment", "acquired_at", "adjusted_acquired_at", "section_1256", "closed_at", "lot_method",
    ]

    /// `seq` first: the upsert updates every column after it.
    static let dispositionColumns = [
        "seq", "close_fill_id", "kind", "lot_method", "qty", "proceeds", "cost_basis", "gain", "wash_sale_disallowed",
        "wash_sale_adjustment", "adjusted_acquired_at", "disposed_at",
    ]

    private static func values(of lot: TaxLotRecord) -> [any SQLExpression] {
        [
            SQLBind(lot.lotKey), SQLBind(lot.symbol), SQLBind(lot.underlying), SQLBind(lot.assetClass.rawValue),
            SQLBind(lot.side.rawValue), SQLBind(lot.openFillId), SQLBind(StoredDecimal(lot.quantity)),
            SQLBind(StoredDecimal(lot.remainingQuantity)), SQLBind(lot.multiplier), SQLBind(StoredDecimal(lot.costBasis)),
            SQLBind(StoredDecimal(lot.remainingBasis)), SQLBind(StoredDecimal(lot.washSaleAdjustment)), SQLBind(instant(lot.acquired)),
            SQLBind(instant(lot.adjustedAcquired)), SQLBind(lot.section1256), SQLBind(lot.closed.map(instant)),
            SQLBind(lot.lotMethod?.rawValue),
        ]
    }

    private static func values(of disposition: TaxDispositionRecord) -> [any SQLExpression] {
        [
            SQLBind(disposition.seq), SQLBind(disposition.closeFillId), SQLBind(disposition.kind.rawValue),
            SQLBind(disposition.lotMethod.rawValue), SQLBind(StoredDecimal(disposition.quantity)),
            SQLBind(StoredDecimal(disposition.proceeds)),
            SQLBind(StoredDecimal(disposition.costBasis)), SQLBind(StoredDecimal(disposition.gain)),
            SQLBind(StoredDecimal(disposition.washSaleDisallowed)), SQLBind(StoredDecimal(disposition.washSaleAdjustment)),
            SQLBind(instant(disposition.adjustedAcquired)), SQLBind(instant(disposition.disposed)),
        ]
    }

    /// A trade date as stored: the instant it starts in New York.
    static func instant(_ date: MarketDate) -> StoredTimestamp {
        StoredTimestamp(date.at(hour: 0, minute: 0))
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

    private static func decodeClassification(_ row: any SQLRow) throws -> TaxDispositionRecord.Classification? {
        guard !(try row.decodeNil(column: "term")) else { return nil }
        return TaxDispositionRecord.Classification(
            term: try row.enumValue("term", as: TaxDispositionRecord.Term.self),
            holdingDays: try row.decode(column: "holding_days", as: Int.self),
            shortTermGain: try row.decimal("short_term_gain"), longTermGain: try row.decimal("long_term_gain"),
            taxYear: try row.decode(column: "tax_year", as: Int.self))
    }
}
