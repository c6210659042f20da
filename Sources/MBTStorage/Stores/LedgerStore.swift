import Foundation
import MBTDomain
import SQLKit

/// The statements of the ledger's one writer (docs/ledger.md): locking and reading accounts, and
/// writing orders' status, fills, positions, cash and cash movements for many accounts at once in
/// set-based statements. A batch of one is written by the same statements as a batch of thousands.
///
/// Every statement runs in the caller's transaction.
public enum LedgerStore {
    /// Rows per statement, far below both databases' bind limits.
    static let rowsPerStatement = 500

    /// An open position and its row.
    public struct PositionRow: Sendable {
        public var id: Int64
        public var userId: Int64
        public var position: Position
    }

    /// A fill to record: the order, the execution, and the instant it happened.
    public struct FillRow: Sendable {
        public var order: PaperOrder
        public var fill: Fill
        public var at: Date
        /// The lot method the fill is taxed with (`paper_fills.tax_lot_method`), fixed when it is written.
        public var lotMethod: TaxLotMethod?

        public init(order: PaperOrder, fill: Fill, at: Date, lotMethod: TaxLotMethod? = nil) {
            self.order = order
            self.fill = fill
            self.at = at
            self.lotMethod = lotMethod
        }

        /// The order's status once filled: `expired` for an option that expired worthless.
        public var status: OrderStatus { Self.status(after: fill) }

        public static func status(after fill: Fill) -> OrderStatus { fill.rule == .expiry ? .expired : .filled }
    }

    /// An account as its writer reads it under the lock.
    public struct LockedAccount: Sendable {
        public let cash: Decimal6
        /// `paper_accounts.default_tax_lot_method`, recorded on the account's fills.
        public let lotMethod: TaxLotMethod
    }

    /// Locks the accounts (in id order, so concurrent batches cannot deadlock) and reads them.
    public static func lockAccounts(_ userIds: [Int64], dialect: DatabaseDialect, on db: any SQLDatabase) async throws
        -> [Int64: LockedAccount]
    {
        try await accounts(userIds, locking: dialect == .postgres, on: db)
    }

    /// The accounts' cash, read without locking them (a snapshot's, not a writer's, read).
    public static func cash(_ userIds: [Int64], on db: any SQLDatabase) async throws -> [Int64: Decimal6] {
        try await accounts(userIds, locking: false, on: db).mapValues(\.cash)
    }

    private static func accounts(_ userIds: [Int64], locking: Bool, on db: any SQLDatabase) async throws -> [Int64: LockedAccount] {
        var accounts: [Int64: LockedAccount] = [:]
        for chunk in userIds.sorted().chunked(into: rowsPerStatement) {
            let query = db.select().columns("user_id", "cash_balance", "default_tax_lot_method").from("paper_accounts")
                .where("user_id", .in, SQLBind.group(chunk)).orderBy("user_id")
            if locking { query.lockingClause(SQLLockingClause.update) }
            for row in try await query.all() {
                accounts[try row.decode(column: "user_id", as: Int64.self)] = LockedAccount(
                    cash: try row.decimal("cash_balance"), lotMethod: try row.enumValue("default_tax_lot_method", as: TaxLotMethod.self))
            }
        }
        return accounts
    }

    /// What the account started with (and goes back to on a reset); `nil` when there is no such account.
    public static func startingBalance(of userId: Int64, on db: any SQLDatabase) async throws -> Decimal6? {
        try await db.select().column("starting_balance").from("paper_accounts").where("user_id", .equal, SQLBind(userId)).first()
            .map { try $0.decimal("starting_balance") }
    }

    /// The open positions of the accounts.
    public static func openPositions(_ userIds: [Int64], on db: any SQLDatabase) async throws -> [PositionRow] {
        var rows: [PositionRow] = []
        for chunk in userIds.chunked(into: rowsPerStatement) {
            rows += try await db.select().columns("id", "user_id", "symbol", "side", "qty", "avg_cost", "opened_at", "asset_class")
                .from("paper_positions").where("closed_at", .is, SQLLiteral.null).where("user_id", .in, SQLBind.group(chunk))
                .all().map { row in
                    PositionRow(
                        id: try row.decode(column: "id", as: Int64.self), userId: try row.decode(column: "user_id", as: Int64.self),
                        position: Position(
                            symbol: try row.decode(column: "symbol", as: String.self),
                            assetClass: try row.enumValue("asset_class", as: AssetClass.self),
                            side: try row.enumValue("side", as: PositionSide.self), quantity: try row.decimal("qty"),
                            averageCost: try row.decimal("avg_cost"), openedAt: try row.timestamp("opened_at")))
                }
        }
        return rows
    }

