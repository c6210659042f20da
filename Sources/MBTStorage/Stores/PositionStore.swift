import Foundation
import MBTDomain
import SQLKit

/// `paper_positions`: the open position per user and symbol, upserted on every fill.
public struct PositionStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// The user's open positions, by symbol.
    public func openPositions(userId: Int64) async throws -> [Position] {
        try await database.withConnection { db in try await openPositions(userId: userId, on: db) }
    }

    public func openPositions(userId: Int64, on db: any SQLDatabase) async throws -> [Position] {
        try await select(on: db).where("user_id", .equal, SQLBind(userId)).orderBy("symbol").all().map { try Self.decode($0).position }
    }

    /// Writes the position a fill produced: updates the open row, closes it (`closed_at`) when the
    /// fill flattened it, or inserts a new one.
    public func save(
        _ position: Position?, symbol: String, userId: Int64, lastFillId: Int64, at now: Date, on db: any SQLDatabase
    ) async throws {
        let existing = try await select(on: db).where("user_id", .equal, SQLBind(userId)).where("symbol", .equal, SQLBind(symbol))
            .first().map(Self.decode)
        switch (existing, position) {
        case (let row?, let position?) where row.position.side == position.side && row.position.openedAt == position.openedAt:
            try await db.update("paper_positions")
                .set("qty", to: SQLBind(StoredDecimal(position.quantity)))
                .set("avg_cost", to: SQLBind(StoredDecimal(position.averageCost)))
                .set("last_fill_id", to: SQLBind(lastFillId))
                .where("id", .equal, SQLBind(row.id))
                .run()
        case (let row?, _):
            try await db.update("paper_positions")
                .set("closed_at", to: SQLBind(StoredTimestamp(now)))
                .set("last_fill_id", to: SQLBind(lastFillId))
                .where("id", .equal, SQLBind(row.id))
                .run()
            if let position { try await insert(position, userId: userId, lastFillId: lastFillId, on: db) }
        case (nil, let position?):
            try await insert(position, userId: userId, lastFillId: lastFillId, on: db)
        case (nil, nil):
            break
        }
    }

    private func insert(_ position: Position, userId: Int64, lastFillId: Int64, on db: any SQLDatabase) async throws {
        try await db.insert(into: "paper_positions")
            .columns("user_id", "symbol", "side", "qty", "avg_cost", "opened_at", "last_fill_id", "asset_class")
            .values(
                SQLBind(userId), SQLBind(position.symbol), SQLBind(position.side.rawValue), SQLBind(StoredDecimal(position.quantity)),
                SQLBind(StoredDecimal(position.averageCost)), SQLBind(StoredTimestamp(position.openedAt)), SQLBind(lastFillId),
                SQLBind(position.assetClass.rawValue)
            )
            .run()
    }

    private func select(on db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns("id", "symbol", "side", "qty", "avg_cost", "opened_at", "asset_class").from("paper_positions")
            .where("closed_at", .is, SQLLiteral.null)
    }

    private static func decode(_ row: any SQLRow) throws -> (id: Int64, position: Position) {
        (
            try row.decode(column: "id", as: Int64.self),
            Position(
                symbol: try row.decode(column: "symbol", as: String.self),
                assetClass: try row.enumValue("asset_class", as: AssetClass.self),
                side: try row.enumValue("side", as: PositionSide.self),
                quantity: try row.decimal("qty"),
                averageCost: try row.decimal("avg_cost"),
                openedAt: try row.timestamp("opened_at")
            )
        )
    }
}
