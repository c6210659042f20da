import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// The submit, replace and cancel paths (docs/ledger.md): validate, look up the market, then let
/// group commit judge the order under its account's lock and the ledger's one writer record it.
public struct OrderService: Sendable {
    public let database: any DatabaseClient
    public let marketData: MarketDataService
    public let calendar: NYSECalendar
    public let settings: FillSettings
    public let limits: OrderLimits
    public let barCloses: BarCloseBook
    let orders: OrderStore
    let writer: LedgerWriter
    private let groupCommit: GroupCommit
    /// How long a cancel's transaction may take before the caller is told the ledger is unavailable.
    let deadline: Duration = .seconds(10)

    public init(
        database: any DatabaseClient, marketData: MarketDataService, calendar: NYSECalendar = NYSECalendar(),
        settings: FillSettings = .standard, limits: OrderLimits = .standard, postFillHook: any PostFillHook = NoPostFillHook(),
        barCloses: BarCloseBook = BarCloseBook()
    ) {
        self.database = database
        self.marketData = marketData
        self.calendar = calendar
        self.settings = settings
        self.limits = limits
        self.barCloses = barCloses
        self.orders = OrderStore(database: database)
        self.writer = LedgerWriter(database: database, postFillHook: postFillHook)
        self.groupCommit = GroupCommit(database: database, calendar: calendar, settings: settings, writer: writer)
    }

    /// What a submission produced.
    public enum Submission: Sendable {
        /// A new order (filled, resting, or canceled as an unmarketable IOC).
        case created(PaperOrder)
        /// The order an earlier request with the same client_order_id created.
        case existing(PaperOrder)
    }

    /// `strategyId`, when given, must name one of the user's strategies.
    public func submit(_ request: OrderRequest, strategyId: Int64? = nil, for user: User) async throws -> Submission {
        let order = try Self.validated(request, limits: limits)
        if let clientOrderId = order.clientOrderId, let existing = try await existingOrder(clientOrderId, user: user) {
            return .existing(existing)
        }
        try await requireStrategy(strategyId, of: user)
        switch try await commit(order, replacing: nil, strategyId: strategyId, user: user) {
        case .accepted(let stored):
            TradingMetrics.placed(stored)
            return .created(stored)
        case .existing(let stored): return .existing(stored)
        case .refused(let stored, let rejection):
            TradingMetrics.placed(stored)
            TradingMetrics.refused(rejection.code)
            throw TradingError.rejected(stored, rejection)
        }
    }

    /// What a replace may change (quantity, limit price, time in force); `nil` keeps the replaced
    /// order's value. Symbol, side and type are the order's identity: to change them, cancel and
    /// submit a new order.
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
    /// a new one, linked to it, is judged like a submission with the old order's reservation
    /// released (so it may fill at once). Both are written in one transaction with the old order's
    /// row locked, so of a replace and a concurrent fill or cancel exactly one wins; the loser sees
    /// ``TradingError/orderNotOpen(_:)``. A replacement refused by buying power or the market is
    /// stored rejected and the old order stays open, so a refused change never leaves the user with
    /// no order at all.
    public func replace(orderId: Int64, with changes: Replacement, for user: User) async throws -> PaperOrder {
        let orders = self.orders
        guard let current = try await read({ db in try await orders.order(id: orderId, userId: user.id, on: db) }) else {
            throw TradingError.orderNotFound(orderId)
        }
        guard current.status.isOpen else { throw TradingError.orderNotOpen(current) }
        try Self.refuseLeg(current)
        if current.isComboParent { return try await replaceCombo(current, with: changes, user: user) }
        let order = try Self.validated(replacing: current, with: changes, limits: limits)
        switch try await commit(order, replacing: current.id, strategyId: current.strategyId, user: user) {
        case .accepted(let stored), .existing(let stored): return stored
        case .refused(let stored, let rejection): throw TradingError.rejected(stored, rejection)
        }
    }

    /// Cancels an open order (a multi-leg one with its legs); exactly one of a cancel and a fill wins.
    public func cancel(orderId: Int64, for user: User) async throws -> PaperOrder {
        let now = marketData.clock.now()
        let writer = self.writer
        let orders = self.orders
        if let current = try await read({ db in try await orders.order(id: orderId, userId: user.id, on: db) }),
            current.orderClass == .mleg
        {
            guard current.status.isOpen else { throw TradingError.orderNotOpen(current) }
            try Self.refuseLeg(current)
            return try await cancelCombo(current, user: user, at: now)
        }
        do {
            return try await database.withTransaction(within: deadline) { db in
                guard let current = try await orders.order(id: orderId, userId: user.id, on: db) else {
                    throw TradingError.orderNotFound(orderId)
                }
                var batch = LedgerBatch()
                batch.close(current, as: .canceled, reason: "canceled by user", actor: user.id, at: now)
                guard try await writer.write(batch, on: db).closed.contains(orderId),
                    let canceled = try await orders.order(id: orderId, userId: user.id, on: db)
                else {
                    throw TradingError.orderNotOpen(current)
                }
                return canceled
            }
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable("the database did not answer in time; read the order to see whether it was canceled")
        }
    }

