import Foundation
import MBTDomain
import SQLKit

/// The account's activity feed: fills (`paper_fills` of the user's orders) and cash movements
/// (`cash_movements`), merged newest first.
///
/// The two tables have their own ids and can share timestamps, so the order is the key
/// (occurred at, type, id), descending, with fills before cash movements at the same instant. A
/// page ends at a ``Cursor`` holding the last item's key; the next page is everything strictly
/// below it. Each source is asked for at most `limit` rows below the cursor and the two are merged,
/// so pages neither repeat nor skip an item, whatever lands at equal instants.
public struct ActivityStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// Where an activity comes from; the raw values are the API's `type` filter.
    public enum Kind: String, Sendable, CaseIterable {
        case fill
        case cash

        /// The tie-break at equal instants: higher sorts first (newer) in the feed.
        var rank: Int {
            switch self {
            case .fill: 1
            case .cash: 0
            }
        }
    }

    /// One execution of one of the user's orders, with its NBBO snapshot and how it was priced.
    public struct FillActivity: Sendable, Hashable {
        public let id: Int64
        public let orderId: Int64
        public let symbol: String
        public let assetClass: AssetClass
        public let side: OrderSide
        public let quantity: Decimal6
        public let price: Decimal6
        public let rule: FillRule?
        public let priceSource: FillPriceSource?
        public let nbboBid: Decimal6?
        public let nbboAsk: Decimal6?
        public let slippageBasis: Decimal6
        public let occurredAt: Date
        /// The one-line account of the price ("buy 10.000000 AAPL at 172.700000: market_at_quote (ask; …)").
        public let explanation: String
    }

    /// Cash in or out other than a fill (dividends, cash in lieu, settlements, resets, fees).
    public struct CashActivity: Sendable, Hashable {
        public let id: Int64
        public let kind: String
        public let amount: Decimal6
        public let symbol: String?
        public let description: String
        public let occurredAt: Date
    }

    public enum Activity: Sendable, Hashable {
        case fill(FillActivity)
        case cash(CashActivity)

        /// This item's place in the feed; pass the last one's as the next page's `before`.
        public var cursor: Cursor {
            switch self {
            case .fill(let fill): Cursor(occurredAt: fill.occurredAt, kind: .fill, id: fill.id)
            case .cash(let cash): Cursor(occurredAt: cash.occurredAt, kind: .cash, id: cash.id)
            }
        }
    }

    /// A position in the feed: (instant in whole microseconds, kind, id), ordered as the feed is.
    /// Its text form is opaque to clients (base64url), so its layout can change.
    public struct Cursor: Sendable, Hashable, Comparable {
        let micros: Int64
        let kind: Kind
        let id: Int64

        init(occurredAt: Date, kind: Kind, id: Int64) {
            self.init(micros: StoredTimestamp(occurredAt).microsecondsSinceEpoch, kind: kind, id: id)
        }

        init(micros: Int64, kind: Kind, id: Int64) {
            self.micros = micros
            self.kind = kind
            self.id = id
        }

        /// Parses a cursor this store handed out; `nil` for anything else.
        public init?(token: String) {
            var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard token.count <= 64, let data = Data(base64Encoded: base64) else { return nil }
            let parts = String(decoding: data, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let micros = Int64(parts[0]), let kind = Kind(rawValue: String(parts[1])), let id = Int64(parts[2]),
                id > 0
            else { return nil }
            self.init(micros: micros, kind: kind, id: id)
        }

        public var token: String {
            Data("\(micros):\(kind.rawValue):\(id)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }

        var date: Date { StoredTimestamp(microsecondsSinceEpoch: micros).date }

        /// Feed order: `a < b` when `a` comes after `b` (is older).
        public static func < (a: Cursor, b: Cursor) -> Bool {
            (a.micros, a.kind.rank, a.id) < (b.micros, b.kind.rank, b.id)
        }
    }

    /// Filters for the feed; all optional. `from` is inclusive, `to` exclusive.
    public struct Filter: Sendable {
        public var kind: Kind?
        public var from: Date?
        public var to: Date?

        public init(kind: Kind? = nil, from: Date? = nil, to: Date? = nil) {
            self.kind = kind
            self.from = from
            self.to = to
        }
    }

    /// Up to `limit` activities of `userId`, newest first, strictly after `before` in feed order.
    public func page(userId: Int64, filter: Filter, limit: Int, before cursor: Cursor?) async throws -> [Activity] {
        try await database.withConnection { db in
            var merged: [Activity] = []
            if filter.kind != .cash {
                merged += try await fills(userId: userId, filter: filter, limit: limit, before: cursor, on: db).map(Activity.fill)
            }
            if filter.kind != .fill {
                merged += try await cash(userId: userId, filter: filter, limit: limit, before: cursor, on: db).map(Activity.cash)
            }
            return Array(merged.sorted { $0.cursor > $1.cursor }.prefix(limit))
        }
    }

    // MARK: - Sources

    private func fills(userId: Int64, filter: Filter, limit: Int, before cursor: Cursor?, on db: any SQLDatabase) async throws
        -> [FillActivity]
    {
        let ts = SQLColumn("ts", table: "paper_fills")
        let id = SQLColumn("id", table: "paper_fills")
        let query = db.select()
            .column(SQLAlias(id, as: SQLIdentifier("fill_id")))
            .column(SQLColumn("paper_order_id", table: "paper_fills"))
            .columns(["symbol", "asset_class", "side"].map { SQLColumn($0, table: "paper_orders") })
            .columns(
                ["fill_qty", "fill_price", "ts", "slippage_basis", "nbbo_bid", "nbbo_ask", "fill_rule", "price_source"].map {
                    SQLColumn($0, table: "paper_fills")
                }
            )
            .from("paper_fills")
            .join("paper_orders", on: SQLColumn("id", table: "paper_orders"), .equal, SQLColumn("paper_order_id", table: "paper_fills"))
            .where(SQLColumn("user_id", table: "paper_orders"), .equal, SQLBind(userId))
            .where(SQLColumn("deleted_at", table: "paper_orders"), .is, SQLLiteral.null)
        Self.restrict(query, instant: ts, id: id, kind: .fill, filter: filter, before: cursor)
        return try await Self.newestFirst(query, instant: ts, id: id, limit: limit).all().map(Self.decodeFill)
    }

    private func cash(userId: Int64, filter: Filter, limit: Int, before cursor: Cursor?, on db: any SQLDatabase) async throws
        -> [CashActivity]
    {
        let occurred = SQLColumn("occurred_at")
        let id = SQLColumn("id")
        let query = db.select()
            .columns("id", "kind", "amount", "symbol", "description", "occurred_at")
            .from("cash_movements")
            .where("user_id", .equal, SQLBind(userId))
        Self.restrict(query, instant: occurred, id: id, kind: .cash, filter: filter, before: cursor)
        return try await Self.newestFirst(query, instant: occurred, id: id, limit: limit).all().map(Self.decodeCash)
    }

    /// The `from`/`to` range, and "strictly after the cursor in feed order" for one source: its
    /// kind is fixed, so the three-part comparison reduces to one on the instant and the id.
    private static func restrict(
        _ query: SQLSelectBuilder, instant: SQLColumn, id: SQLColumn, kind: Kind, filter: Filter, before cursor: Cursor?
    ) {
        if let from = filter.from { query.where(instant, .greaterThanOrEqual, SQLBind(StoredTimestamp(from))) }
        if let to = filter.to { query.where(instant, .lessThan, SQLBind(StoredTimestamp(to))) }
        guard let cursor else { return }
        let at = SQLBind(StoredTimestamp(cursor.date))
        if kind.rank > cursor.kind.rank {
            query.where(instant, .lessThan, at)
        } else if kind.rank < cursor.kind.rank {
            query.where(instant, .lessThanOrEqual, at)
        } else {
            query.where { group in
                group.where(instant, .lessThan, at).orWhere { tie in
                    tie.where(instant, .equal, at).where(id, .lessThan, SQLBind(cursor.id))
                }
            }
        }
    }

    /// Feed order within one source: by instant, then id, both descending.
    private static func newestFirst(_ query: SQLSelectBuilder, instant: SQLColumn, id: SQLColumn, limit: Int) -> SQLSelectBuilder {
        query.orderBy(SQLOrderBy(expression: instant, direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: id, direction: SQLDirection.descending))
            .limit(limit)
    }

    // MARK: - Rows

    private static func decodeFill(_ row: any SQLRow) throws -> FillActivity {
        let symbol = try row.decode(column: "symbol", as: String.self)
        let assetClass = try row.enumValue("asset_class", as: AssetClass.self)
        let side = try row.enumValue("side", as: OrderSide.self)
        let quantity = try row.decimal("fill_qty")
        let price = try row.decimal("fill_price")
        let occurredAt = try row.timestamp("ts")
        let rule = try row.decode(column: "fill_rule", as: String?.self).flatMap(FillRule.init(rawValue:))
        let source = try row.decode(column: "price_source", as: String?.self).flatMap(FillPriceSource.init(rawValue:))
        let (bid, ask) = (try row.optionalDecimal("nbbo_bid"), try row.optionalDecimal("nbbo_ask"))
        let slippage = try row.decimal("slippage_basis")
        let explanation: String
        if let rule, let source {
            explanation =
                Fill(
                    symbol: symbol, side: side, price: price, quantity: quantity,
                    multiplier: assetClass == .option ? OptionSymbol.contractMultiplier : 1, rule: rule, priceSource: source,
                    nbboBid: bid, nbboAsk: ask, slippageBasis: slippage, pricedAt: occurredAt
                ).explanation
        } else {
            // Fills recorded before the rule was stored (migration 11) can only say what happened.
            explanation = "\(side.rawValue) \(quantity) \(symbol) at \(price)"
        }
        return FillActivity(
            id: try row.decode(column: "fill_id", as: Int64.self), orderId: try row.decode(column: "paper_order_id", as: Int64.self),
            symbol: symbol, assetClass: assetClass, side: side, quantity: quantity, price: price, rule: rule, priceSource: source,
            nbboBid: bid, nbboAsk: ask, slippageBasis: slippage, occurredAt: occurredAt, explanation: explanation)
    }

    private static func decodeCash(_ row: any SQLRow) throws -> CashActivity {
        CashActivity(
            id: try row.decode(column: "id", as: Int64.self),
            kind: try row.decode(column: "kind", as: String.self),
            amount: try row.decimal("amount"),
            symbol: try row.decode(column: "symbol", as: String?.self),
            description: try row.decode(column: "description", as: String.self),
            occurredAt: try row.timestamp("occurred_at"))
    }
}
