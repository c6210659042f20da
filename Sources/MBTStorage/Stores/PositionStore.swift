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
    /// fill flattened or flipped it, or inserts a new one. `current` is the open position of
    /// `symbol` as the caller read it in this transaction (under the account's lock, so it is still
    /// the open row); knowing it saves reading the row again.
    public func save(
        _ position: Position?, replacing current: Position?, symbol: String, userId: Int64, lastFillId: Int64, at now: Date,
        on db: any SQLDatabase
    ) async throws {
        switch (current, position) {
        case (let current?, let position?) where current.side == position.side && current.openedAt == position.openedAt:
            try await openRow(db.update("paper_positions"), userId: userId, symbol: symbol)
                .set("qty", to: SQLBind(StoredDecimal(position.quantity)))
                .set("avg_cost", to: SQLBind(StoredDecimal(position.averageCost)))
                .set("last_fill_id", to: SQLBind(lastFillId))
                .run()
        case (_?, _):
            try await openRow(db.update("paper_positions"), userId: userId, symbol: symbol)
                .set("closed_at", to: SQLBind(StoredTimestamp(now)))
                .set("last_fill_id", to: SQLBind(lastFillId))
                .run()
            if let position { try await insert(position, userId: userId, lastFillId: lastFillId, on: db) }
        case (nil, let position?):
            try await insert(position, userId: userId, lastFillId: lastFillId, on: db)
        case (nil, nil):
            break
        }
    }

    /// The user's one open row of `symbol`.
    private func openRow(_ update: SQLUpdateBuilder, userId: Int64, symbol: String) -> SQLUpdateBuilder {
        update.where("user_id", .equal, SQLBind(userId)).where("symbol", .equal, SQLBind(symbol)).where("closed_at", .is, SQLLiteral.null)
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
