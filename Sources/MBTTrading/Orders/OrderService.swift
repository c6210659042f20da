import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// The submit, replace and cancel paths (SPEC §3.3–3.4): validate, price, check buying power under
/// the account's lock, then record the order, its fill, the position, the cash and the audit trail
/// in one transaction. New orders are group-committed (``SubmissionBatcher``); replaces and
/// cancels take a transaction each.
public struct OrderService: Sendable {
    public let database: any DatabaseClient
    public let marketData: MarketDataService
    public let calendar: NYSECalendar
    public let settings: FillSettings
    public let limits: OrderLimits
    public let postFillHook: any PostFillHook
    private let orders: OrderStore
    private let positions: PositionStore
    private let accounts: AccountStore
    private let batcher: SubmissionBatcher

    public init(
        database: any DatabaseClient, marketData: MarketDataService, calendar: NYSECalendar = NYSECalendar(),
        settings: FillSettings = .standard, limits: OrderLimits = .standard, postFillHook: any PostFillHook = NoPostFillHook()
    ) {
        self.database = database
        self.marketData = marketData
        self.calendar = calendar
        self.settings = settings
        self.limits = limits
        self.postFillHook = postFillHook
        self.orders = OrderStore(database: database)
        self.positions = PositionStore(database: database)
        self.accounts = AccountStore(database: database)
        self.batcher = SubmissionBatcher(database: database, calendar: calendar, settings: settings, postFillHook: postFillHook)
    }

    /// What a submission produced.
    public enum Submission: Sendable {
        /// A new order (filled, resting, or canceled as an unmarketable IOC).
        case created(PaperOrder)
        /// The order an earlier request with the same client_order_id created.
        case existing(PaperOrder)
    }

    public func submit(_ request: OrderRequest, for user: User) async throws -> Submission {
        let order: ValidatedOrder
        switch OrderValidator.validate(request, limits: limits) {
        case .success(let validated): order = validated
        case .failure(let rejection): throw TradingError.invalid(rejection)
        }
        if let clientOrderId = order.clientOrderId, let existing = try await existingOrder(clientOrderId, user: user) {
            return .existing(existing)
        }
        let now = marketData.clock.now()
        let held = try await positions.openPositions(userId: user.id)
        let quotes = try await quotes(for: [order.symbol] + held.map(\.symbol), instrument: order.instrument, user: user)
        do {
            let submission = SubmissionBatcher.Submission(order: order, user: user, quote: quotes[order.symbol], marks: quotes, at: now) {
                try await record(order, replacing: nil, quote: quotes[order.symbol], marks: quotes, user: user, at: now)
            }
            switch try await batcher.record(submission) {
            case .accepted(let stored): return .created(stored)
            case .refused(let stored, let rejection): throw TradingError.rejected(stored, rejection)
            }
        } catch let error as TradingError {
            throw error
        } catch {
            // A concurrent request with the same client_order_id won the unique index.
            if let clientOrderId = order.clientOrderId, let existing = try await existingOrder(clientOrderId, user: user) {
                return .existing(existing)
            }
            throw error
        }
    }

    /// What a replace may change (SPEC §3.3: quantity, limit price, time in force); `nil` keeps the
    /// replaced order's value. Symbol, side and type are the order's identity: to change them,
    /// cancel and submit a new order.
    public struct Replacement: Sendable, Hashable {
        public var quantity: Decimal6?
        public var limitPrice: Decimal6?
        public var timeInForce: TimeInForce?

        public init(quantity: Decimal6? = nil, limitPrice: Decimal6? = nil, timeInForce: TimeInForce? = nil) {
            self.quantity = quantity
            self.limitPrice = limitPrice
            self.timeInForce = timeInForce
        }
    }

