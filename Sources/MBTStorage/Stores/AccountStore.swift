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
