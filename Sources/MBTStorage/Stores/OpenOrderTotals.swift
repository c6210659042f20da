import MBTDomain
import SQLKit

/// `paper_open_order_totals`: each account's open simple orders summed by symbol, side and limit
/// price (docs/ledger.md). The statements that open orders (``OrderStore/insert(_:on:)``) and close
/// them (``LedgerStore/markFilled(_:on:)``, ``LedgerStore/close(_:on:)``) add and take away their
/// quantities here, in the same transaction, under the account's lock; so a writer reads an
/// account's reservations in a few rows however many orders it has resting, and `mbt verify`
/// checks every total against `paper_orders`.
public enum OpenOrderTotals {
    /// Open orders' quantity for one account, symbol, side and limit price (`nil` for market
    /// orders): what the buying-power rule reserves for them; the products are taken in exact
    /// decimals by the caller.
    public struct Total: Sendable, Hashable {
        public var userId: Int64
        public var symbol: String
        public var side: OrderSide
        public var limitPrice: Decimal6?
        public var quantity: Decimal6

        public init(userId: Int64, symbol: String, side: OrderSide, limitPrice: Decimal6?, quantity: Decimal6) {
            self.userId = userId
            self.symbol = symbol
            self.side = side
            self.limitPrice = limitPrice
            self.quantity = quantity
        }
    }

    /// A market order's missing limit, as the primary key stores it (a limit is always positive).
    static let noLimit = Decimal6.zero

    /// The accounts' totals.
    public static func read(_ userIds: [Int64], on db: any SQLDatabase) async throws -> [Total] {
        var totals: [Total] = []
        for chunk in userIds.chunked(into: LedgerStore.rowsPerStatement) {
            totals += try await db.select().columns("user_id", "symbol", "side", "limit_price", "qty").from("paper_open_order_totals")
                .where("user_id", .in, SQLBind.group(chunk)).all().map(decode)
        }
        return totals
    }

    /// Every account's totals recomputed from `paper_orders`, as `mbt verify` expects to find them.
    public static func recounted(on db: any SQLDatabase) async throws -> [Total] {
        try await db.raw(SQLQueryString(recount)).all().map(decode)
    }

    /// Every account's totals summed from its open simple orders, a market order's limit as 0.
    private static let recount = """
        SELECT user_id, symbol, side, COALESCE(limit_price, 0) AS limit_price, SUM(qty) AS qty FROM paper_orders \
        WHERE \(OpenOrderPredicate.simpleSQL()) GROUP BY user_id, symbol, side, COALESCE(limit_price, 0)
        """

    /// Every account's totals as stored.
    public static func stored(on db: any SQLDatabase) async throws -> [Total] {
        try await db.select().columns("user_id", "symbol", "side", "limit_price", "qty").from("paper_open_order_totals").all().map(decode)
    }

    /// Rebuilds every total from `paper_orders`: for orders written around the ledger, as the
    /// benchmarks' bulk set-up writes them.
    public static func rebuild(on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM paper_open_order_totals").run()
        try await db.raw(SQLQueryString("INSERT INTO paper_open_order_totals (user_id, symbol, side, limit_price, qty) " + recount)).run()
    }

    /// Orders that opened: their quantities added to their totals.
    static func opened(_ orders: [PaperOrder], on db: any SQLDatabase) async throws {
        try await add(orders.filter { $0.status.isOpen }.map { total(of: $0, sign: 1) }, on: db)
    }

    /// Orders that closed (filled, canceled, expired or replaced): their quantities taken away,
    /// and totals that reach zero removed.
    static func closed(_ orders: [PaperOrder], on db: any SQLDatabase) async throws {
        try await add(orders.map { total(of: $0, sign: -1) }, on: db)
    }

    /// The total an order adds (`sign` 1) or takes away (-1); `nil` for a multi-leg order, which
    /// is not counted (its parent reserves a fixed amount of its own).
    static func total(of order: PaperOrder, sign: Int64) -> Total? {
        guard order.orderClass == .simple else { return nil }
        return Total(
            userId: order.userId, symbol: order.symbol, side: order.side, limitPrice: order.limitPrice,
            quantity: sign < 0 ? .zero - order.quantity : order.quantity)
    }

    /// Adds signed quantities to their totals in one statement; then removes those of the
    /// totals taken from that reached zero.
    static func add(_ changes: [Total?], on db: any SQLDatabase) async throws {
        var sums: [Key: Decimal6] = [:]
        for change in changes.compactMap(\.self) {
            sums[Key(userId: change.userId, symbol: change.symbol, side: change.side, limit: change.limitPrice ?? noLimit), default: .zero] +=
                change.quantity
        }
        guard !sums.isEmpty else { return }
        // Sorted, so two transactions touching the same totals take their row locks in one order.
        let rows = sums.sorted { $0.key < $1.key }
        _ = try await BatchRows([
            "user_id": .int(rows.map(\.key.userId)), "symbol": .text(rows.map(\.key.symbol)),
            "side": .text(rows.map(\.key.side.rawValue)), "limit_price": .decimal(rows.map(\.key.limit)),
            "qty": .decimal(rows.map(\.value)),
        ]).insert(
            into: "paper_open_order_totals",
            conflict: "(user_id, symbol, side, limit_price) DO UPDATE SET qty = paper_open_order_totals.qty + excluded.qty", on: db)
        let shrunk = rows.filter { !$0.value.isPositive }.map(\.key)
        guard !shrunk.isEmpty else { return }
        _ = try await BatchRows([
            "user_id": .int(shrunk.map(\.userId)), "symbol": .text(shrunk.map(\.symbol)), "side": .text(shrunk.map(\.side.rawValue)),
            "limit_price": .decimal(shrunk.map(\.limit)),
        ]).with(
            """
            DELETE FROM paper_open_order_totals WHERE (user_id, symbol, side, limit_price) IN \
            (SELECT user_id, symbol, side, limit_price FROM v) AND qty = 0
            """, on: db)
    }

    private struct Key: Hashable, Comparable {
        let userId: Int64
        let symbol: String
        let side: OrderSide
        let limit: Decimal6

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.userId, lhs.symbol, lhs.side.rawValue, lhs.limit.micros) < (rhs.userId, rhs.symbol, rhs.side.rawValue, rhs.limit.micros)
        }
    }

    private static func decode(_ row: any SQLRow) throws -> Total {
        let limit = try row.decimal("limit_price")
        return Total(
            userId: try row.decode(column: "user_id", as: Int64.self), symbol: try row.decode(column: "symbol", as: String.self),
            side: try row.enumValue("side", as: OrderSide.self), limitPrice: limit == noLimit ? nil : limit, quantity: try row.decimal("qty"))
    }
}