    /// Replaces an open order, as Alpaca does: the old order is canceled ("replaced by order N") and
    /// a new one, linked to it, goes through the same checks and fill engine as a submission (so it
    /// may fill at once). Both happen in one transaction under the account's lock with the old
    /// order's row locked, so of a replace and a concurrent fill or cancel exactly one wins; the
    /// loser sees ``TradingError/orderNotOpen(_:)``. A replacement refused by buying power or the
    /// market is stored rejected and the old order stays open, so a refused change never leaves
    /// the user with no order at all.
    public func replace(orderId: Int64, with changes: Replacement, for user: User) async throws -> PaperOrder {
        guard let current = try await orders.order(id: orderId, userId: user.id) else { throw TradingError.orderNotFound(orderId) }
        guard current.status.isOpen else { throw TradingError.orderNotOpen(current) }
        let order = try Self.validated(replacing: current, with: changes, limits: limits)
        let now = marketData.clock.now()
        let held = try await positions.openPositions(userId: user.id)
        let quotes = try await quotes(for: [order.symbol] + held.map(\.symbol), instrument: order.instrument, user: user)
        switch try await record(order, replacing: current.id, quote: quotes[order.symbol], marks: quotes, user: user, at: now) {
        case .accepted(let stored): return stored
        case .refused(let stored, let rejection): throw TradingError.rejected(stored, rejection)
        }
    }

    /// Cancels an open order; exactly one of a cancel and a fill wins.
    public func cancel(orderId: Int64, for user: User) async throws -> PaperOrder {
        let now = marketData.clock.now()
        return try await database.withTransaction { db in
            guard let current = try await orders.order(id: orderId, userId: user.id, on: db) else {
                throw TradingError.orderNotFound(orderId)
            }
            guard let canceled = try await orders.close(id: orderId, userId: user.id, as: .canceled, reason: "canceled by user", on: db)
            else {
                throw TradingError.orderNotOpen(current)
            }
            try await AuditLog.record(
                AuditEntry(
                    userId: user.id, actorUserId: user.id, action: "order_canceled", entityType: "paper_order", entityId: orderId,
                    before: ["status": current.status.rawValue], after: ["status": canceled.status.rawValue], occurredAt: now),
                on: db)
            return canceled
        }
    }

    // MARK: - Steps

    private func existingOrder(_ clientOrderId: String, user: User) async throws -> PaperOrder? {
        try await database.withConnection { db in try await orders.order(clientOrderId: clientOrderId, userId: user.id, on: db) }
    }

    /// Latest quotes of the order's symbol and of every held symbol (the marks for equity).
    private func quotes(for symbols: [String], instrument: OrderInstrument, user: User) async throws -> [String: Quote] {
        let options = Set(symbols).compactMap { try? OptionSymbol(parsing: $0) }
        let stocks = Set(symbols).filter { !OptionSymbol.isOptionSymbol($0) }
        var quotes = try await marketData.quotes(Array(stocks), for: [user.id])
        if !options.isEmpty {
            for (symbol, quote) in try await marketData.optionQuotes(options, for: [user.id]) { quotes[symbol.description] = quote }
        }
        return quotes
    }

    /// The replacement as a new order request: the old order's symbol, side and type with the
    /// changed fields, validated like any ticket. It carries no client_order_id: the old order keeps
    /// its own, which is unique per user.
    static func validated(replacing current: PaperOrder, with changes: Replacement, limits: OrderLimits) throws -> ValidatedOrder {
        let request = OrderRequest(
            symbol: current.symbol, side: current.side, quantity: changes.quantity ?? current.quantity, type: current.type,
            limitPrice: changes.limitPrice ?? current.limitPrice, timeInForce: changes.timeInForce ?? current.timeInForce)
        switch OrderValidator.validate(request, limits: limits) {
        case .success(let validated): return validated
        case .failure(let rejection): throw TradingError.invalid(rejection)
        }
    }

    /// What the transaction stored: refusals are committed too, then reported.
    enum Recorded: Sendable {
        case accepted(PaperOrder)
        case refused(PaperOrder, OrderRejection)
    }

