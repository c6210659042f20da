import Foundation
import MBTDomain
import SQLKit

/// Everything MBT holds about one user, as one JSON document (docs/privacy.md):
/// every row of every table that belongs to them, column by column, except the secrets (token
/// hashes). Decimals are strings with six places, instants RFC 3339 in UTC, JSON columns nested.
///
/// The table list is the schema's: a test finds every table with a `user_id` (and the tables that
/// hang off the user's orders and strategies) and fails when one, or a column of one, is missing
/// here, so a new table cannot be left out of the export.
public enum UserDataExport {
    /// How a column's value is read and written out.
    public enum Kind: Sendable {
        case int, text, decimal, instant, json, bool
    }

    /// One table of the user's data.
    public struct Table: Sendable {
        public let name: String
        /// Selects the user's rows, the user's id bound as its one parameter.
        let owned: String
        public let columns: KeyValuePairs<String, Kind>
        /// Columns that hold secrets, never exported.
        public let secret: Set<String>
    }

    private static let byUser = "user_id = ?"

    public static let tables: [Table] = [
        Table(
            name: "users", owned: "id = ?",
            columns: ["id": .int, "name": .text, "role": .text, "tier": .text, "created_at": .instant], secret: ["password_hash"]),
        Table(
            name: "web_sessions", owned: byUser,
            columns: ["id": .int, "user_id": .int, "created_at": .instant, "last_seen_at": .instant, "expires_at": .instant],
            secret: ["token_hash", "csrf_token"]),
        // Failed sign-ins are kept by the name tried, not the user's id.
        Table(
            name: "web_login_failures", owned: "user_name = (SELECT name FROM users WHERE id = ?)",
            columns: ["id": .int, "user_name": .text, "address": .text, "failed_at": .instant], secret: []),
        Table(
            name: "paper_accounts", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "starting_balance": .decimal, "cash_balance": .decimal, "status": .text,
                "default_tax_lot_method": .text, "created_at": .instant, "updated_at": .instant, "tax_last_fill_id": .int,
                "tax_marked_year": .int,
            ], secret: []),
        Table(
            name: "api_tokens", owned: byUser,
            columns: ["id": .int, "user_id": .int, "created_at": .instant, "last_used_at": .instant, "revoked_at": .instant],
            secret: ["token_hash"]),
        Table(
            name: "api_keys", owned: byUser,
            columns: ["id": .int, "user_id": .int, "key_id": .text, "created_at": .instant, "revoked_at": .instant],
            secret: ["secret_hash"]),
        Table(
            name: "watchlists", owned: byUser,
            columns: ["id": .int, "user_id": .int, "name": .text, "created_at": .instant, "updated_at": .instant], secret: []),
        Table(
            name: "watchlist_assets", owned: "watchlist_id IN (SELECT id FROM watchlists WHERE user_id = ?)",
            columns: ["watchlist_id": .int, "symbol": .text, "position": .int, "added_at": .instant], secret: []),
        Table(
            name: "strategies", owned: byUser,
            columns: ["id": .int, "user_id": .int, "name": .text, "kind": .text, "default_tax_lot_method": .text, "created_at": .instant],
            secret: []),
        Table(
            name: "lcc_strategy_config", owned: "strategy_id IN (SELECT id FROM strategies WHERE user_id = ?)",
            columns: [
                "strategy_id": .int, "underlying": .text, "default_tax_lot_method": .text, "roll_days_before_expiry": .int,
                "updated_at": .instant,
            ], secret: []),
        Table(
            name: "paper_orders", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "symbol": .text, "side": .text, "qty": .decimal, "order_type": .text, "time_in_force": .text,
                "limit_price": .decimal, "status": .text, "submitted_at": .instant, "filled_at": .instant, "fill_price": .decimal,
                "slippage_basis": .decimal, "strategy_id": .int, "parent_order_id": .int, "related_leg_orders": .json,
                "asset_class": .text, "reject_reason": .text, "client_order_id": .text, "replaces_order_id": .int,
                "replaced_by_order_id": .int, "deleted_at": .instant, "order_class": .text, "reserved_buying_power": .decimal,
            ], secret: []),
        Table(
            name: "paper_fills", owned: byUser,
            columns: [
                "id": .int, "paper_order_id": .int, "user_id": .int, "fill_qty": .decimal, "fill_price": .decimal, "ts": .instant,
                "slippage_basis": .decimal, "nbbo_bid": .decimal, "nbbo_ask": .decimal, "fill_rule": .text, "price_source": .text,
                "priced_at": .instant, "tax_lot_method": .text,
            ], secret: []),
        Table(
            name: "paper_positions", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "symbol": .text, "side": .text, "qty": .decimal, "avg_cost": .decimal, "opened_at": .instant,
                "closed_at": .instant, "last_fill_id": .int, "asset_class": .text, "wash_sale_lot_id": .int, "deleted_at": .instant,
            ], secret: []),
        // Derived from the open orders (a market order's missing limit stored as 0), exported as held.
        Table(
            name: "paper_open_order_totals", owned: byUser,
            columns: ["user_id": .int, "symbol": .text, "side": .text, "limit_price": .decimal, "qty": .decimal], secret: []),
        Table(
            name: "cash_movements", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "kind": .text, "amount": .decimal, "symbol": .text, "description": .text,
                "dedupe_key": .text, "occurred_at": .instant,
            ], secret: []),
        Table(
            name: "tax_lots", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "symbol": .text, "underlying": .text, "asset_class": .text, "side": .text,
                "open_fill_id": .int, "qty": .decimal, "remaining_qty": .decimal, "multiplier": .int, "cost_basis": .decimal,
                "remaining_basis": .decimal, "wash_sale_adjustment": .decimal, "acquired_at": .instant, "adjusted_acquired_at": .instant,
                "section_1256": .bool, "closed_at": .instant, "lot_key": .text, "lot_method": .text,
            ], secret: []),
        Table(
            name: "tax_lot_dispositions", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "tax_lot_id": .int, "close_fill_id": .int, "kind": .text, "lot_method": .text,
                "qty": .decimal, "proceeds": .decimal, "cost_basis": .decimal, "gain": .decimal, "wash_sale_disallowed": .decimal,
                "disposed_at": .instant, "seq": .int, "adjusted_acquired_at": .instant, "wash_sale_adjustment": .decimal,
            ], secret: []),
        Table(
            name: "wash_sale_lots", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "loss_disposition_id": .int, "replacement_lot_id": .int, "qty": .decimal,
                "disallowed_loss": .decimal, "holding_days_carried": .int, "created_at": .instant, "seq": .int,
            ], secret: []),
        Table(
            name: "holding_period_classifications", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "disposition_id": .int, "term": .text, "holding_days": .int, "short_term_gain": .decimal,
                "long_term_gain": .decimal, "tax_year": .int, "classified_at": .instant,
            ], secret: []),
        Table(
            name: "mbt_eod_snapshots", owned: byUser,
            columns: [
                "id": .int, "user_id": .int, "snapshot_date": .text, "equity": .decimal, "cash": .decimal, "positions_json": .json,
                "created_at": .instant,
            ], secret: []),
        Table(
            name: "audit_log", owned: "user_id = ? OR actor_user_id = ?",
            columns: [
                "id": .int, "user_id": .int, "actor_user_id": .int, "action": .text, "entity_type": .text, "entity_id": .int,
                "before_state": .json, "after_state": .json, "occurred_at": .instant,
            ], secret: []),
        Table(
            name: "market_data_access_log", owned: byUser,
            columns: ["id": .int, "user_id": .int, "symbol": .text, "data_type": .text, "fetched_at": .instant, "source": .text],
            secret: []),
    ]

    /// The user's data as a JSON document, `nil` when there is no such user.
    public static func document(userId: Int64, at now: Date, on db: any SQLDatabase) async throws -> Data? {
        var tablesJSON: [String: Any] = [:]
        for table in tables {
            tablesJSON[table.name] = try await rows(of: table, userId: userId, on: db)
        }
        guard let user = (tablesJSON["users"] as? [[String: Any]])?.first else { return nil }
        // The document's own instant in the API's form (whole seconds); the rows keep their microseconds.
        let exportedAt = rfc3339(Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
        let document: [String: Any] = ["exported_at": exportedAt, "user": user, "tables": tablesJSON]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func rows(of table: Table, userId: Int64, on db: any SQLDatabase) async throws -> [[String: Any]] {
        let columns = table.columns.map(\.key)
        var query: SQLQueryString = "SELECT \(idents: columns, joinedBy: ", ") FROM \(ident: table.name) WHERE "
        // `?` marks where the user's id goes (once, or twice for the audit log).
        let parts = table.owned.split(separator: "?", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            query += "\(unsafeRaw: String(part))"
            if index < parts.count - 1 { query += "\(bind: userId)" }
        }
        query += " ORDER BY 1"
        return try await db.raw(query).all().map { row in
            var object: [String: Any] = [:]
            for (column, kind) in table.columns {
                object[column] = try value(row, column, kind) ?? NSNull()
            }
            return object
        }
    }

    private static func value(_ row: any SQLRow, _ column: String, _ kind: Kind) throws -> Any? {
        if try row.decodeNil(column: column) { return nil }
        switch kind {
        case .int: return try row.decode(column: column, as: Int64.self)
        case .text: return try row.decode(column: column, as: String.self)
        case .decimal: return try row.decimal(column).description
        case .instant: return rfc3339(try row.timestamp(column))
        case .bool: return try row.decode(column: column, as: Bool.self)
        case .json:
            let text = try row.decode(column: column, as: StoredJSON.self).text
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        }
    }

    /// RFC 3339 in UTC with the stored microseconds (`2026-03-18T15:00:00.250000Z`), none when whole.
    static func rfc3339(_ instant: Date) -> String {
        let (seconds, fraction) = StoredTimestamp(instant).microsecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000)
        let whole = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle(timeZone: .gmt)).dropLast()
        return fraction == 0 ? "\(whole)Z" : "\(whole).\(String(format: "%06lld", fraction))Z"
    }
}
