import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

/// A user's data: exported whole (a row in every table of theirs is found in the export, no secret
/// is), and deleted whole (no table keeps a row of theirs; the audit row keeps no personal data)
/// (docs/privacy.md).
@Suite("Privacy: export and deletion")
struct PrivacyTests {
    /// The user's rows the ordinary API does not make in a moment: written directly, one per table.
    static func insertRowsNoRouteMakes(userId: Int64, fillId: Int64, lotId: Int64, on db: any SQLDatabase) async throws {
        let at = StoredTimestamp(TestApp.now)
        try await db.raw(
            """
            INSERT INTO web_sessions (user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at)
            VALUES (\(bind: userId), 'session-hash', 'csrf', \(bind: at), \(bind: at), \(bind: at))
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO web_login_failures (user_name, address, failed_at)
            SELECT name, '127.0.0.1', \(bind: at) FROM users WHERE id = \(bind: userId)
            """
        ).run()
        let watchlist = try await db.raw(
            "INSERT INTO watchlists (user_id, name, created_at, updated_at) VALUES (\(bind: userId), 'tech', \(bind: at), \(bind: at)) RETURNING id"
        ).first()!.decode(column: "id", as: Int64.self)
        try await db.raw(
            "INSERT INTO watchlist_assets (watchlist_id, symbol, position, added_at) VALUES (\(bind: watchlist), 'AAPL', 0, \(bind: at))"
        ).run()
        let strategy = try await db.raw(
            "INSERT INTO strategies (user_id, name, kind, created_at) VALUES (\(bind: userId), 'covered calls', 'lcc', \(bind: at)) RETURNING id"
        ).first()!.decode(column: "id", as: Int64.self)
        try await db.raw(
            """
            INSERT INTO lcc_strategy_config (strategy_id, underlying, default_tax_lot_method, roll_days_before_expiry, updated_at)
            VALUES (\(bind: strategy), 'AAPL', 'fifo', 7, \(bind: at))
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO cash_movements (user_id, kind, amount, description, dedupe_key, occurred_at)
            VALUES (\(bind: userId), 'dividend', \(bind: StoredDecimal(25)), 'AAPL dividend', 'div:1', \(bind: at))
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO mbt_eod_snapshots (user_id, snapshot_date, equity, cash, positions_json, created_at)
            VALUES (\(bind: userId), '2026-03-19', \(bind: StoredDecimal(100_000)), \(bind: StoredDecimal(100_000)),
                \(bind: StoredJSON(text: "[]")), \(bind: at))
            """
        ).run()
        let disposition = try await db.raw(
            """
            INSERT INTO tax_lot_dispositions (user_id, tax_lot_id, close_fill_id, kind, lot_method, qty, proceeds, cost_basis, gain,
                wash_sale_disallowed, disposed_at, seq)
            VALUES (\(bind: userId), \(bind: lotId), \(bind: fillId), 'sale', 'fifo', \(bind: StoredDecimal(1)), \(bind: StoredDecimal(170)),
                \(bind: StoredDecimal(172)), \(bind: StoredDecimal(-2)), \(bind: StoredDecimal(2)), \(bind: at), 1)
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int64.self)
        try await db.raw(
            """
            INSERT INTO wash_sale_lots (user_id, loss_disposition_id, replacement_lot_id, qty, disallowed_loss, holding_days_carried, created_at, seq)
            VALUES (\(bind: userId), \(bind: disposition), \(bind: lotId), \(bind: StoredDecimal(1)), \(bind: StoredDecimal(2)), 3, \(bind: at), 1)
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO holding_period_classifications (user_id, disposition_id, term, holding_days, short_term_gain, long_term_gain,
                tax_year, classified_at)
            VALUES (\(bind: userId), \(bind: disposition), 'short', 1, \(bind: StoredDecimal(-2)), \(bind: StoredDecimal(0)), 2026, \(bind: at))
            """
        ).run()
    }

    /// Every table with a `user_id`, with its columns, as the database has them.
    static func userTables(_ database: any DatabaseClient) async throws -> [String: Set<String>] {
        let query: SQLQueryString =
            database.dialect == .postgres
            ? "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'"
            : "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        let rows = try await database.withConnection { db in try await db.raw(query).all() }
        var columns: [String: Set<String>] = [:]
        for row in rows {
            columns[try row.decode(column: "t", as: String.self), default: []].insert(try row.decode(column: "c", as: String.self))
        }
        return columns
    }

    @Test func theExportHoldsEveryTableOfTheUserAndNoSecret() async throws {
        try await TestApp.run { app in
            let (alice, token) = try await app.user("alice")
            _ = try await app.user("bob")
            #expect(
                try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "10")).status
                    == .created)
            let resting = OrderRoutesTests.ticket("AAPL", "buy", "1", type: "limit", limit: "1")
            #expect(try await app.request(.post, "/api/trading/orders", token: token, body: resting).status == .created)
            _ = try await app.request(.get, "/api/market/quotes?symbols=AAPL", token: token)
            let key = try await APIKeyStore(database: app.database).create(forUserNamed: "alice", at: TestApp.now)
            await app.marketData.accessLog.flush()
            try await app.database.withConnection { db in
                let fill = try await db.raw("SELECT id FROM paper_fills").first()!.decode(column: "id", as: Int64.self)
                let lot = try await db.raw("SELECT id FROM tax_lots").first()!.decode(column: "id", as: Int64.self)
                try await Self.insertRowsNoRouteMakes(userId: alice.id, fillId: fill, lotId: lot, on: db)
            }

            let response = try await app.request(.get, "/api/trading/export", token: token)
            #expect(response.status == .ok)
            try await OpenAPIContract.load(app).check(response, .get, "/api/trading/export")
            let text = String(buffer: response.body)
            let tables = try #require(try response.json()["tables"] as? [String: [[String: Any]]])
            for table in UserDataExport.tables {
                #expect(tables[table.name]?.isEmpty == false, "no \(table.name) row in the export")
            }
            #expect(!text.contains(token) && !text.contains("token_hash") && !text.contains("bob"))
            #expect(!text.contains(key.secret) && !text.contains("secret_hash"))
            #expect(!text.contains("session-hash") && !text.contains("password_hash"))
            #expect((tables["paper_orders"]?.first?["qty"] as? String) == "10.000000")

            // Every table of a user's, and every column of it, is exported (or declared secret).
            let exported = Dictionary(uniqueKeysWithValues: UserDataExport.tables.map { ($0.name, $0) })
            for (table, columns) in try await Self.userTables(app.database) where columns.contains("user_id") {
                let spec = try #require(exported[table], "\(table) has a user_id but is not exported")
                #expect(columns.subtracting(spec.columns.map(\.key)).subtracting(spec.secret).isEmpty, "\(table)")
            }
        }
    }

    @Test func anAdminDeletesAUserAndEveryRowOfTheirsGoes() async throws {
        try await TestApp.run { app in
            let (alice, token) = try await app.user("alice")
            let (_, adminToken) = try await app.user("root", role: .admin)
            #expect(
                try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "10")).status
                    == .created)
            try await app.database.withConnection { db in
                let fill = try await db.raw("SELECT id FROM paper_fills").first()!.decode(column: "id", as: Int64.self)
                let lot = try await db.raw("SELECT id FROM tax_lots").first()!.decode(column: "id", as: Int64.self)
                try await Self.insertRowsNoRouteMakes(userId: alice.id, fillId: fill, lotId: lot, on: db)
            }
            // Not an admin: no such route.
            #expect(try await app.request(.delete, "/api/admin/users/\(alice.id)", token: token).status == .notFound)

            let deleted = try await app.request(.delete, "/api/admin/users/\(alice.id)", token: adminToken)
            #expect(deleted.status == .ok)
            try await OpenAPIContract.load(app).check(deleted, .delete, "/api/admin/users/{id}")
            try await app.database.withConnection { db in
                let export = try await UserDataExport.document(userId: alice.id, at: TestApp.now, on: db)
                #expect(export == nil)
                for table in UserDataExport.tables where table.name != "audit_log" {
                    #expect(try await Self.count(table.name, owner: alice.id, db) == 0, "\(table.name) kept a row")
                }
                let audit = try await db.raw(
                    "SELECT user_id, entity_id, before_state, after_state FROM audit_log WHERE action = 'user_deleted'"
                ).all()
                #expect(audit.count == 1)
                #expect(try audit.first?.decode(column: "user_id", as: Int64?.self) == nil)
                #expect(try audit.first?.decode(column: "entity_id", as: Int64.self) == alice.id)
                #expect(
                    try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE user_id = \(bind: alice.id)").first()?.decode(
                        column: "n", as: Int.self) == 0)
            }
            #expect(try await app.request(.delete, "/api/admin/users/\(alice.id)", token: adminToken).status == .notFound)
        }
    }

    static func count(_ table: String, owner: Int64, _ db: any SQLDatabase) async throws -> Int {
        if table == "web_login_failures" {
            return try await db.raw("SELECT COUNT(*) AS n FROM web_login_failures WHERE user_name = 'alice'").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        let column = table == "users" ? "id" : ["lcc_strategy_config", "watchlist_assets"].contains(table) ? nil : "user_id"
        guard let column else {
            return try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(ident: column) = \(bind: owner)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