    /// The symbols whose market price the account's buying power depends on, in one round trip
    /// (the submit path asks on every order): those of its open positions, and of its open orders
    /// other than buy limits, which are reserved at their limit whatever the market does
    /// (``BuyingPower/estimatedPrice(side:instrument:limit:quote:mark:)``; a market order's
    /// missing limit is stored as 0).
    public static func pricedSymbols(of userId: Int64, on db: any SQLDatabase) async throws -> Set<String> {
        let rows = try await db.raw(
            """
            SELECT symbol FROM paper_positions WHERE user_id = \(bind: userId) AND closed_at IS NULL
            UNION SELECT symbol FROM paper_open_order_totals WHERE user_id = \(bind: userId)
            AND (side <> \(bind: OrderSide.buy.rawValue) OR limit_price = \(bind: StoredDecimal(.zero)))
            """
        ).all()
        return Set(try rows.map { try $0.decode(column: "symbol", as: String.self) })
    }

    /// The accounts with an open position in `symbol`, in id order.
    public static func holders(of symbol: String, on db: any SQLDatabase) async throws -> [Int64] {
        try await db.select().column("user_id").from("paper_positions").where("symbol", .equal, SQLBind(symbol))
            .where("closed_at", .is, SQLLiteral.null).orderBy("user_id").all().map { try $0.decode(column: "user_id", as: Int64.self) }
    }

    /// The accounts with an open order in `symbol`, in id order.
    public static func openOrderOwners(in symbol: String, on db: any SQLDatabase) async throws -> [Int64] {
        try await db.select().distinct().column("user_id").from("paper_orders").where("symbol", .equal, SQLBind(symbol))
            .where("status", .in, OpenOrderPredicate.binds)
            .where("order_class", .equal, SQLBind(OrderClass.simple.rawValue)).orderBy("user_id").all().map {
                try $0.decode(column: "user_id", as: Int64.self)
            }
    }

    /// The open orders in `symbol` of the accounts, their rows locked (PostgreSQL; SQLite's
    /// transaction holds the write lock already) in id order.
    public static func lockOpenOrders(in symbol: String, of userIds: [Int64], dialect: DatabaseDialect, on db: any SQLDatabase) async throws
        -> [PaperOrder]
    {
        var orders: [PaperOrder] = []
        for chunk in userIds.chunked(into: rowsPerStatement) {
            let query = db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
                .where("symbol", .equal, SQLBind(symbol)).where("user_id", .in, SQLBind.group(chunk))
                .where("status", .in, OpenOrderPredicate.binds)
                .where("order_class", .equal, SQLBind(OrderClass.simple.rawValue)).orderBy("id")
            if dialect == .postgres { query.lockingClause(SQLLockingClause.update) }
            orders += try await query.all().map(OrderStore.decode)
        }
        return orders
    }

    /// Every open order of the account — simple orders, multi-leg parents and their legs — locked
    /// (PostgreSQL; SQLite's transaction holds the write lock already) in id order: an account reset
    /// cancels them all.
    public static func lockOpenOrders(ofUser userId: Int64, dialect: DatabaseDialect, on db: any SQLDatabase) async throws
        -> [PaperOrder]
    {
        let query = db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
            .where("user_id", .equal, SQLBind(userId)).where("status", .in, OpenOrderPredicate.binds).orderBy("id")
        if dialect == .postgres { query.lockingClause(SQLLockingClause.update) }
        return try await query.all().map(OrderStore.decode)
    }

