import PostgresNIO
import SQLiteNIO

/// Classifies driver errors that callers must answer differently from "the database failed".
enum SQLErrorKind {
    case uniqueViolation
    /// SQLite gave up waiting for another connection's lock (its busy timeout).
    case busy
    case other

    init(_ error: any Error) {
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505" {
            self = .uniqueViolation
        } else if let error = error as? SQLiteError,
            [.constraintUniqueFailed, .constraintPrimaryKeyFailed].contains(error.reason)
                || (error.reason == .constraint && error.message.contains("UNIQUE constraint failed"))
        {
            self = .uniqueViolation
        } else if let error = error as? SQLiteError, error.reason == .busy {
            self = .busy
        } else {
            self = .other
        }
    }
}
