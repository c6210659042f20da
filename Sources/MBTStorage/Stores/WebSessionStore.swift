import Foundation
import MBTDomain
import SQLKit

/// The web app's sign-in sessions (`web_sessions`) and failed sign-ins (`web_login_failures`),
/// kept in the database so that every server on it shares them (docs/web-app.md).
///
/// A session is found by the SHA-256 hash of its cookie (``APIToken/hash(_:)``): the cookie itself
/// is never stored. Whether a session is still valid is decided by the caller from
/// ``Session/lastSeenAt`` and ``Session/expiresAt``.
public struct WebSessionStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public struct Session: Sendable, Hashable {
        public let id: Int64
        public let user: User
        /// The token every form of this session must carry.
        public let csrfToken: String
        public let createdAt: Date
        public let lastSeenAt: Date
        /// The absolute end of the session, however active it is.
        public let expiresAt: Date
    }

    /// Starts a session for `userId` whose cookie is `token`.
    public func create(userId: Int64, token: String, csrfToken: String, at now: Date, expiresAt: Date) async throws {
        try await database.withTransaction { db in
            try await db.insert(into: "web_sessions")
                .columns("user_id", "token_hash", "csrf_token", "created_at", "last_seen_at", "expires_at")
                .values(
                    SQLBind(userId), SQLBind(APIToken.hash(token)), SQLBind(csrfToken), SQLBind(StoredTimestamp(now)),
                    SQLBind(StoredTimestamp(now)), SQLBind(StoredTimestamp(expiresAt))
                )
                .run()
            try await AuditLog.record(
                AuditEntry(userId: userId, action: "web_sign_in", entityType: "user", entityId: userId, occurredAt: now), on: db)
        }
    }

    /// The session whose cookie is `token`, with its user; `nil` when there is none.
    public func session(token: String) async throws -> Session? {
        try await database.withConnection { db in
            try await db.select()
                .columns(
                    SQLColumn("id", table: "web_sessions"), SQLColumn("csrf_token"), SQLColumn("last_seen_at"), SQLColumn("expires_at"),
                    SQLAlias(SQLColumn("created_at", table: "web_sessions"), as: SQLIdentifier("session_created_at")),
                    SQLAlias(SQLColumn("id", table: "users"), as: SQLIdentifier("user_id")), SQLColumn("name"), SQLColumn("role"),
                    SQLColumn("tier"), SQLColumn("created_at", table: "users")
                )
                .from("web_sessions")
                .join("users", on: SQLColumn("id", table: "users"), .equal, SQLColumn("user_id", table: "web_sessions"))
                .where(SQLColumn("token_hash", table: "web_sessions"), .equal, SQLBind(APIToken.hash(token)))
                .first()
                .map { row in
                    Session(
                        id: try row.decode(column: "id", as: Int64.self),
                        user: User(
                            id: try row.decode(column: "user_id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                            role: try row.enumValue("role", as: UserRole.self), tier: try row.enumValue("tier", as: UserTier.self),
                            createdAt: try row.timestamp("created_at")),
                        csrfToken: try row.decode(column: "csrf_token", as: String.self),
                        createdAt: try row.timestamp("session_created_at"), lastSeenAt: try row.timestamp("last_seen_at"),
                        expiresAt: try row.timestamp("expires_at"))
                }
        }
    }

    /// Records that the session was used at `now` (its idle expiry counts from there).
    public func touch(sessionId: Int64, at now: Date) async throws {
        try await database.withConnection { db in
            try await db.update("web_sessions").set("last_seen_at", to: SQLBind(StoredTimestamp(now)))
                .where("id", .equal, SQLBind(sessionId)).run()
        }
    }

    /// Ends the session whose cookie is `token` (sign-out, or found expired).
    public func delete(token: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "web_sessions").where("token_hash", .equal, SQLBind(APIToken.hash(token))).run()
        }
    }

    /// Removes sessions past their absolute expiry or idle since before `idleSince`, and failed
    /// sign-ins older than `failuresBefore`; returns how many sessions ended.
    @discardableResult
    public func purge(at now: Date, idleSince: Date, failuresBefore: Date) async throws -> Int {
        try await database.withConnection { db in
            try await db.delete(from: "web_login_failures").where("failed_at", .lessThan, SQLBind(StoredTimestamp(failuresBefore))).run()
            return try await db.delete(from: "web_sessions")
                .where("expires_at", .lessThanOrEqual, SQLBind(StoredTimestamp(now)))
                .orWhere("last_seen_at", .lessThan, SQLBind(StoredTimestamp(idleSince)))
                .returning("id").all().count
        }
    }

    // MARK: - Failed sign-ins

    public func recordFailure(userName: String, address: String, at now: Date) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "web_login_failures").columns("user_name", "address", "failed_at")
                .values(SQLBind(userName), SQLBind(address), SQLBind(StoredTimestamp(now))).run()
        }
    }

    /// Failed sign-ins since `since` for the user name and for the address.
    public func failures(userName: String, address: String, since: Date) async throws -> (user: Int, address: Int) {
        try await database.withConnection { db in
            let byUser =
                try await db.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("web_login_failures")
                .where("user_name", .equal, SQLBind(userName)).where("failed_at", .greaterThanOrEqual, SQLBind(StoredTimestamp(since)))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let byAddress =
                try await db.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("web_login_failures")
                .where("address", .equal, SQLBind(address)).where("failed_at", .greaterThanOrEqual, SQLBind(StoredTimestamp(since)))
                .first(decodingColumn: "n", as: Int.self) ?? 0
            return (byUser, byAddress)
        }
    }

    /// Forgets the user's failed sign-ins (after a successful one).
    public func clearFailures(userName: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "web_login_failures").where("user_name", .equal, SQLBind(userName)).run()
        }
    }
}
