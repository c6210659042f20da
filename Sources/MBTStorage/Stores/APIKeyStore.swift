import Crypto
import Foundation
import MBTDomain
import SQLKit

/// Alpaca-style API key pairs (`APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`, docs/alpaca-api.md): the
/// key id is public and stored as is; the secret is shown once and stored only as a SHA-256 hash.
public struct APIKeyStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// A new pair; the only time the secret is visible.
    public struct CreatedKey: Sendable, Hashable {
        public let keyId: String
        public let secret: String
    }

    /// One of a user's pairs as stored (never the secret).
    public struct Key: Sendable, Hashable {
        public let keyId: String
        public let createdAt: Date
        public let revokedAt: Date?
    }

    /// Key ids look like Alpaca's paper keys: `PK` and 18 upper-case letters and digits.
    static let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    /// Secrets: 40 characters from 62 (about 238 random bits).
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func random(_ count: Int, from alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The hash stored for a secret (hex SHA-256): the secret carries over 200 random bits, so a
    /// fast hash leaves nothing to brute-force.
    static func hash(_ secret: String) -> String {
        hexSHA256(secret)
    }

    /// Creates a pair for the user named `name`; earlier pairs stay valid until revoked.
    public func create(forUserNamed name: String, at now: Date) async throws -> CreatedKey {
        let key = CreatedKey(keyId: "PK" + Self.random(18, from: Self.keyAlphabet), secret: Self.random(40, from: Self.secretAlphabet))
        let users = UserStore(database: database)
        try await database.withTransaction { db in
            guard let user = try await users.user(named: name, on: db) else { throw StorageError.notFound("user '\(name)'") }
            try await db.insert(into: "api_keys")
                .columns("user_id", "key_id", "secret_hash", "created_at")
                .values(SQLBind(user.id), SQLBind(key.keyId), SQLBind(Self.hash(key.secret)), SQLBind(StoredTimestamp(now)))
                .run()
            try await AuditLog.record(
                AuditEntry(
                    userId: user.id, action: "api_key_created", entityType: "user", entityId: user.id, after: ["key_id": key.keyId],
                    occurredAt: now),
                on: db)
        }
        return key
    }

    /// Revokes the user's pair `keyId`; an unknown id, another user's or one already revoked is
    /// not found.
    public func revoke(keyId: String, forUserNamed name: String, at now: Date) async throws {
        let users = UserStore(database: database)
        try await database.withTransaction { db in
            guard let user = try await users.user(named: name, on: db) else { throw StorageError.notFound("user '\(name)'") }
            let revoked =
                try await db.update("api_keys").set("revoked_at", to: SQLBind(StoredTimestamp(now)))
                .where("user_id", .equal, SQLBind(user.id)).where("key_id", .equal, SQLBind(keyId))
                .where("revoked_at", .is, SQLLiteral.null).returning("id").first() != nil
            guard revoked else { throw StorageError.notFound("active key \(keyId) of user '\(name)'") }
            try await AuditLog.record(
                AuditEntry(
                    userId: user.id, action: "api_key_revoked", entityType: "user", entityId: user.id, before: ["key_id": keyId],
                    occurredAt: now),
                on: db)
        }
    }

    /// The user's pairs, oldest first.
    public func keys(ofUserNamed name: String) async throws -> [Key] {
        try await database.withConnection { db in
            guard let user = try await UserStore(database: database).user(named: name, on: db) else {
                throw StorageError.notFound("user '\(name)'")
            }
            return try await db.select().columns("key_id", "created_at", "revoked_at").from("api_keys")
                .where("user_id", .equal, SQLBind(user.id)).orderBy("id").all()
                .map { row in
                    Key(
                        keyId: try row.decode(column: "key_id", as: String.self), createdAt: try row.timestamp("created_at"),
                        revokedAt: try row.optionalTimestamp("revoked_at"))
                }
        }
    }

    /// The user a pair belongs to, or `nil` when the key id is unknown or revoked or the secret
    /// does not match (the caller cannot tell which).
    public func user(keyId: String, secret: String) async throws -> User? {
        guard keyId.count <= 64, secret.count <= 256 else { return nil }
        let row = try await database.withConnection { db in
            try await db.select()
                .columns(
                    SQLColumn("id", table: "users"), SQLColumn("name"), SQLColumn("role"), SQLColumn("tier"),
                    SQLColumn("created_at", table: "users"), SQLColumn("secret_hash", table: "api_keys")
                )
                .from("users")
                .join("api_keys", on: SQLColumn("user_id", table: "api_keys"), .equal, SQLColumn("id", table: "users"))
                .where(SQLColumn("key_id", table: "api_keys"), .equal, SQLBind(keyId))
                .where(SQLColumn("revoked_at", table: "api_keys"), .is, SQLLiteral.null)
                .first()
        }
        // Compare every byte even on a mismatch, so the time taken says nothing about the secret.
        let expected = Array(Self.hash(secret).utf8)
        guard let row else { return nil }
        let stored = Array(try row.decode(column: "secret_hash", as: String.self).utf8)
        guard stored.count == expected.count else { return nil }
        let difference = zip(stored, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
        guard difference == 0 else { return nil }
        return try UserStore.decodeUser(row)
    }
}
