/// Failures of the storage layer, each with a message an operator can act on.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `DATABASE_URL` could not be understood.
    case invalidDatabaseURL(String)
    /// The database server could not be reached or refused the connection.
    case unreachable(String)
    /// The database has migrations this binary does not know: it was migrated by a newer MBT.
    case schemaNewerThanBinary(databaseVersion: Int, knownVersion: Int)
    /// Migrations are pending and this command does not apply them.
    case migrationsPending(current: Int, latest: Int)
    /// A recorded migration does not match the one this binary has under that version.
    case migrationMismatch(version: Int, recorded: String, expected: String)
    /// A schema statement could not be prepared for the database.
    case schemaTranslation(String)
    /// A row with this key already exists.
    case duplicate(String)
    /// No such row.
    case notFound(String)
    /// A stored value is not what the schema promises.
    case corruptValue(String)

    public var description: String {
        switch self {
        case .invalidDatabaseURL(let reason):
            "invalid DATABASE_URL: \(reason)"
        case .unreachable(let reason):
            "database unreachable: \(reason)"
        case .schemaNewerThanBinary(let databaseVersion, let knownVersion):
            "database schema is at version \(databaseVersion) but this mbt only knows up to \(knownVersion); upgrade mbt or migrate the database down with a newer mbt"
        case .migrationsPending(let current, let latest):
            "database schema is at version \(current), \(latest - current) migration(s) pending; run `mbt migrate up`"
        case .migrationMismatch(let version, let recorded, let expected):
            "migration \(version) is recorded as '\(recorded)' but this mbt calls it '\(expected)'; the database was migrated by a different build"
        case .schemaTranslation(let reason):
            "schema statement cannot run here: \(reason)"
        case .duplicate(let what):
            "\(what) already exists"
        case .notFound(let what):
            "\(what) not found"
        case .corruptValue(let what):
            "stored value is invalid: \(what)"
        }
    }
}