    /// One transaction under the account's lock: the checks, the fill engine and what they decide.
    /// `replacing` names an open order the new one replaces; its row is locked too, after the
    /// account (always in that order, so a replace and a fill cannot deadlock).
    private func record(
        _ order: ValidatedOrder, replacing replacedId: Int64?, quote: Quote?, marks: [String: Quote], user: User, at now: Date
    ) async throws -> Recorded {
        try await database.withTransaction { db in
            let account = try await accounts.lockForTrading(userId: user.id, on: db)
            let held = try await positions.openPositions(userId: user.id, on: db)
            let replaced = try await lockOpenOrder(replacedId, user: user, on: db)
            let placement = Placement(order: order, replacing: replaced, user: user, at: now)
            let decision = try Self.decide(
                order, quote: quote, marks: marks, cash: account.cashBalance, positions: held, at: now, calendar: calendar, settings: settings)
            return try await apply(decision, to: placement, held: held, on: db)
        }
    }

    /// The replaced order (none for a plain submission), locked; not found and not open are the
    /// caller's 404 and 409.
    private func lockOpenOrder(_ id: Int64?, user: User, on db: any SQLDatabase) async throws -> PaperOrder? {
        guard let id else { return nil }
        guard let order = try await orders.lockedOrder(id: id, userId: user.id, on: db) else { throw TradingError.orderNotFound(id) }
        guard order.status.isOpen else { throw TradingError.orderNotOpen(order) }
        return order
    }

    /// A new order being recorded: what, whose, when, and the open order it replaces, if any.
    private struct Placement {
        let order: ValidatedOrder
        let replacing: PaperOrder?
        let user: User
        let at: Date
    }

    private func apply(
        _ decision: FillDecision, to placement: Placement, held: [Position], on db: any SQLDatabase
    ) async throws -> Recorded {
        let status: OrderStatus
        let reason: String?
        switch decision {
        case .reject(let rejection): return try await reject(placement, rejection, on: db)
        case .rest, .fill: (status, reason) = (.accepted, nil)
        case .cancel(let why): (status, reason) = (.canceled, why.description)
        case .expire(let why): (status, reason) = (.expired, why.description)
        }
        let stored = try await insert(placement, status: status, reason: reason, on: db)
        // The audit rows of the whole change are written together, in the order things happened
        // (submitted, replaced, filled): one statement instead of one each.
        var audit = [submitted(stored, placement)]
        if let replaced = placement.replacing { audit.append(try await retire(replaced, replacedBy: stored, at: placement.at, on: db)) }
        guard case .fill(let fill) = decision else {
            try await AuditLog.record(audit, on: db)
            return .accepted(stored)
        }
        return .accepted(
            try await LedgerWriter(orders: orders, positions: positions, accounts: accounts, postFillHook: postFillHook)
                .recordFill(fill, of: stored, held: held.first { $0.symbol == fill.symbol }, at: placement.at, auditing: audit, on: db))
    }

    /// A refusal is stored (linked to the order it would have replaced, which stays open).
    private func reject(_ placement: Placement, _ rejection: OrderRejection, on db: any SQLDatabase) async throws -> Recorded {
        let stored = try await insert(placement, status: .rejected, reason: rejection.message, on: db)
        try await AuditLog.record(submitted(stored, placement), on: db)
        return .refused(stored, rejection)
    }

    private func insert(_ placement: Placement, status: OrderStatus, reason: String?, on db: any SQLDatabase) async throws -> PaperOrder {
        let (order, user) = (placement.order, placement.user)
        return try await orders.insert(
            OrderStore.NewOrder(
                userId: user.id, symbol: order.symbol, assetClass: order.assetClass, side: order.side, quantity: order.quantity,
                type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: status, submittedAt: placement.at,
                rejectReason: reason, clientOrderId: order.clientOrderId, replacesOrderId: placement.replacing?.id),
            on: db)
    }