    /// Open option positions, with their accounts: the expiry job keeps those expiring on its date.
    public static func openOptionPositions(on db: any SQLDatabase) async throws -> [(userId: Int64, symbol: String)] {
        try await db.select().columns("user_id", "symbol").from("paper_positions").where("asset_class", .equal, SQLBind("option"))
            .where("closed_at", .is, SQLLiteral.null).orderBy("user_id").all()
            .map { (try $0.decode(column: "user_id", as: Int64.self), try $0.decode(column: "symbol", as: String.self)) }
    }

    /// Marks the orders filled (an option that expired worthless: expired, with its fill at 0)
    /// where they are still open, taking them from their accounts' open-order totals; returns the
    /// ids that were.
    public static func markFilled(_ fills: [FillRow], on db: any SQLDatabase) async throws -> Set<Int64> {
        guard !fills.isEmpty else { return [] }
        // A bar fill has no quote, so no slippage: NULL, as the one-order path stores it.
        let rows = BatchRows([
            "order_id": .int(fills.map(\.order.id)), "new_status": .text(fills.map(\.status.rawValue)),
            "price": .decimal(fills.map(\.fill.price)), "slippage": .optionalDecimal(fills.map(\.fill.slippageBasis)),
            "filled": .instant(fills.map(\.at)),
        ])
        let update = """
            UPDATE paper_orders SET status = v.new_status, filled_at = v.filled, fill_price = v.price, slippage_basis = v.slippage \
            FROM v WHERE paper_orders.id = v.order_id AND \(OpenOrderPredicate.sql("paper_orders.status")) RETURNING id
            """
        let marked = Set(try await rows.with(update, on: db).map { try $0.decode(column: "id", as: Int64.self) })
        try await OpenOrderTotals.closed(fills.map(\.order).filter { marked.contains($0.id) }, on: db)
        return marked
    }

    /// Inserts the fills; returns each order's fill id.
    public static func insertFills(_ fills: [FillRow], on db: any SQLDatabase) async throws -> [Int64: Int64] {
        var ids: [Int64: Int64] = [:]
        for row in try await FillStore.rows(fills).insert(into: "paper_fills", returning: ["id", "paper_order_id"], on: db) {
            ids[try row.decode(column: "paper_order_id", as: Int64.self)] = try row.decode(column: "id", as: Int64.self)
        }
        return ids
    }

    /// What the fills did to the positions: rows that carry on with a new quantity and cost, rows
    /// that closed, and rows that opened (possibly already closed again within the batch).
    public struct PositionChanges: Sendable {
        public var updated: [(id: Int64, position: Position, lastFillId: Int64)] = []
        public var closed: [(id: Int64, at: Date, lastFillId: Int64)] = []
        public var opened: [(userId: Int64, position: Position, lastFillId: Int64, closedAt: Date?)] = []

        public init() {}
    }

    public static func apply(_ changes: PositionChanges, on db: any SQLDatabase) async throws {
        if !changes.updated.isEmpty {
            let updated = changes.updated
            _ = try await BatchRows([
                "position_id": .int(updated.map(\.id)), "qty": .decimal(updated.map(\.position.quantity)),
                "avg_cost": .decimal(updated.map(\.position.averageCost)), "last_fill_id": .int(updated.map(\.lastFillId)),
            ]).with(
                "UPDATE paper_positions SET qty = v.qty, avg_cost = v.avg_cost, last_fill_id = v.last_fill_id FROM v "
                    + "WHERE paper_positions.id = v.position_id", on: db)
        }
        if !changes.closed.isEmpty {
            let closed = changes.closed
            _ = try await BatchRows([
                "position_id": .int(closed.map(\.id)), "closed": .instant(closed.map(\.at)), "last_fill_id": .int(closed.map(\.lastFillId)),
            ]).with(
                "UPDATE paper_positions SET closed_at = v.closed, last_fill_id = v.last_fill_id FROM v WHERE paper_positions.id = v.position_id",
                on: db)
        }
        if !changes.opened.isEmpty {
            let opened = changes.opened
            _ = try await BatchRows([
                "user_id": .int(opened.map(\.userId)), "symbol": .text(opened.map(\.position.symbol)),
                "side": .text(opened.map(\.position.side.rawValue)), "qty": .decimal(opened.map(\.position.quantity)),
                "avg_cost": .decimal(opened.map(\.position.averageCost)), "opened_at": .instant(opened.map(\.position.openedAt)),
                "last_fill_id": .int(opened.map(\.lastFillId)), "asset_class": .text(opened.map(\.position.assetClass.rawValue)),
                "closed_at": .optionalInstant(opened.map(\.closedAt)),
            ]).insert(into: "paper_positions", on: db)
        }
    }

