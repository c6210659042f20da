import Foundation
import SQLKit

/// A user's watchlists (docs/alpaca-api.md, "Watchlists"): named lists of symbols in the order
/// they were added. A name is unique per user; a symbol appears once per list. Every call is
/// scoped to the user, so another user's list is "not found" like a missing one.
public struct WatchlistStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public struct Watchlist: Sendable, Hashable {
        public let id: Int64
        public let userId: Int64
        public let name: String
        public let createdAt: Date
        public let updatedAt: Date
        /// In the order added; empty when read without them (the list of watchlists).
        public let symbols: [String]
    }

    /// Why a change was refused; nothing was written.
    public enum Failure: Error, Sendable, Equatable {
        /// The user already has a watchlist of that name.
        case duplicateName(String)
        /// The symbol is already on the list.
        case duplicateSymbol(String)
        /// The symbol is not on the list.
        case missingSymbol(String)
    }

    /// The user's watchlists, oldest first, without their symbols.
    public func list(userId: Int64) async throws -> [Watchlist] {
        try await database.withConnection { db in
            try await db.select().columns("id", "user_id", "name", "created_at", "updated_at").from("watchlists")
                .where("user_id", .equal, SQLBind(userId)).orderBy("id").all()
                .map { try Self.decode($0, symbols: []) }
        }
    }

    /// One of the user's watchlists with its symbols; `nil` when it is not theirs or does not exist.
    public func watchlist(id: Int64, userId: Int64) async throws -> Watchlist? {
        try await database.withConnection { db in try await Self.read(id: id, userId: userId, on: db) }
    }

    /// The id of the user's watchlist named `name`; `nil` when they have none of that name.
    public func id(named name: String, userId: Int64) async throws -> Int64? {
        try await database.withConnection { db in
            try await db.select().column("id").from("watchlists").where("user_id", .equal, SQLBind(userId))
                .where("name", .equal, SQLBind(name)).first()?.decode(column: "id", as: Int64.self)
        }
    }

    public func create(userId: Int64, name: String, symbols: [String], at now: Date) async throws -> Watchlist {
        try await write(name: name) { db in
            try await Self.requireFreeName(name, userId: userId, except: nil, on: db)
            guard
                let row = try await db.insert(into: "watchlists").columns("user_id", "name", "created_at", "updated_at")
                    .values(SQLBind(userId), SQLBind(name), SQLBind(StoredTimestamp(now)), SQLBind(StoredTimestamp(now)))
                    .returning("id").first()
            else { throw StorageError.notFound("the new watchlist's id") }
            let id = try row.decode(column: "id", as: Int64.self)
            try await Self.insert(symbols, into: id, from: 0, at: now, on: db)
            return try await Self.required(id: id, userId: userId, on: db)
        }
    }

    /// Renames the list and/or replaces its symbols; `nil` when it is not the user's.
    public func update(id: Int64, userId: Int64, name: String?, symbols: [String]?, at now: Date) async throws -> Watchlist? {
        try await write(name: name ?? "") { db in
            guard try await Self.read(id: id, userId: userId, on: db) != nil else { return nil }
            var update = db.update("watchlists").set("updated_at", to: SQLBind(StoredTimestamp(now)))
            if let name {
                try await Self.requireFreeName(name, userId: userId, except: id, on: db)
                update = update.set("name", to: SQLBind(name))
            }
            try await update.where("id", .equal, SQLBind(id)).run()
            if let symbols {
                try await db.delete(from: "watchlist_assets").where("watchlist_id", .equal, SQLBind(id)).run()
                try await Self.insert(symbols, into: id, from: 0, at: now, on: db)
            }
            return try await Self.read(id: id, userId: userId, on: db)
        }
    }

    /// Appends a symbol; `nil` when the list is not the user's.
    public func add(_ symbol: String, to id: Int64, userId: Int64, at now: Date) async throws -> Watchlist? {
        try await database.withTransaction { db in
            guard let list = try await Self.read(id: id, userId: userId, on: db) else { return nil }
            guard !list.symbols.contains(symbol) else { throw Failure.duplicateSymbol(symbol) }
            let last = try await db.select().column("position").from("watchlist_assets").where("watchlist_id", .equal, SQLBind(id))
                .orderBy("position", .descending).limit(1).first()?.decode(column: "position", as: Int.self)
            try await Self.insert([symbol], into: id, from: (last ?? -1) + 1, at: now, on: db)
            try await Self.touch(id, at: now, on: db)
            return try await Self.read(id: id, userId: userId, on: db)
        }
    }

    /// Removes a symbol; `nil` when the list is not the user's.
    public func remove(_ symbol: String, from id: Int64, userId: Int64, at now: Date) async throws -> Watchlist? {
        try await database.withTransaction { db in
            guard let list = try await Self.read(id: id, userId: userId, on: db) else { return nil }
            guard list.symbols.contains(symbol) else { throw Failure.missingSymbol(symbol) }
            try await db.delete(from: "watchlist_assets").where("watchlist_id", .equal, SQLBind(id))
                .where("symbol", .equal, SQLBind(symbol)).run()
            try await Self.touch(id, at: now, on: db)
            return try await Self.read(id: id, userId: userId, on: db)
        }
    }

    /// Deletes the list and its symbols; `false` when it is not the user's.
    public func delete(id: Int64, userId: Int64) async throws -> Bool {
        try await database.withTransaction { db in
            try await db.delete(from: "watchlists").where("id", .equal, SQLBind(id)).where("user_id", .equal, SQLBind(userId))
                .returning("id").first() != nil
        }
    }

    // MARK: - Steps

    /// A transaction whose lost race for a name (two writes at once) ends as ``Failure/duplicateName``.
    private func write<T: Sendable>(name: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await database.withTransaction(body)
        } catch let error where SQLErrorKind(error) == .uniqueViolation {
            throw Failure.duplicateName(name)
        }
    }

    private static func requireFreeName(_ name: String, userId: Int64, except id: Int64?, on db: any SQLDatabase) async throws {
        var query = db.select().column("id").from("watchlists").where("user_id", .equal, SQLBind(userId))
            .where("name", .equal, SQLBind(name))
        if let id { query = query.where("id", .notEqual, SQLBind(id)) }
        guard try await query.first() == nil else { throw Failure.duplicateName(name) }
    }

    private static func insert(_ symbols: [String], into id: Int64, from first: Int, at now: Date, on db: any SQLDatabase) async throws {
        guard !symbols.isEmpty else { return }
        var insert = db.insert(into: "watchlist_assets").columns("watchlist_id", "symbol", "position", "added_at")
        for (offset, symbol) in symbols.enumerated() {
            insert = insert.values(SQLBind(id), SQLBind(symbol), SQLBind(first + offset), SQLBind(StoredTimestamp(now)))
        }
        try await insert.run()
    }

    private static func touch(_ id: Int64, at now: Date, on db: any SQLDatabase) async throws {
        try await db.update("watchlists").set("updated_at", to: SQLBind(StoredTimestamp(now))).where("id", .equal, SQLBind(id)).run()
    }

    private static func read(id: Int64, userId: Int64, on db: any SQLDatabase) async throws -> Watchlist? {
        guard
            let row = try await db.select().columns("id", "user_id", "name", "created_at", "updated_at").from("watchlists")
                .where("id", .equal, SQLBind(id)).where("user_id", .equal, SQLBind(userId)).first()
        else { return nil }
        let symbols = try await db.select().column("symbol").from("watchlist_assets").where("watchlist_id", .equal, SQLBind(id))
            .orderBy("position").all().map { try $0.decode(column: "symbol", as: String.self) }
        return try decode(row, symbols: symbols)
    }

    private static func required(id: Int64, userId: Int64, on db: any SQLDatabase) async throws -> Watchlist {
        guard let list = try await read(id: id, userId: userId, on: db) else { throw StorageError.notFound("watchlist \(id)") }
        return list
    }

    private static func decode(_ row: any SQLRow, symbols: [String]) throws -> Watchlist {
        Watchlist(
            id: try row.decode(column: "id", as: Int64.self), userId: try row.decode(column: "user_id", as: Int64.self),
            name: try row.decode(column: "name", as: String.self), createdAt: try row.timestamp("created_at"),
            updatedAt: try row.timestamp("updated_at"), symbols: symbols)
    }
}