    /// The audit row of a new order, as stored.
    private func submitted(_ stored: PaperOrder, _ placement: Placement) -> AuditEntry {
        let order = placement.order
        var after = [
            "status": stored.status.rawValue, "symbol": order.symbol, "side": order.side.rawValue, "qty": order.quantity.description,
        ]
        if let replaced = placement.replacing { after["replaces_order_id"] = "\(replaced.id)" }
        return AuditEntry(
            userId: placement.user.id, actorUserId: placement.user.id, action: "order_submitted", entityType: "paper_order",
            entityId: stored.id, after: after, occurredAt: placement.at)
    }

    /// Cancels the replaced order in favour of `replacement` and returns the audit row to write.
    /// The row is locked, so this cannot miss; if it ever did, throwing rolls the whole replace back.
    private func retire(_ replaced: PaperOrder, replacedBy replacement: PaperOrder, at now: Date, on db: any SQLDatabase) async throws
        -> AuditEntry
    {
        guard let canceled = try await orders.markReplaced(id: replaced.id, userId: replaced.userId, by: replacement.id, on: db) else {
            throw TradingError.orderNotOpen(replaced)
        }
        return AuditEntry(
            userId: replaced.userId, actorUserId: replaced.userId, action: "order_replaced", entityType: "paper_order",
            entityId: replaced.id, before: ["status": replaced.status.rawValue],
            after: ["status": canceled.status.rawValue, "replaced_by_order_id": "\(replacement.id)"], occurredAt: now)
    }

    /// The checks of a new order, in order: a quote for its symbol, buying power at the estimated
    /// price (held positions marked at their quotes' mids), then the fill engine. A refusal comes
    /// back as `.reject`. Both the one-order path and group commit decide through here.
    static func decide(
        _ order: ValidatedOrder, quote: Quote?, marks: [String: Quote], cash: Decimal6, positions: [Position], at now: Date,
        calendar: NYSECalendar, settings: FillSettings
    ) throws -> FillDecision {
        guard let quote else {
            return .reject(OrderRejection(.invalidSymbol, "unknown symbol \(order.symbol): the market has no quote for it"))
        }
        let held = positions.map { HeldPosition(position: $0, mark: marks[$0.symbol]?.mid ?? $0.averageCost) }
        let equity = try Self.equity(cash: cash, positions: held)
        if case .rejected(let rejection) = BuyingPower.check(
            order, estimatedPrice: Self.estimatedPrice(order, quote: quote), cash: cash, equity: equity, positions: held)
        {
            return .reject(rejection)
        }
        return FillEngine.onSubmit(
            RestingOrder(order, submittedAt: now), quote: quote, now: now, session: calendar.session(containing: now), settings: settings)
    }

    /// The price buying power is checked at: the limit, or the quote price a market order takes.
    static func estimatedPrice(_ order: ValidatedOrder, quote: Quote?) -> Decimal6 {
        if let limit = order.limitPrice { return limit }
        guard let quote else { return .zero }
        switch (order.instrument, order.side) {
        case (.option, _): return quote.mid
        case (.equity, .buy): return quote.ask
        case (.equity, .sell): return quote.bid
        }
    }

    /// Cash plus the market value of the positions (short positions count negative).
    static func equity(cash: Decimal6, positions: [HeldPosition]) throws -> Decimal6 {
        try positions.reduce(cash) { total, position in
            let value = try position.mark.multiplied(by: position.quantity.multiplied(by: position.multiplier))
            return position.side == .long ? total + value : total - value
        }
    }
}

extension HeldPosition {
    init(position: Position, mark: Decimal6) {
        self.init(symbol: position.symbol, side: position.side, quantity: position.quantity, mark: mark)
    }

    var multiplier: Int64 { OptionSymbol.isOptionSymbol(symbol) ? OptionSymbol.contractMultiplier : 1 }
}
