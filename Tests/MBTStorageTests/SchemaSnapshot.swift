import Foundation
import MBTStorage
import MBTTestSupport
import SQLKit

/// The tables, columns and indexes of a database, to compare schemas across migrations.
struct SchemaSnapshot: Equatable {
    var tables: Set<String>
    var columns: Set<String>
    var indexes: Set<String>

    static let expectedTables: Set<String> = [
        "users", "paper_accounts", "api_tokens", "feature_flags", "strategies", "lcc_strategy_config",
        "tax_lots", "tax_lot_dispositions", "wash_sale_lots", "holding_period_classifications",
        "paper_positions", "paper_orders", "paper_fills", "market_data_access_log",
        "audit_log", "cash_movements", "mbt_eod_snapshots", "job_runs", "bar_watermarks", "api_keys", "web_sessions",
        "web_login_failures", "bar_loop_engines",
    ]

    static func take(_ database: any DatabaseClient) async throws -> SchemaSnapshot {
        try await database.withConnection { db in
            switch database.dialect {
            case .postgres:
                let tables = try await db.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                let columns = try await db.raw(
                    "SELECT table_name || '.' || column_name || ':' || data_type AS name FROM information_schema.columns WHERE table_schema = 'public'"
                ).all().map { try $0.decode(column: "name", as: String.self) }
                let indexes = try await db.raw("SELECT indexdef AS name FROM pg_indexes WHERE schemaname = 'public'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                return SchemaSnapshot(tables: Set(tables), columns: Set(columns), indexes: Set(indexes))
            case .sqlite:
                let objects = try await db.raw("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all()
                var snapshot = SchemaSnapshot(tables: [], columns: [], indexes: [])
                for object in objects {
                    let type = try object.decode(column: "type", as: String.self)
                    let name = try object.decode(column: "name", as: String.self)
                    let sql = try object.decode(column: "sql", as: String?.self) ?? ""
                    if type == "table" {
                        snapshot.tables.insert(name)
                        snapshot.columns.insert(
                            name + ":" + sql.replacingOccurrences(of: "paper_positions_rebuilt", with: "paper_positions"))
                    } else if type == "index" {
                        snapshot.indexes.insert(sql)
                    }
                }
                return snapshot
            }
        }
    }

    /// `column→referenced_table` for each foreign key of `table`.
    static func foreignKeys(_ database: any DatabaseClient, table: String) async throws -> Set<String> {
        try await database.withConnection { db in
            let query: SQLQueryString =
                switch database.dialect {
                case .postgres:
                    """
                    SELECT kcu.column_name || '→' || ccu.table_name AS fk
                    FROM information_schema.table_constraints tc
                    JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name
                    JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name
                    WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = \(bind: table)
                    """
                case .sqlite:
                    "SELECT \"from\" || '→' || \"table\" AS fk FROM pragma_foreign_key_list(\(bind: table))"
                }
            return Set(try await db.raw(query).all().map { try $0.decode(column: "fk", as: String.self) })
        }
    }
}
