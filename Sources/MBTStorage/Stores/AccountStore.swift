import Foundation
import MBTDomain
import SQLKit

/// Reads paper accounts.
public struct AccountStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// The account of `userId`; every user has exactly one.
    public func account(ofUser userId: Int64) async throws -> PaperAccount {
        let row = try await database.withConnection { db in
            try await db.select()
                .columns("id", "user_id", "starting_balance", "cash_balance", "status", "default_tax_lot_method", "created_at")
                .from("paper_accounts")
                .where("user_id", .equal, SQLBind(userId))
                .first()
                .map(Self.decodeAccount)
        }
        guard let row else { throw StorageError.notFound("paper account of user \(userId)") }
        return row
    }

    /// Changes the lot-selection method closing fills use unless an order or strategy says otherwise.
    public func setDefaultTaxLotMethod(_ method: TaxLotMethod, ofUser userId: Int64, at now: Date) async throws -> PaperAccount {
        let before = try await account(ofUser: userId)
        try await database.withTransaction { db in
            try await db.update("paper_accounts")
                .set("default_tax_lot_method", to: SQLBind(method.rawValue))
                .set("updated_at", to: SQLBind(StoredTimestamp(now)))
                .where("user_id", .equal, SQLBind(userId))
                .run()
            try await AuditLog.record(
                AuditEntry(
                    userId: userId, actorUserId: userId, action: "account_tax_lot_method_changed", entityType: "paper_account",
                    entityId: before.id, before: ["default_tax_lot_method": before.defaultTaxLotMethod.rawValue],
                    after: ["default_tax_lot_method": method.rawValue], occurredAt: now
                ),
                on: db
            )
        }
        return try await account(ofUser: userId)
    }

    /// The account's last reset (docs/ledger.md, "Account reset"): when it happened, and the fills
    /// since: those whose `order_filled` audit row comes after the reset's `paper_account_reset`
    /// row (the writer audits the reset's own fills before it). Audit ids order the two even when
    /// a fill shares the reset's instant. `nil` when the account was never reset.
    public func sinceLastReset(ofUser userId: Int64) async throws -> (at: Date, fillIds: Set<Int64>)? {
        try await database.withConnection { db in
            guard
                let row = try await db.select().columns("id", "occurred_at").from("audit_log").where("user_id", .equal, SQLBind(userId))
                    .where("action", .equal, SQLBind("paper_account_reset")).orderBy("id", .descending).limit(1).first()
            else { return nil }
            let auditId = try row.decode(column: "id", as: Int64.self)
            let fills = try await db.raw(
                """
                SELECT f.id AS id FROM paper_fills f WHERE f.paper_order_id IN (
                    SELECT a.entity_id FROM audit_log a
                    WHERE a.user_id = \(bind: userId) AND a.action = 'order_filled' AND a.id > \(bind: auditId))
                """
            ).all()
            return (try row.timestamp("occurred_at"), Set(try fills.map { try $0.decode(column: "id", as: Int64.self) }))
        }
    }

    /// Locks the user's account row for the rest of the transaction and returns its cash, so that
    /// orders of one account are checked and applied one at a time. On SQLite the transaction
    /// already holds the database's single write lock.
    public func lockForTrading(userId: Int64, on db: any SQLDatabase) async throws -> PaperAccount {
        let query = db.select()
            .columns("id", "user_id", "starting_balance", "cash_balance", "status", "default_tax_lot_method", "created_at")
            .from("paper_accounts")
            .where("user_id", .equal, SQLBind(userId))
        if database.dialect == .postgres { query.lockingClause(SQLLockingClause.update) }
        guard let account = try await query.first().map(Self.decodeAccount) else {
            throw StorageError.notFound("paper account of user \(userId)")
        }
        return account
    }

    /// Adds `amount` (negative to debit) to the user's cash, in the caller's transaction. The sum
    /// is done in SQL on the stored representation (NUMERIC or micro-units), exactly.
    public func moveCash(userId: Int64, by amount: Decimal6, at now: Date, on db: any SQLDatabase) async throws {
        try await db.update("paper_accounts")
            .set("cash_balance", to: SQLBinaryExpression(SQLColumn("cash_balance"), .add, SQLBind(StoredDecimal(amount))))
            .set("updated_at", to: SQLBind(StoredTimestamp(now)))
            .where("user_id", .equal, SQLBind(userId))
            .run()
    }

    private static func decodeAccount(_ row: any SQLRow) throws -> PaperAccount {
        PaperAccount(
            id: try row.decode(column: "id", as: Int64.self),
            userId: try row.decode(column: "user_id", as: Int64.self),
            startingBalance: try row.decimal("starting_balance"),
            cashBalance: try row.decimal("cash_balance"),
            status: try row.enumValue("status", as: PaperAccount.Status.self),
            defaultTaxLotMethod: try row.enumValue("default_tax_lot_method", as: TaxLotMethod.self),
            createdAt: try row.timestamp("created_at")
        )
    }
}
