import Foundation
import SQLKit

/// `bar_watermarks`: per symbol, the start of the last one-minute bar the bar loop has walked, how
/// many bars its last catch-up walked, and which engine holds the symbol.
///
/// The lease makes several server processes on one database share the symbols instead of both
/// evaluating them: a symbol is walked only by the engine whose lease on it is current. (A fill is
/// also conditional on the order still being open, so even two engines on one symbol could not
/// fill an order twice; the lease keeps them from doing the work twice.)
public struct BarWatermarkStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// The watermark of the resting multi-leg book, walked by the minute like a symbol but judged
    /// on its legs' quotes (docs/multi-leg.md). Not a symbol: no ticker contains `*`.
    public static let comboBook = "*combos"

    public struct Watermark: Sendable, Hashable {
        public var symbol: String
        /// The start of the last minute walked, with or without a bar in it.
        public var lastBarAt: Date
        /// Bars the last catch-up walked before going live (0 until a catch-up happens).
        public var barsCaughtUp: Int
        public var caughtUpAt: Date?
    }

    /// Creates watermarks for symbols new to the bar loop, just before the minute each starts at;
    /// existing watermarks are left alone.
    public func create(_ starts: [String: Date], at now: Date) async throws {
        guard !starts.isEmpty else { return }
        try await database.withConnection { db in
            for chunk in starts.sorted(by: { $0.key < $1.key }).chunked(into: 500) {
                let insert = db.insert(into: "bar_watermarks").columns("symbol", "last_bar_at", "updated_at")
                for (symbol, start) in chunk {
                    insert.values(
                        SQLBind(symbol), SQLBind(StoredTimestamp(start.addingTimeInterval(-60))), SQLBind(StoredTimestamp(now)))
                }
                try await insert.ignoringConflicts(with: ["symbol"]).run()
            }
        }
    }

    /// Takes (or renews) this engine's share of `symbols` and returns the watermarks now held.
    ///
    /// The engines alive on the database (``heartbeat(owner:now:until:on:)``) split the symbols:
    /// each holds at most `ceil(symbols / engines)`. An engine holding more than its share (a new
    /// engine started) gives the rest up, in symbol order, for the newcomer to take on its next
    /// tick; one holding fewer takes free symbols (never held, released, or whose lease ended).
    ///
    /// - Parameter now: the lease clock's reading; a lease that ended before it is free.
    public func claim(_ symbols: [String], owner: String, now: Date, until: Date) async throws -> [Watermark] {
        guard !symbols.isEmpty else { return [] }
        return try await database.withTransaction { db in
            let engines = try await heartbeat(owner: owner, now: now, until: until, on: db)
            let share = (symbols.count + engines - 1) / engines
            let wanted = Set(symbols)
            let mine = try await symbolsHeld(by: owner, on: db).filter(wanted.contains).sorted()
            try await releaseLeases(Array(mine.dropFirst(share)), owner: owner, on: db)
            let kept = Array(mine.prefix(share))
            var held = try await take(kept, owner: owner, now: now, until: until, on: db)
            if held.count < share {
                let free = try await freeSymbols(wanted.subtracting(kept).sorted(), now: now, limit: share - held.count, on: db)
                held += try await take(free, owner: owner, now: now, until: until, on: db)
            }
            return held.sorted { $0.symbol < $1.symbol }
        }
    }

    /// Records that `owner` is alive until `until` and returns how many engines are alive `now`
    /// (itself included). Rows of engines gone for a day are dropped on the way.
    private func heartbeat(owner: String, now: Date, until: Date, on db: any SQLDatabase) async throws -> Int {
        try await db.insert(into: "bar_loop_engines").columns("owner", "alive_until")
            .values(SQLBind(owner), SQLBind(StoredTimestamp(until)))
            .onConflict(with: ["owner"]) { $0.set(excludedValueOf: "alive_until") }.run()
        try await db.delete(from: "bar_loop_engines")
            .where("alive_until", .lessThan, SQLBind(StoredTimestamp(now.addingTimeInterval(-86_400)))).run()
        let alive = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("bar_loop_engines")
            .where("alive_until", .greaterThanOrEqual, SQLBind(StoredTimestamp(now))).first()?.decode(column: "n", as: Int.self)
        return max(alive ?? 1, 1)
    }

    private func symbolsHeld(by owner: String, on db: any SQLDatabase) async throws -> [String] {
        try await db.select().column("symbol").from("bar_watermarks").where("lease_owner", .equal, SQLBind(owner))
            .all().map { try $0.decode(column: "symbol", as: String.self) }
    }

    /// Up to `limit` of `symbols` (sorted) whose watermark no engine holds now.
    private func freeSymbols(_ symbols: [String], now: Date, limit: Int, on db: any SQLDatabase) async throws -> [String] {
        var free: [String] = []
        for chunk in symbols.chunked(into: 500) where free.count < limit {
            free += try await db.select().column("symbol").from("bar_watermarks")
                .where("symbol", .in, SQLBind.group(chunk))
                .where { free in
                    free.where("lease_owner", .is, SQLLiteral.null).orWhere("lease_until", .lessThan, SQLBind(StoredTimestamp(now)))
                }
                .orderBy("symbol").limit(limit - free.count)
                .all().map { try $0.decode(column: "symbol", as: String.self) }
        }
        return free
    }

    /// Leases `symbols` to `owner` where they are free or already its own; returns those taken.
    /// Another engine taking one of them a moment earlier wins it (the condition is checked again
    /// on the locked row).
    private func take(_ symbols: [String], owner: String, now: Date, until: Date, on db: any SQLDatabase) async throws -> [Watermark] {
        var held: [Watermark] = []
        for chunk in symbols.chunked(into: 500) {
            held += try await db.update("bar_watermarks")
                .set("lease_owner", to: SQLBind(owner))
                .set("lease_until", to: SQLBind(StoredTimestamp(until)))
                .where("symbol", .in, SQLBind.group(chunk))
                .where { free in
                    free.where("lease_owner", .is, SQLLiteral.null)
                        .orWhere("lease_owner", .equal, SQLBind(owner))
                        .orWhere("lease_until", .lessThan, SQLBind(StoredTimestamp(now)))
                }
                .returning("symbol", "last_bar_at", "bars_caught_up", "caught_up_at")
                .all().map(Self.decode)
        }
        return held
    }

    private func releaseLeases(_ symbols: [String], owner: String, on db: any SQLDatabase) async throws {
        for chunk in symbols.chunked(into: 500) {
            try await db.update("bar_watermarks").set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                .where("symbol", .in, SQLBind.group(chunk)).where("lease_owner", .equal, SQLBind(owner)).run()
        }
    }

    /// Moves the watermarks of `symbols` to `lastBarAt`, but only where `owner` still holds the
    /// lease and the watermark is behind; records `caughtUp` bars when the walk was a catch-up.
    public func advance(
        _ symbols: [String], to lastBarAt: Date, caughtUp: [String: Int] = [:], owner: String, at now: Date
    ) async throws {
        try await database.withTransaction { db in
            for chunk in symbols.sorted().chunked(into: 500) {
                try await advance(chunk, to: lastBarAt, owner: owner, at: now, on: db)
            }
            for (symbol, bars) in caughtUp where bars > 0 {
                try await db.update("bar_watermarks")
                    .set("bars_caught_up", to: SQLBind(bars))
                    .set("caught_up_at", to: SQLBind(StoredTimestamp(now)))
                    .where("symbol", .equal, SQLBind(symbol))
                    .where("lease_owner", .equal, SQLBind(owner))
                    .run()
            }
        }
    }

    private func advance(_ symbols: [String], to lastBarAt: Date, owner: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.update("bar_watermarks")
            .set("last_bar_at", to: SQLBind(StoredTimestamp(lastBarAt)))
            .set("updated_at", to: SQLBind(StoredTimestamp(now)))
            .where("symbol", .in, SQLBind.group(symbols))
            .where("lease_owner", .equal, SQLBind(owner))
            .where("last_bar_at", .lessThan, SQLBind(StoredTimestamp(lastBarAt)))
            .run()
    }

    /// Moves the watermarks of symbols without resting orders up to `lastBarAt`: there is nothing to
    /// walk in them, and a new order must not make the loop walk (and count as caught up) every
    /// minute since the symbol's last order closed.
    public func fastForwardIdle(to lastBarAt: Date, at now: Date) async throws {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE bar_watermarks SET last_bar_at = \(bind: StoredTimestamp(lastBarAt)), updated_at = \(bind: StoredTimestamp(now))
                WHERE last_bar_at < \(bind: StoredTimestamp(lastBarAt)) AND symbol <> \(bind: Self.comboBook) AND NOT EXISTS (
                    SELECT 1 FROM paper_orders o WHERE o.symbol = bar_watermarks.symbol AND \(unsafeRaw: OpenOrderPredicate.sql("o.status")))
                """
            ).run()
        }
    }

    /// Moves one watermark up to `lastBarAt` whoever holds it (the combo book's, while no combo
    /// rests: like an idle symbol's, it must not make a new combo walk the minutes before it).
    public func fastForward(_ symbol: String, to lastBarAt: Date, at now: Date) async throws {
        try await database.withConnection { db in
            try await db.update("bar_watermarks").set("last_bar_at", to: SQLBind(StoredTimestamp(lastBarAt)))
                .set("updated_at", to: SQLBind(StoredTimestamp(now))).where("symbol", .equal, SQLBind(symbol))
                .where("last_bar_at", .lessThan, SQLBind(StoredTimestamp(lastBarAt))).run()
        }
    }

    /// Extends every lease `owner` holds to `until`.
    public func renew(owner: String, until: Date) async throws {
        try await database.withConnection { db in
            try await db.update("bar_watermarks").set("lease_until", to: SQLBind(StoredTimestamp(until)))
                .where("lease_owner", .equal, SQLBind(owner)).run()
            try await db.update("bar_loop_engines").set("alive_until", to: SQLBind(StoredTimestamp(until)))
                .where("owner", .equal, SQLBind(owner)).run()
        }
    }

    /// Whether another engine's lease lapsed in `(since, now)`: it died, and its symbols wait for a
    /// taker. Only recent lapses count: a lapsed symbol nobody needs any more (no resting order)
    /// stays lapsed, and must not keep asking for takeovers.
    public func hasLapsedLeases(except owner: String, since: Date, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.select().column(SQLLiteral.numeric("1"), as: "lapsed").from("bar_watermarks")
                .where("lease_owner", .notEqual, SQLBind(owner)).where("lease_until", .lessThan, SQLBind(StoredTimestamp(now)))
                .where("lease_until", .greaterThan, SQLBind(StoredTimestamp(since))).limit(1).first() != nil
        }
    }

    /// Gives up every lease `owner` holds, so another engine can take the symbols at once (at
    /// shutdown).
    public func release(owner: String) async throws {
        try await database.withConnection { db in
            try await db.update("bar_watermarks")
                .set("lease_owner", to: SQLLiteral.null)
                .set("lease_until", to: SQLLiteral.null)
                .where("lease_owner", .equal, SQLBind(owner))
                .run()
            try await db.delete(from: "bar_loop_engines").where("owner", .equal, SQLBind(owner)).run()
        }
    }

    /// What the status route shows, aggregated in the database rather than read row by row.
    public struct Summary: Sendable, Hashable {
        /// The newest minute walked in any symbol.
        public var lastBarAt: Date?
        /// The longest catch-up (bars of one symbol) recorded since the given instant.
        public var barsCaughtUp: Int
        /// Symbols caught up since the given instant.
        public var symbolsCaughtUp: Int
    }

    public func summary(caughtUpSince start: Date) async throws -> Summary {
        try await database.withConnection { db in
            let since = StoredTimestamp(start)
            let row = try await db.raw(
                """
                SELECT MAX(last_bar_at) AS last_bar,
                    COALESCE(MAX(CASE WHEN caught_up_at >= \(bind: since) THEN bars_caught_up END), 0) AS bars,
                    COUNT(CASE WHEN caught_up_at >= \(bind: since) THEN 1 END) AS symbols
                FROM bar_watermarks
                """
            ).first()
            guard let row else { return Summary(lastBarAt: nil, barsCaughtUp: 0, symbolsCaughtUp: 0) }
            return Summary(
                lastBarAt: try row.optionalTimestamp("last_bar"), barsCaughtUp: try row.decode(column: "bars", as: Int.self),
                symbolsCaughtUp: try row.decode(column: "symbols", as: Int.self))
        }
    }

    /// Every watermark, by symbol.
    public func all() async throws -> [Watermark] {
        try await database.withConnection { db in
            try await db.select().columns("symbol", "last_bar_at", "bars_caught_up", "caught_up_at").from("bar_watermarks")
                .orderBy("symbol").all().map(Self.decode)
        }
    }

    /// The watermarks of `symbols`.
    public func watermarks(_ symbols: [String]) async throws -> [Watermark] {
        guard !symbols.isEmpty else { return [] }
        return try await database.withConnection { db in
            var found: [Watermark] = []
            for chunk in symbols.sorted().chunked(into: 500) {
                found += try await db.select().columns("symbol", "last_bar_at", "bars_caught_up", "caught_up_at").from("bar_watermarks")
                    .where("symbol", .in, SQLBind.group(chunk)).all().map(Self.decode)
            }
            return found
        }
    }

    private static func decode(_ row: any SQLRow) throws -> Watermark {
        Watermark(
            symbol: try row.decode(column: "symbol", as: String.self),
            lastBarAt: try row.timestamp("last_bar_at"),
            barsCaughtUp: try row.decode(column: "bars_caught_up", as: Int.self),
            caughtUpAt: try row.optionalTimestamp("caught_up_at"))
    }
}
