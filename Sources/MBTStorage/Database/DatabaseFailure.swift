import PostgresNIO

/// Sorts database errors into the ones that mean "the database is not there" (a dropped or
/// refused connection, a server shutting down, a deadline passed) and the rest (a constraint, a
/// bug), because the two call for different answers: the first a 503 and a retry later, the
/// second a retry of the request on its own.
public enum DatabaseFailure {
    public static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case is DeadlineExceeded: return true
        case let error as PostgresTransactionError:
            // A transaction whose connection died fails at some step and then again at its rollback.
            return [error.beginError, error.closureError, error.commitError, error.rollbackError].contains {
                $0.map(isUnavailable) ?? false
            }
        case let error as StorageError:
            if case .unreachable = error { return true }
            return false
        case let error as PSQLError:
            switch error.code {
            case .clientClosedConnection, .serverClosedConnection, .connectionError, .uncleanShutdown, .poolClosed: return true
            case .server:
                // Class 08: connection exceptions; 57P01–57P03: the server shuts down or restarts;
                // 57014: a statement ran past statement_timeout (the database did not answer in time).
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "57014"
            default: return false
            }
        default: return false
        }
    }
}
