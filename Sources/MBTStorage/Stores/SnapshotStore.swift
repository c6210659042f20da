import Foundation
import MBTDomain
import SQLKit

/// `mbt_eod_snapshots`: one row per account and trading day, written by the end-of-day job and
/// read as the equity curve (`GET /api/trading/account/history`).
public struct SnapshotStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public struct Snapshot: Sendable, Hashable {
        public var userId: Int64
        public var date: MarketDate
        public var equity: Decimal6
        public var cash: Decimal6
        /// The positions as marked at the close, as JSON text.
        public var positionsJSON: String

        public init(userId: Int64, date: MarketDate, equity: Decimal6, cash: Decimal6, positionsJSON: String) {
            self.userId = userId
            self.date = date
            self.equity = equity
            self.cash = cash
            self.positionsJSON = positionsJSON
        }
    }

    /// Writes the snapshots that do not exist yet (one per account and date); returns how many.
    public func insert(_ snapshots: [Snapshot], at now: Date) async throws -> Int {
        guard !snapshots.isEmpty else { return 0 }
        return try await database.withConnection { db in
            var written = 0
            for chunk in snapshots.chunked(into: 500) {
                let insert = db.insert(into: "mbt_eod_snapshots").columns("user_id", "snapshot_date", "equity", "cash", "positions_json", "created_at")
                for snapshot in chunk {
                    insert.values(
                        SQLBind(snapshot.userId), SQLBind(snapshot.date.description), SQLBind(StoredDecimal(snapshot.equity)),
                        SQLBind(StoredDecimal(snapshot.cash)), SQLBind(StoredJSON(text: snapshot.positionsJSON)), SQLBind(StoredTimestamp(now)))
                }
                written += try await insert.ignoringConflicts(with: ["user_id", "snapshot_date"]).returning("id").all().count
            }
            return written
        }
    }

    /// One account's snapshots with dates in `[from, through]`, oldest first.
    public func history(userId: Int64, from: MarketDate, through: MarketDate) async throws -> [Snapshot] {
        try await database.withConnection { db in
            try await db.select().columns("user_id", "snapshot_date", "equity", "cash", "positions_json").from("mbt_eod_snapshots")
                .where("user_id", .equal, SQLBind(userId)).where("snapshot_date", .greaterThanOrEqual, SQLBind(from.description))
                .where("snapshot_date", .lessThanOrEqual, SQLBind(through.description)).orderBy("snapshot_date").all()
                .map { row in
                    let text = try row.decode(column: "snapshot_date", as: String.self)
                    guard let date = MarketDate(iso: text) else { throw StorageError.corruptValue("snapshot date \(text)") }
                    return Snapshot(
                        userId: userId, date: date, equity: try row.decimal("equity"), cash: try row.decimal("cash"),
                        positionsJSON: try row.decode(column: "positions_json", as: StoredJSON.self).text)
                }
        }
    }
}