    /// Adds each amount to its account's cash, in SQL on the stored representation (exact).
    public static func moveCash(_ amounts: [Int64: Decimal6], at now: Date, on db: any SQLDatabase) async throws {
        for chunk in amounts.sorted(by: { $0.key < $1.key }).chunked(into: rowsPerStatement) {
            var query: SQLQueryString = "WITH v(account_user_id, amount) AS (VALUES "
            query += chunk.map { "(\(bind: $0.key), \(bind: StoredDecimal($0.value)))" as SQLQueryString }.joined(separator: ", ")
            query +=
                ") UPDATE paper_accounts SET cash_balance = cash_balance + v.amount, updated_at = \(bind: StoredTimestamp(now)) FROM v "
            query += "WHERE paper_accounts.user_id = v.account_user_id"
            try await db.raw(query).run()
        }
    }

    /// An open order to close unfilled: canceled, expired, or replaced by a new order.
    public struct CloseRow: Sendable {
        public var orderId: Int64
        public var status: OrderStatus
        public var reason: String
        public var replacedBy: Int64?

        public init(orderId: Int64, status: OrderStatus, reason: String, replacedBy: Int64? = nil) {
            self.orderId = orderId
            self.status = status
            self.reason = reason
            self.replacedBy = replacedBy
        }
    }

    /// Closes open orders unfilled with their own status and reason, taking them from their
    /// accounts' open-order totals; returns the ids that were open.
    public static func close(_ orders: [CloseRow], on db: any SQLDatabase) async throws -> Set<Int64> {
        var closed = Set<Int64>()
        for chunk in orders.chunked(into: rowsPerStatement) {
            var query: SQLQueryString = "WITH v(order_id, new_status, reason, replaced_by) AS (VALUES "
            // 0 stands for "replaced by nothing": ids start at 1.
            query += chunk.map {
                "(\(bind: $0.orderId), \(bind: $0.status.rawValue), \(bind: $0.reason), \(bind: $0.replacedBy ?? 0))" as SQLQueryString
            }
            .joined(separator: ", ")
            query += SQLQueryString(
                """
                ) UPDATE paper_orders SET status = v.new_status, reject_reason = v.reason, \
                replaced_by_order_id = NULLIF(v.replaced_by, 0) FROM v \
                WHERE paper_orders.id = v.order_id AND \(unsafeRaw: OpenOrderPredicate.sql("paper_orders.status")) \
                RETURNING id, user_id, symbol, side, limit_price, qty, order_class
                """)
            var released: [OpenOrderTotals.Total?] = []
            for row in try await db.raw(query).all() {
                closed.insert(try row.decode(column: "id", as: Int64.self))
                guard try row.enumValue("order_class", as: OrderClass.self) == .simple else { continue }
                released.append(
                    OpenOrderTotals.Total(
                        userId: try row.decode(column: "user_id", as: Int64.self), symbol: try row.decode(column: "symbol", as: String.self),
                        side: try row.enumValue("side", as: OrderSide.self), limitPrice: try row.optionalDecimal("limit_price"),
                        quantity: .zero - (try row.decimal("qty"))))
            }
            try await OpenOrderTotals.add(released, on: db)
        }
        return closed
    }

    /// What each account's resting multi-leg orders hold back (their parents' fixed reservations);
    /// accounts with none are absent.
    public static func openComboReservations(_ userIds: [Int64], on db: any SQLDatabase) async throws -> [Int64: Decimal6] {
        var totals: [Int64: Decimal6] = [:]
        for chunk in userIds.chunked(into: rowsPerStatement) {
            let rows = try await db.select().column("user_id").column("reserved_buying_power").from("paper_orders")
                .where("user_id", .in, SQLBind.group(chunk)).where("status", .in, OpenOrderPredicate.binds)
                .where("order_class", .equal, SQLBind(OrderClass.mleg.rawValue)).where("parent_order_id", .is, SQLLiteral.null).all()
            for row in rows {
                totals[try row.decode(column: "user_id", as: Int64.self), default: .zero] +=
                    try row.optionalDecimal("reserved_buying_power") ?? .zero
            }
        }
        return totals
    }

