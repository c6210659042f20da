/// One versioned, append-only change to the schema, with the step that undoes it.
///
/// Statements are written once, in PostgreSQL's dialect; on SQLite they run through
/// ``SQLiteDDLTranslator`` unless they are PostgreSQL-only, in which case they carry their SQLite
/// equivalent.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    let up: [SchemaStatement]
    let down: [SchemaStatement]

    init(version: Int, name: String, up: [SchemaStatement], down: [SchemaStatement]) {
        self.version = version
        self.name = name
        self.up = up
        self.down = down
    }
}

/// A schema statement in PostgreSQL's dialect, and what runs on SQLite in its place.
struct SchemaStatement: Sendable {
    let postgres: String
    /// `nil`: the mechanical translation of ``postgres``. Otherwise these statements (maybe none).
    let sqliteForm: [String]?

    /// A statement both engines run (SQLite after translation).
    static func portable(_ sql: String) -> SchemaStatement {
        SchemaStatement(postgres: sql, sqliteForm: nil)
    }

    /// A statement only PostgreSQL runs; its text must begin with the `-- POSTGRES-ONLY` sentinel.
    /// `sqlite` is what SQLite runs instead to reach the same schema (possibly nothing).
    static func postgresOnly(_ sql: String, sqlite: [String]) -> SchemaStatement {
        precondition(sql.hasPrefix(SQLiteDDLTranslator.postgresOnlySentinel), "PostgreSQL-only DDL must carry the sentinel")
        return SchemaStatement(postgres: sql, sqliteForm: sqlite)
    }

    func sql(for dialect: DatabaseDialect) throws(StorageError) -> [String] {
        switch dialect {
        case .postgres:
            return [postgres]
        case .sqlite:
            if let sqliteForm { return sqliteForm }
            return [try SQLiteDDLTranslator.translate(postgres)]
        }
    }
}
