import Foundation
import MBTDomain
import SQLKit

/// `paper_orders`: inserts and reads (always scoped to the owner). Status changes are the ledger's
/// (``LedgerStore``), conditional on the order still being open, so a cancel and a fill race to
/// exactly one winner.
public struct OrderStore: Sendable {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// What a new row holds.
    public struct NewOrder: Sendable {
        public var userId: Int64
        public var symbol: String
        public var assetClass: AssetClass
        public var side: OrderSide
        public var quantity: Decimal6
        public var type: OrderType
        public var timeInForce: TimeInForce
        public var limitPrice: Decimal6?
        public var status: OrderStatus
        public var submittedAt: Date
        public var rejectReason: String?
        public var clientOrderId: String?
        /// Set on a replacement: the order it replaces.
        public var replacesOrderId: Int64?
        /// Set on a leg of a multi-leg order: its parent.
        public var parentOrderId: Int64?
        public var strategyId: Int64?
        public var orderClass: OrderClass = .simple
        /// A resting multi-leg parent's reservation (``PaperOrder/reservedBuyingPower``).
        public var reservedBuyingPower: Decimal6?
        /// Set on an order written already filled (filled in the transaction that creates it).
        public var filledAt: Date?
        public var fillPrice: Decimal6?
        public var slippageBasis: Decimal6?

        public init(
            userId: Int64, symbol: String, assetClass: AssetClass, side: OrderSide, quantity: Decimal6, type: OrderType,
            timeInForce: TimeInForce, limitPrice: Decimal6?, status: OrderStatus, submittedAt: Date, rejectReason: String? = nil,
            clientOrderId: String? = nil, replacesOrderId: Int64? = nil, strategyId: Int64? = nil, orderClass: OrderClass = .simple
        ) {
            self.userId = userId
            self.symbol = symbol
            self.assetClass = assetClass
            self.side = side
            self.quantity = quantity
            self.type = type
            self.timeInForce = timeInForce
            self.limitPrice = limitPrice
            self.status = status
            self.submittedAt = submittedAt
            self.rejectReason = rejectReason
            self.clientOrderId = clientOrderId
            self.replacesOrderId = replacesOrderId
            self.strategyId = strategyId
            self.orderClass = orderClass
        }
    }

    /// Filters for the order history; all optional.
    public struct Filter: Sendable {
        public var status: OrderStatus?
        public var symbol: String?
        public var from: Date?
        public var to: Date?
        /// Any of these statuses (Alpaca's `open`/`closed`), any of these symbols, one side.
        public var statuses: [OrderStatus]?
        public var symbols: [String]?
        public var side: OrderSide?
        /// Submitted strictly after this instant (Alpaca's exclusive `after`).
        public var after: Date?

        public init(
            status: OrderStatus? = nil, symbol: String? = nil, from: Date? = nil, to: Date? = nil, statuses: [OrderStatus]? = nil,
            symbols: [String]? = nil, side: OrderSide? = nil, after: Date? = nil
        ) {
            self.status = status
            self.symbol = symbol
            self.from = from
            self.to = to
            self.statuses = statuses
            self.symbols = symbols
            self.side = side
            self.after = after
        }
    }

    static let columns = [
        "id", "user_id", "symbol", "asset_class", "side", "qty", "order_type", "time_in_force", "limit_price", "status", "submitted_at",
        "filled_at", "fill_price", "slippage_basis", "reject_reason", "client_order_id", "replaces_order_id", "replaced_by_order_id",
        "parent_order_id", "strategy_id", "order_class", "reserved_buying_power",
    ]

    /// Inserts the order and returns the stored row (in the same round trip).
    public func insert(_ order: NewOrder, on db: any SQLDatabase) async throws -> PaperOrder {
        try await insert([order], on: db)[0]
    }