    // MARK: - Steps

    /// A leg moves only with its multi-leg order: cancel or replace that instead.
    static func refuseLeg(_ order: PaperOrder) throws {
        guard let parent = order.parentOrderId else { return }
        throw TradingError.invalid(
            OrderRejection(.invalidLegs, "order \(order.id) is a leg of multi-leg order \(parent); cancel or replace that order instead"))
    }

    /// Refuses a strategy id that is not one of the user's (another user's is "not yours" too).
    func requireStrategy(_ strategyId: Int64?, of user: User) async throws {
        guard let strategyId else { return }
        let strategies = StrategyStore(database: database)
        guard try await read({ db in try await strategies.strategy(id: strategyId, userId: user.id, on: db) }) != nil else {
            throw TradingError.invalid(OrderRejection(.invalidStrategy, "strategy_id \(strategyId) is not one of your strategies"))
        }
    }

    private func commit(_ order: ValidatedOrder, replacing: Int64?, strategyId: Int64?, user: User) async throws -> GroupCommit.Outcome {
        let now = marketData.clock.now()
        let listing = try await listing(of: order.instrument, at: now)
        let marks = try await marks(for: [order.symbol], user: user)
        return try await groupCommit.commit(
            GroupCommit.Submission(
                order: order, user: user, replacing: replacing, strategyId: strategyId, listing: listing, marks: marks, at: now))
    }

    /// A read of the submit path, bounded like the group's transaction: a database that stops
    /// answering gets the order a 503 instead of a request that waits forever.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await database.withConnection(within: deadline, body)
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable(
                "the database did not answer in time, so the order was not stored; send it again with the same client_order_id")
        }
    }

    /// Why the market does not list the order's symbol, or `nil` when it does. Whether a symbol
    /// trades comes from the market's universe and its option chains, never from whether it
    /// happens to be quoted right now (docs/fill-rules.md).
    func listing(of instrument: OrderInstrument, at now: Date) async throws -> OrderRejection? {
        switch instrument {
        case .equity(let symbol):
            guard try await marketData.tradableStocks().contains(symbol) else {
                return OrderRejection(.invalidSymbol, "unknown symbol \(symbol): the market does not list it for trading")
            }
            return nil
        case .option(let contract):
            let today = MarketDate(containing: now)
            let closed = calendar.session(on: contract.expiry).map { now >= $0.close } ?? true
            if contract.expiry < today || (contract.expiry == today && closed) {
                return OrderRejection(.invalidSymbol, "\(contract) expired on \(contract.expiry); it can no longer be traded")
            }
            let listed = try await marketData.listedContracts(underlying: contract.root, expiry: contract.expiry)
            guard listed.contains(contract) else {
                let strikes = listed.filter { $0.right == contract.right }.map(\.strike).sorted()
                let near = strikes.sorted { abs(($0 - contract.strike).micros) < abs(($1 - contract.strike).micros) }.prefix(4).sorted()
                let hint =
                    near.isEmpty
                    ? "the market lists no \(contract.right == .call ? "calls" : "puts") of \(contract.root) expiring \(contract.expiry)"
                    : "listed strikes nearby: \(near.map(\.description).joined(separator: ", "))"
                return OrderRejection(.invalidSymbol, "\(contract) is not a listed contract; \(hint)")
            }
            return nil
        }
    }

    /// The prices at hand for judging an order: quotes for its own symbols (a combo's legs), the
    /// account's positions and those of its open orders that are reserved at a market price (all
    /// but buy limits), plus the last bar closes known.
    func marks(for orderSymbols: [String], user: User) async throws -> Marks {
        let held = try await read { db in try await LedgerStore.pricedSymbols(of: user.id, on: db) }
        let symbols = Array(held.union(orderSymbols))
        return Marks(quotes: try await marketData.anyQuotes(symbols, for: [user.id]), barCloses: barCloses.closes(symbols))
    }

    func existingOrder(_ clientOrderId: String, user: User) async throws -> PaperOrder? {
        let orders = self.orders
        return try await read { db in try await orders.order(clientOrderId: clientOrderId, userId: user.id, on: db) }
    }

    static func validated(_ request: OrderRequest, limits: OrderLimits) throws -> ValidatedOrder {
        switch OrderValidator.validate(request, limits: limits) {
        case .success(let validated): return validated
        case .failure(let rejection):
            TradingMetrics.refused(rejection.code)
            throw TradingError.invalid(rejection)
        }
    }

    /// The replacement as a new order request: the old order's symbol, side and type with the
    /// changed fields, validated like any ticket. It carries no client_order_id: the old order keeps
    /// its own, which is unique per user.
    static func validated(replacing current: PaperOrder, with changes: Replacement, limits: OrderLimits) throws -> ValidatedOrder {
        try validated(
            OrderRequest(
                symbol: current.symbol, side: current.side, quantity: changes.quantity ?? current.quantity, type: current.type,
                limitPrice: changes.limitPrice ?? current.limitPrice, timeInForce: changes.timeInForce ?? current.timeInForce),
            limits: limits)
    }
}
