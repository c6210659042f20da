import Foundation
import MBTDomain
import SQLKit

/// The ledger's order events as its one writer records them in `audit_log` (submitted, filled,
/// canceled, expired, replaced), read by id so a reader in any process sees what every process
/// committed: the source of the Alpaca trade-updates stream (docs/alpaca-api.md).
public struct OrderEventStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public struct Event: Sendable, Hashable {
        public let id: Int64
        public let orderId: Int64
        /// `order_submitted`, `order_filled`, `order_canceled`, `order_expired` or `order_replaced`.
        public let action: String
        /// The state the event left (`status`, `fill_price`, …).
        public let after: [String: String]
        public let occurredAt: Date
    }

    /// The id of the user's latest ledger event (0 before the first).
    public func latestId(userId: Int64) async throws -> Int64 {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("max", args: SQLColumn("id")), as: "latest").from("audit_log")
                .where("user_id", .equal, SQLBind(userId)).first()?.decode(column: "latest", as: Int64?.self) ?? 0
        }
    }

    /// When each of `orderIds` (the user's) was closed unfilled (canceled, expired or replaced), for
    /// those that were; `since` (the earliest submission among them) bounds the read.
    public func closings(userId: Int64, orderIds: [Int64], since: Date) async throws -> [Int64: Date] {
        guard !orderIds.isEmpty else { return [:] }
        return try await database.withConnection { db in
            var closed: [Int64: Date] = [:]
            for chunk in orderIds.chunked(into: 500) {
                let rows = try await db.select().columns("entity_id", "occurred_at").from("audit_log")
                    .where("user_id", .equal, SQLBind(userId)).where("occurred_at", .greaterThanOrEqual, SQLBind(StoredTimestamp(since)))
                    .where("entity_type", .equal, SQLBind("paper_order")).where("entity_id", .in, SQLBind.group(chunk))
                    .where("action", .in, SQLBind.group(["order_canceled", "order_expired", "order_replaced"])).all()
                for row in rows { closed[try row.decode(column: "entity_id", as: Int64.self)] = try row.timestamp("occurred_at") }
            }
            return closed
        }
    }

    /// The user's order events with an id above `after`, oldest first.
    public func events(userId: Int64, after: Int64, limit: Int) async throws -> [Event] {
        try await database.withConnection { db in
            try await db.select().columns("id", "entity_id", "action", "after_state", "occurred_at").from("audit_log")
                .where("user_id", .equal, SQLBind(userId)).where("id", .greaterThan, SQLBind(after))
                .where("entity_type", .equal, SQLBind("paper_order")).orderBy("id").limit(limit).all()
                .map { row in
                    let text = try row.decodeNil(column: "after_state") ? "{}" : try row.json("after_state")
                    let after = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
                    return Event(
                        id: try row.decode(column: "id", as: Int64.self), orderId: try row.decode(column: "entity_id", as: Int64.self),
                        action: try row.decode(column: "action", as: String.self), after: after,
                        occurredAt: try row.timestamp("occurred_at"))
                }
        }
    }
}
