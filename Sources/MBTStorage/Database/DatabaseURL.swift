import Foundation

/// Where the data lives, parsed from `DATABASE_URL`.
///
/// - `postgres://user:password@host:port/database` (also `postgresql://`); `?sslmode=disable|prefer|require`.
/// - `sqlite:///absolute/path/file.sqlite`, `sqlite://relative/file.sqlite` or `sqlite://:memory:`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case postgres(PostgresLocation)
    case sqlite(path: String)

    /// The embedded default: a SQLite file in the working directory.
    public static let embeddedDefault = DatabaseURL.sqlite(path: "mbt.sqlite")

    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var tls: TLSMode

        public enum TLSMode: String, Sendable, Equatable {
            case disable, prefer, require
        }

        public init(host: String, port: Int = 5432, username: String, password: String?, database: String, tls: TLSMode) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.tls = tls
        }
    }

    public var dialect: DatabaseDialect {
        switch self {
        case .postgres: .postgres
        case .sqlite: .sqlite
        }
    }

    /// Parses a `DATABASE_URL`; the error says what is wrong and what a valid one looks like.
    public init(parsing text: String) throws(StorageError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let rest = trimmed.strippingPrefix("sqlite://") {
            guard !rest.isEmpty else {
                throw .invalidDatabaseURL("sqlite URL has no path; use sqlite:///absolute/path/file.sqlite or sqlite://file.sqlite")
            }
            self = .sqlite(path: rest)
            return
        }
        guard trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") else {
            throw .invalidDatabaseURL("DATABASE_URL must start with postgres:// or sqlite:// (got '\(Self.redacted(trimmed))')")
        }
        guard let components = URLComponents(string: trimmed) else {
            throw .invalidDatabaseURL("'\(Self.redacted(trimmed))' is not a valid URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidDatabaseURL("postgres URL has no host; expected postgres://user:password@host:5432/database")
        }
        guard let username = components.user, !username.isEmpty else {
            throw .invalidDatabaseURL("postgres URL has no user name; expected postgres://user:password@host:5432/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidDatabaseURL("postgres URL has no database name; expected postgres://user:password@host:5432/database")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw .invalidDatabaseURL("postgres URL port \(port) is out of range")
        }
        var tls = PostgresLocation.TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw .invalidDatabaseURL("unknown postgres URL parameter '\(item.name)'; only sslmode is understood")
            }
            guard let mode = item.value.flatMap(PostgresLocation.TLSMode.init(rawValue:)) else {
                throw .invalidDatabaseURL("sslmode must be disable, prefer or require")
            }
            tls = mode
        }
        self = .postgres(
            PostgresLocation(
                host: host,
                port: components.port ?? 5432,
                username: username.removingPercentEncoding ?? username,
                password: components.password.map { $0.removingPercentEncoding ?? $0 },
                database: database,
                tls: tls
            )
        )
    }

    /// The URL with any password hidden, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path):
            "sqlite://\(path)"
        case .postgres(let location):
            "postgres://\(location.username)\(location.password == nil ? "" : ":***")@\(location.host):\(location.port)/\(location.database)"
        }
    }

    /// The URL text, password included, that parses back to this value; for passing to child
    /// processes, never for logs.
    public var connectionString: String {
        switch self {
        case .sqlite(let path):
            return "sqlite://\(path)"
        case .postgres(let location):
            let user = location.username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? location.username
            let password = location.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
            return "postgres://\(user)\(password)@\(location.host):\(location.port)/\(location.database)?sslmode=\(location.tls.rawValue)"
        }
    }

    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let schemeEnd = text.range(of: "://") else { return text }
        let credentials = text[schemeEnd.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

extension String {
    fileprivate func strippingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