    /// Orders of their owners by id, their rows locked until the transaction ends (SQLite's
    /// transaction holds the write lock already), so a replace decides on a status that no fill
    /// or cancel can change underneath it.
    public static func lockOrders(_ ids: [(id: Int64, userId: Int64)], dialect: DatabaseDialect, on db: any SQLDatabase) async throws
        -> [Int64: PaperOrder]
    {
        var orders: [Int64: PaperOrder] = [:]
        for chunk in ids.sorted(by: { $0.id < $1.id }).chunked(into: rowsPerStatement) {
            let query = db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
                .where("id", .in, SQLBind.group(chunk.map(\.id))).orderBy("id")
            if dialect == .postgres { query.lockingClause(SQLLockingClause.update) }
            let owners = Dictionary(chunk.map { ($0.id, $0.userId) }, uniquingKeysWith: { first, _ in first })
            for order in try await query.all().map(OrderStore.decode) where owners[order.id] == order.userId {
                orders[order.id] = order
            }
        }
        return orders
    }

    /// The orders already stored under any of these client order ids, by user and id.
    public static func orders(clientOrderIds: [(userId: Int64, clientOrderId: String)], on db: any SQLDatabase) async throws -> [PaperOrder]
    {
        var orders: [PaperOrder] = []
        for chunk in clientOrderIds.chunked(into: rowsPerStatement) {
            let wanted = Set(chunk.map { "\($0.userId) \($0.clientOrderId)" })
            orders += try await db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
                .where("client_order_id", .in, SQLBind.group(Array(Set(chunk.map(\.clientOrderId)))))
                .where("user_id", .in, SQLBind.group(Array(Set(chunk.map(\.userId)))))
                .all().map(OrderStore.decode).filter { wanted.contains("\($0.userId) \($0.clientOrderId ?? "")") }
        }
        return orders
    }

    /// A change to an account's cash that is not a trade (a dividend, cash in lieu, a fee, a reset).
    public struct CashMovementRow: Sendable, Hashable {
        public enum Kind: String, Sendable, CaseIterable {
            case dividend, cashInLieu = "cash_in_lieu", optionCashSettlement = "option_cash_settlement", accountReset = "account_reset"
            case fee, adjustment
        }

        public var userId: Int64
        public var kind: Kind
        public var amount: Decimal6
        public var symbol: String?
        public var description: String
        /// Unique per movement: writing the same movement twice stores and moves it once.
        public var dedupeKey: String
        public var at: Date

        public init(userId: Int64, kind: Kind, amount: Decimal6, symbol: String?, description: String, dedupeKey: String, at: Date) {
            self.userId = userId
            self.kind = kind
            self.amount = amount
            self.symbol = symbol
            self.description = description
            self.dedupeKey = dedupeKey
            self.at = at
        }
    }

    /// Inserts the movements whose dedupe keys are new; returns those that were inserted.
    public static func insertCashMovements(_ movements: [CashMovementRow], on db: any SQLDatabase) async throws -> [CashMovementRow] {
        var inserted: [CashMovementRow] = []
        for chunk in movements.chunked(into: rowsPerStatement) {
            let insert = db.insert(into: "cash_movements").columns(
                "user_id", "kind", "amount", "symbol", "description", "dedupe_key", "occurred_at")
            for movement in chunk {
                insert.values(
                    SQLBind(movement.userId), SQLBind(movement.kind.rawValue), SQLBind(StoredDecimal(movement.amount)),
                    SQLBind(movement.symbol),
                    SQLBind(movement.description), SQLBind(movement.dedupeKey), SQLBind(StoredTimestamp(movement.at)))
            }
            let keys = Set(
                try await insert.ignoringConflicts(with: ["dedupe_key"]).returning("dedupe_key").all()
                    .map { try $0.decode(column: "dedupe_key", as: String.self) })
            inserted += chunk.filter { keys.contains($0.dedupeKey) }
        }
        return inserted
    }
}
