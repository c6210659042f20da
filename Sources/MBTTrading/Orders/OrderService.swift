import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// The submit and cancel paths (SPEC §3.3–3.4): validate, price, check buying power under the
/// account's lock, then record the order, its fill, the position, the cash and the audit trail in
/// one transaction.
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
            switch try await record(order, quote: quotes[order.symbol], marks: quotes, user: user, at: now) {
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

    /// What the transaction stored: refusals are committed too, then reported.
    private enum Recorded: Sendable {
        case accepted(PaperOrder)
        case refused(PaperOrder, OrderRejection)
    }

    private func record(
        _ order: ValidatedOrder, quote: Quote?, marks: [String: Quote], user: User, at now: Date
    ) async throws -> Recorded {
        try await database.withTransaction { db in
            let account = try await accounts.lockForTrading(userId: user.id, on: db)
            let held = try await positions.openPositions(userId: user.id, on: db)
            if quote == nil {
                return try await reject(
                    order, OrderRejection(.invalidSymbol, "unknown symbol \(order.symbol): the market has no quote for it"), user: user,
                    at: now, on: db)
            }
            let heldPositions = held.map { HeldPosition(position: $0, mark: marks[$0.symbol]?.mid ?? $0.averageCost) }
            let equity = try Self.equity(cash: account.cashBalance, positions: heldPositions)
            if case .rejected(let rejection) = BuyingPower.check(
                order, estimatedPrice: Self.estimatedPrice(order, quote: quote), cash: account.cashBalance, equity: equity,
                positions: heldPositions)
            {
                return try await reject(order, rejection, user: user, at: now, on: db)
            }
            let decision = FillEngine.onSubmit(
                RestingOrder(order, submittedAt: now), quote: quote, now: now, session: calendar.session(containing: now),
                settings: settings)
            return try await apply(decision, to: order, held: held, user: user, at: now, on: db)
        }
    }

    private func apply(
        _ decision: FillDecision, to order: ValidatedOrder, held: [Position], user: User, at now: Date, on db: any SQLDatabase
    ) async throws -> Recorded {
        switch decision {
        case .reject(let rejection):
            return try await reject(order, rejection, user: user, at: now, on: db)
        case .rest:
            return .accepted(try await insert(order, status: .accepted, reason: nil, user: user, at: now, on: db))
        case .cancel(let reason):
            return .accepted(try await insert(order, status: .canceled, reason: reason.description, user: user, at: now, on: db))
        case .expire(let reason):
            return .accepted(try await insert(order, status: .expired, reason: reason.description, user: user, at: now, on: db))
        case .fill(let fill):
            let accepted = try await insert(order, status: .accepted, reason: nil, user: user, at: now, on: db)
            return .accepted(
                try await LedgerWriter(orders: orders, positions: positions, accounts: accounts, postFillHook: postFillHook)
                    .recordFill(fill, of: accepted, held: held.first { $0.symbol == fill.symbol }, at: now, on: db))
        }
    }

    private func reject(
        _ order: ValidatedOrder, _ rejection: OrderRejection, user: User, at now: Date, on db: any SQLDatabase
    ) async throws -> Recorded {
        .refused(try await insert(order, status: .rejected, reason: rejection.message, user: user, at: now, on: db), rejection)
    }

    private func insert(
        _ order: ValidatedOrder, status: OrderStatus, reason: String?, user: User, at now: Date, on db: any SQLDatabase
    ) async throws -> PaperOrder {
        let stored = try await orders.insert(
            OrderStore.NewOrder(
                userId: user.id, symbol: order.symbol, assetClass: order.assetClass, side: order.side, quantity: order.quantity,
                type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: status, submittedAt: now,
                rejectReason: reason, clientOrderId: order.clientOrderId),
            on: db)
        try await AuditLog.record(
            AuditEntry(
                userId: user.id, actorUserId: user.id, action: "order_submitted", entityType: "paper_order", entityId: stored.id,
                after: ["status": status.rawValue, "symbol": order.symbol, "side": order.side.rawValue, "qty": order.quantity.description],
                occurredAt: now),
            on: db)
        return stored
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
