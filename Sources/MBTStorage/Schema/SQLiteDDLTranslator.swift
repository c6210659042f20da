import Foundation

/// Turns schema statements written in PostgreSQL's dialect into SQLite's, so the schema is written
/// once.
///
/// The mapping keeps values exact on SQLite:
/// - `BIGSERIAL PRIMARY KEY` → `INTEGER PRIMARY KEY AUTOINCREMENT`
/// - `NUMERIC(18,6)` → `INTEGER` (micro-units; see ``StoredDecimal``)
/// - `TIMESTAMPTZ` → `INTEGER` (microseconds since the epoch; see ``StoredTimestamp``)
/// - `DEFAULT now()` → the current time in those microseconds
/// - `JSONB` → `TEXT`, `BOOLEAN` → `INTEGER`
///
/// Anything it cannot map faithfully is refused rather than approximated: a non-zero default on a
/// money column (it would need scaling), casts, `now()` outside a default, `ALTER TABLE … ADD
/// CONSTRAINT`, and statements marked `-- POSTGRES-ONLY`, which carry their own SQLite form.
enum SQLiteDDLTranslator {
    static let postgresOnlySentinel = "-- POSTGRES-ONLY"

    private static let replacements: [(String, String)] = [
        ("BIGSERIAL PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT"),
        ("NUMERIC(18,6)", "INTEGER"),
        ("TIMESTAMPTZ", "INTEGER"),
        ("DEFAULT now()", "DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))"),
        ("JSONB", "TEXT"),
        ("BOOLEAN", "INTEGER"),
    ]

    static func translate(_ statement: String) throws(StorageError) -> String {
        if statement.contains(postgresOnlySentinel) {
            throw .schemaTranslation("statement marked \(postgresOnlySentinel) needs an explicit SQLite form")
        }
        if statement.contains("::") {
            throw .schemaTranslation("PostgreSQL casts (::) have no SQLite translation")
        }
        if statement.range(of: #"ADD\s+CONSTRAINT"#, options: .regularExpression) != nil {
            throw .schemaTranslation("SQLite cannot add constraints to an existing table")
        }
        for line in statement.split(separator: "\n") where line.contains("NUMERIC(18,6)") {
            if let match = line.range(of: #"DEFAULT\s+-?[0-9.]+"#, options: .regularExpression),
                !line[match].hasSuffix(" 0")
            {
                throw .schemaTranslation("a non-zero default on a NUMERIC(18,6) column would need scaling: \(line)")
            }
        }
        var result = statement
        for (postgres, sqlite) in replacements {
            result = result.replacingOccurrences(of: postgres, with: sqlite)
        }
        if result.contains("now()") {
            throw .schemaTranslation("now() is only translated as a column default")
        }
        return result
    }
}