    /// Inserts `orders` in one statement, adding the open ones to their accounts' open-order
    /// totals; returns them as stored, in the order given (ids are drawn in row order, so sorting
    /// by id restores it).
    public func insert(_ orders: [NewOrder], on db: any SQLDatabase) async throws -> [PaperOrder] {
        guard !orders.isEmpty else { return [] }
        let rows = BatchRows([
            "user_id": .int(orders.map(\.userId)), "symbol": .text(orders.map(\.symbol)), "asset_class": .text(orders.map(\.assetClass.rawValue)),
            "side": .text(orders.map(\.side.rawValue)), "qty": .decimal(orders.map(\.quantity)), "order_type": .text(orders.map(\.type.rawValue)),
            "time_in_force": .text(orders.map(\.timeInForce.rawValue)), "limit_price": .optionalDecimal(orders.map(\.limitPrice)),
            "status": .text(orders.map(\.status.rawValue)), "submitted_at": .instant(orders.map(\.submittedAt)),
            "reject_reason": .optionalText(orders.map(\.rejectReason)), "client_order_id": .optionalText(orders.map(\.clientOrderId)),
            "replaces_order_id": .optionalInt(orders.map(\.replacesOrderId)), "parent_order_id": .optionalInt(orders.map(\.parentOrderId)),
            "strategy_id": .optionalInt(orders.map(\.strategyId)), "order_class": .text(orders.map(\.orderClass.rawValue)),
            "reserved_buying_power": .optionalDecimal(orders.map(\.reservedBuyingPower)),
            "filled_at": .optionalInstant(orders.map(\.filledAt)), "fill_price": .optionalDecimal(orders.map(\.fillPrice)),
            "slippage_basis": .optionalDecimal(orders.map(\.slippageBasis)),
        ])
        // Only the ids come back: the rest is what was written (decoding every column of thousands
        // of rows cost more than the insert).
        let ids = try await rows.insert(into: "paper_orders", returning: ["id"], on: db).map { try $0.decode(column: "id", as: Int64.self) }
            .sorted()
        guard ids.count == orders.count else {
            throw StorageError.corruptValue("insert into paper_orders returned \(ids.count) rows for \(orders.count)")
        }
        let stored = zip(ids, orders).map { id, order in
            PaperOrder(
                id: id, userId: order.userId, symbol: order.symbol, assetClass: order.assetClass, side: order.side,
                quantity: order.quantity,
                type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: order.status,
                submittedAt: StoredTimestamp(order.submittedAt).date, filledAt: order.filledAt.map { StoredTimestamp($0).date },
                fillPrice: order.fillPrice, slippageBasis: order.slippageBasis,
                rejectReason: order.rejectReason, clientOrderId: order.clientOrderId, replacesOrderId: order.replacesOrderId,
                parentOrderId: order.parentOrderId, strategyId: order.strategyId, orderClass: order.orderClass,
                reservedBuyingPower: order.reservedBuyingPower)
        }
        try await OpenOrderTotals.opened(stored, on: db)
        return stored
    }

    /// The order `id` if it belongs to `userId` and was not purged; another user's order is simply not found.
    public func order(id: Int64, userId: Int64) async throws -> PaperOrder? {
        try await database.withConnection { db in try await order(id: id, userId: userId, on: db) }
    }

    public func order(id: Int64, userId: Int64, on db: any SQLDatabase) async throws -> PaperOrder? {
        try await select(on: db).where("id", .equal, SQLBind(id)).where("user_id", .equal, SQLBind(userId))
            .where("deleted_at", .is, SQLLiteral.null).first().map(Self.decode)
    }

    public func order(clientOrderId: String, userId: Int64, on db: any SQLDatabase) async throws -> PaperOrder? {
        try await select(on: db).where("client_order_id", .equal, SQLBind(clientOrderId)).where("user_id", .equal, SQLBind(userId))
            .first().map(Self.decode)
    }

