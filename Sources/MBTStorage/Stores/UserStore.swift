import Foundation
import MBTDomain
import SQLKit

/// Users, their paper accounts and their API tokens.
public struct UserStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// A new user with their account, and the one time their first token is visible.
    public struct CreatedUser: Sendable {
        public let user: User
        public let account: PaperAccount
        public let token: String
    }

    public func create(
        name: String,
        role: UserRole = .user,
        tier: UserTier = .free,
        startingBalance: Decimal6 = PaperAccount.defaultStartingBalance,
        passwordHash: String? = nil,
        at now: Date
    ) async throws -> CreatedUser {
        let token = APIToken.generate()
        do {
            return try await database.withTransaction { db in
                let userId = try await db.insert(into: "users")
                    .columns("name", "role", "tier", "password_hash", "created_at")
                    .values(
                        SQLBind(name), SQLBind(role.rawValue), SQLBind(tier.rawValue), SQLBind(passwordHash), SQLBind(StoredTimestamp(now))
                    )
                    .returning("id")
                    .first(decodingColumn: "id", as: Int64.self)
                guard let userId else { throw StorageError.corruptValue("insert into users returned no id") }
                let accountId = try await db.insert(into: "paper_accounts")
                    .columns("user_id", "starting_balance", "cash_balance", "created_at", "updated_at")
                    .values(
                        SQLBind(userId), SQLBind(StoredDecimal(startingBalance)), SQLBind(StoredDecimal(startingBalance)),
                        SQLBind(StoredTimestamp(now)), SQLBind(StoredTimestamp(now))
                    )
                    .returning("id")
                    .first(decodingColumn: "id", as: Int64.self)
                guard let accountId else { throw StorageError.corruptValue("insert into paper_accounts returned no id") }
                try await insertToken(token, userId: userId, at: now, on: db)
                try await AuditLog.record(
                    AuditEntry(
                        userId: userId, action: "user_created", entityType: "user", entityId: userId,
                        after: [
                            "name": name, "role": role.rawValue, "tier": tier.rawValue, "starting_balance": startingBalance.description,
                        ],
                        occurredAt: now
                    ),
                    on: db
                )
                let user = User(id: userId, name: name, role: role, tier: tier, createdAt: StoredTimestamp(now).date)
                let account = PaperAccount(
                    id: accountId, userId: userId, startingBalance: startingBalance, cashBalance: startingBalance,
                    status: .active, defaultTaxLotMethod: .fifo, createdAt: StoredTimestamp(now).date
                )
                return CreatedUser(user: user, account: account, token: token)
            }
        } catch  where SQLErrorKind(error) == .uniqueViolation {
            throw StorageError.duplicate("user '\(name)'")
        }
    }

    /// A new API token for the user; the earlier ones are revoked in the same transaction, so a
    /// token that leaked stops working the moment its replacement is issued.
    public func issueToken(forUserNamed name: String, at now: Date) async throws -> String {
        let token = APIToken.generate()
        try await database.withTransaction { db in
            guard let user = try await user(named: name, on: db) else { throw StorageError.notFound("user '\(name)'") }
            let revoked = try await db.update("api_tokens").set("revoked_at", to: SQLBind(StoredTimestamp(now)))
                .where("user_id", .equal, SQLBind(user.id)).where("revoked_at", .is, SQLLiteral.null).returning("id").all().count
            try await insertToken(token, userId: user.id, at: now, on: db)
            try await AuditLog.record(
                AuditEntry(
                    userId: user.id, action: "api_token_issued", entityType: "user", entityId: user.id,
                    after: ["earlier_tokens_revoked": "\(revoked)"], occurredAt: now),
                on: db
            )
        }
        return token
    }

    /// Revokes every token of the user, so none works any more; returns how many were live.
    public func revokeTokens(ofUserNamed name: String, at now: Date) async throws -> Int {
        try await database.withTransaction { db in
            guard let user = try await user(named: name, on: db) else { throw StorageError.notFound("user '\(name)'") }
            let revoked = try await db.update("api_tokens").set("revoked_at", to: SQLBind(StoredTimestamp(now)))
                .where("user_id", .equal, SQLBind(user.id)).where("revoked_at", .is, SQLLiteral.null).returning("id").all().count
            try await AuditLog.record(
                AuditEntry(
                    userId: user.id, action: "api_tokens_revoked", entityType: "user", entityId: user.id,
                    after: ["tokens_revoked": "\(revoked)"], occurredAt: now), on: db)
            return revoked
        }
    }

    /// Sets (or replaces) the user's web password hash; their web sessions end in the same
    /// transaction, so a changed password signs every browser out.
    public func setPasswordHash(_ hash: String, forUserNamed name: String, at now: Date) async throws {
        try await database.withTransaction { db in
            guard let user = try await user(named: name, on: db) else { throw StorageError.notFound("user '\(name)'") }
            try await db.update("users").set("password_hash", to: SQLBind(hash)).where("id", .equal, SQLBind(user.id)).run()
            let ended = try await db.delete(from: "web_sessions").where("user_id", .equal, SQLBind(user.id)).returning("id").all().count
            try await AuditLog.record(
                AuditEntry(
                    userId: user.id, action: "password_set", entityType: "user", entityId: user.id,
                    after: ["web_sessions_ended": "\(ended)"], occurredAt: now),
                on: db
            )
        }
    }

    /// The user named `name` and their password hash (`nil` when they have no password), for signing in.
    public func credentials(named name: String) async throws -> (user: User, passwordHash: String?)? {
        try await database.withConnection { db in
            guard
                let row = try await db.select().columns("id", "name", "role", "tier", "created_at", "password_hash").from("users")
                    .where("name", .equal, SQLBind(name)).first()
            else { return nil }
            return (
                try Self.decodeUser(row),
                try row.decodeNil(column: "password_hash") ? nil : try row.decode(column: "password_hash", as: String.self)
            )
        }
    }

    public func list() async throws -> [User] {
        try await database.withConnection { db in
            try await selectUsers(on: db).orderBy("name").all().map(Self.decodeUser)
        }
    }

    public func user(named name: String) async throws -> User? {
        try await database.withConnection { db in try await user(named: name, on: db) }
    }

    public func user(id: Int64) async throws -> User? {
        try await database.withConnection { db in
            try await selectUsers(on: db).where("id", .equal, SQLBind(id)).first().map(Self.decodeUser)
        }
    }

    /// Removes the user and, through the schema's cascades, every row of theirs.
    public func delete(named name: String, at now: Date = Date()) async throws {
        let id = try await database.withConnection { db in try await user(named: name, on: db)?.id }
        guard let id else { throw StorageError.notFound("user '\(name)'") }
        try await delete(userId: id, actor: nil, at: now)
    }

    /// Deletes the user and, by the schema's cascades, every row of theirs (docs/privacy.md). The
    /// audit row that records it keeps no personal data: the id, who deleted it, and when.
    public func delete(userId: Int64, actor: Int64?, at now: Date) async throws {
        let deleted = try await database.withTransaction { db in
            // Failed sign-ins name the user rather than point at them: no cascade reaches them.
            try await db.raw(
                "DELETE FROM web_login_failures WHERE user_name = (SELECT name FROM users WHERE id = \(bind: userId))"
            ).run()
            guard try await db.delete(from: "users").where("id", .equal, SQLBind(userId)).returning("id").first() != nil else {
                return false
            }
            try await AuditLog.record(
                AuditEntry(
                    userId: nil, actorUserId: actor == userId ? nil : actor, action: "user_deleted", entityType: "user", entityId: userId,
                    occurredAt: now), on: db)
            return true
        }
        guard deleted else { throw StorageError.notFound("user \(userId)") }
    }

    /// The user a bearer token belongs to, unless the token is unknown or revoked.
    public func user(forToken token: String) async throws -> User? {
        let hash = APIToken.hash(token)
        return try await database.withConnection { db in
            try await db.select()
                .columns(
                    SQLColumn("id", table: "users"), SQLColumn("name"), SQLColumn("role"), SQLColumn("tier"),
                    SQLColumn("created_at", table: "users")
                )
                .from("users")
                .join("api_tokens", on: SQLColumn("user_id", table: "api_tokens"), .equal, SQLColumn("id", table: "users"))
                .where(SQLColumn("token_hash", table: "api_tokens"), .equal, SQLBind(hash))
                .where(SQLColumn("revoked_at", table: "api_tokens"), .is, SQLLiteral.null)
                .first()
                .map(Self.decodeUser)
        }
    }

    func user(named name: String, on db: any SQLDatabase) async throws -> User? {
        try await selectUsers(on: db).where("name", .equal, SQLBind(name)).first().map(Self.decodeUser)
    }

    private func selectUsers(on db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns("id", "name", "role", "tier", "created_at").from("users")
    }

    private func insertToken(_ token: String, userId: Int64, at now: Date, on db: any SQLDatabase) async throws {
        try await db.insert(into: "api_tokens")
            .columns("user_id", "token_hash", "created_at")
            .values(SQLBind(userId), SQLBind(APIToken.hash(token)), SQLBind(StoredTimestamp(now)))
            .run()
    }

    static func decodeUser(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self),
            role: try row.enumValue("role", as: UserRole.self),
            tier: try row.enumValue("tier", as: UserTier.self),
            createdAt: try row.timestamp("created_at")
        )
    }
}