    /// The user's orders, newest first, after the `before` cursor (an order id) when given;
    /// orders the retention purge soft-deleted are gone from here.
    /// `ascending` lists oldest first instead (the cursor then does not apply).
    public func list(userId: Int64, filter: Filter, limit: Int, before cursor: Int64?, ascending: Bool = false) async throws
        -> [PaperOrder]
    {
        try await database.withConnection { db in
            // Legs are shown inside their multi-leg parent, not as orders of their own.
            let query = select(on: db).where("user_id", .equal, SQLBind(userId)).where("deleted_at", .is, SQLLiteral.null)
                .where("parent_order_id", .is, SQLLiteral.null)
            if let status = filter.status { query.where("status", .equal, SQLBind(status.rawValue)) }
            if let symbol = filter.symbol { query.where("symbol", .equal, SQLBind(symbol)) }
            if let from = filter.from { query.where("submitted_at", .greaterThanOrEqual, SQLBind(StoredTimestamp(from))) }
            if let to = filter.to { query.where("submitted_at", .lessThan, SQLBind(StoredTimestamp(to))) }
            if let statuses = filter.statuses { query.where("status", .in, SQLBind.group(statuses.map(\.rawValue))) }
            if let symbols = filter.symbols { query.where("symbol", .in, SQLBind.group(symbols)) }
            if let side = filter.side { query.where("side", .equal, SQLBind(side.rawValue)) }
            if let after = filter.after { query.where("submitted_at", .greaterThan, SQLBind(StoredTimestamp(after))) }
            if let cursor, !ascending { query.where("id", .lessThan, SQLBind(cursor)) }
            return try await query.orderBy("id", ascending ? .ascending : .descending).limit(limit).all().map(Self.decode)
        }
    }

    /// The legs of each multi-leg order among `parentIds`, in ticket order.
    public func legs(of parentIds: [Int64]) async throws -> [Int64: [(leg: OrderLeg, order: PaperOrder)]] {
        guard !parentIds.isEmpty else { return [:] }
        return try await database.withConnection { db in try await OrderLegStore.legs(of: parentIds, dialect: database.dialect, on: db) }
    }

    /// Marks an open order filled (a multi-leg parent once every leg is) and returns it as
    /// filled. `nil` when it was no longer open (a cancel won the race).
    public func markFilled(id: Int64, price: Decimal6, slippageBasis: Decimal6?, at instant: Date, on db: any SQLDatabase) async throws
        -> PaperOrder?
    {
        let filled = try await db.update("paper_orders")
            .set("status", to: SQLBind(OrderStatus.filled.rawValue))
            .set("filled_at", to: SQLBind(StoredTimestamp(instant)))
            .set("fill_price", to: SQLBind(StoredDecimal(price)))
            .set("slippage_basis", to: SQLBind(slippageBasis.map(StoredDecimal.init)))
            .where("id", .equal, SQLBind(id))
            .where("status", .in, OpenOrderPredicate.binds)
            .returning(Self.columns.map { SQLColumn($0) })
            .first()
            .map(Self.decode)
        if let filled { try await OpenOrderTotals.closed([filled], on: db) }
        return filled
    }

    private func select(on db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns(Self.columns.map { SQLColumn($0) }).from("paper_orders")
    }

    static func decode(_ row: any SQLRow) throws -> PaperOrder {
        PaperOrder(
            id: try row.decode(column: "id", as: Int64.self),
            userId: try row.decode(column: "user_id", as: Int64.self),
            symbol: try row.decode(column: "symbol", as: String.self),
            assetClass: try row.enumValue("asset_class", as: AssetClass.self),
            side: try row.enumValue("side", as: OrderSide.self),
            quantity: try row.decimal("qty"),
            type: try row.enumValue("order_type", as: OrderType.self),
            timeInForce: try row.enumValue("time_in_force", as: TimeInForce.self),
            limitPrice: try row.optionalDecimal("limit_price"),
            status: try row.enumValue("status", as: OrderStatus.self),
            submittedAt: try row.timestamp("submitted_at"),
            filledAt: try row.optionalTimestamp("filled_at"),
            fillPrice: try row.optionalDecimal("fill_price"),
            slippageBasis: try row.optionalDecimal("slippage_basis"),
            rejectReason: try row.decode(column: "reject_reason", as: String?.self),
            clientOrderId: try row.decode(column: "client_order_id", as: String?.self),
            replacesOrderId: try row.decode(column: "replaces_order_id", as: Int64?.self),
            replacedByOrderId: try row.decode(column: "replaced_by_order_id", as: Int64?.self),
            parentOrderId: try row.decode(column: "parent_order_id", as: Int64?.self),
            strategyId: try row.decode(column: "strategy_id", as: Int64?.self),
            orderClass: try row.enumValue("order_class", as: OrderClass.self),
            reservedBuyingPower: try row.optionalDecimal("reserved_buying_power")
        )
    }
}
