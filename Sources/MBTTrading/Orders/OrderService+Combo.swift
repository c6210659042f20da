import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// Multi-leg option orders (Alpaca's `mleg`; docs/multi-leg.md): one parent order and one child per
/// leg, filled all together or not at all, in one transaction through the ledger's one writer.
extension OrderService {
    /// Submits a multi-leg ticket. Every leg is priced at its quote mid at one instant; a combo
    /// whose leg is not listed or has no usable quote, whose structure carries uncovered risk, or
    /// whose maximum loss exceeds the buying power is stored rejected, parent and legs, with the
    /// parent's reason naming the leg. A limit combo fills at once when the net mid reaches the
    /// limit, else rests (holding back its maximum loss at the limit) for the bar loop to judge.
    public func submit(_ ticket: ComboTicket, clientOrderId: String?, strategyId: Int64? = nil, for user: User) async throws -> Submission {
        let combo: ValidatedCombo
        switch ComboValidator.validate(ticket, limits: limits) {
        case .success(let validated): combo = validated
        case .failure(let error): throw TradingError.invalid(OrderRejection(.invalidLegs, "\(error.field): \(error.message)"))
        }
        if let clientOrderId {
            guard clientOrderId.count <= 128 else {
                throw TradingError.invalid(OrderRejection(.invalidClientOrderId, "client_order_id must be at most 128 characters"))
            }
            if let existing = try await existingOrder(clientOrderId, user: user) { return .existing(existing) }
        }
        try await requireStrategy(strategyId, of: user)
        let now = marketData.clock.now()
        let (priced, quotes, refusal) = try await price(combo, at: now, user: user)
        let marks = try await marks(for: combo.legs.map(\.symbol), user: user)
        let (parent, rejection) = try await write(
            combo, priced: priced, quotes: quotes, refusal: refusal, marks: marks, clientOrderId: clientOrderId,
            strategyId: strategyId, user: user, at: now)
        TradingMetrics.placed(parent)
        if let rejection {
            TradingMetrics.refused(rejection.code)
            throw TradingError.rejected(parent, rejection)
        }
        return .created(parent)
    }

    /// The parent and its legs, filled, resting or rejected, in one bounded transaction; a
    /// database that does not answer in time gets the caller a 503 (nothing was written). A
    /// replacement closes `replacing` (parent and legs) in the same transaction.
    func write(
        _ combo: ValidatedCombo, priced: ComboFill?, quotes: [String: Quote], refusal: OrderRejection?, marks: Marks,
        clientOrderId: String?, strategyId: Int64?, user: User, at now: Date, replacing: RestingCombo? = nil
    ) async throws -> (PaperOrder, OrderRejection?) {
        let writer = self.writer
        let dialect = database.dialect
        do {
            return try await database.withTransaction(within: deadline) { db in
                var batch = try await writer.lock([user.id], on: db)
                if let replacing {
                    let locked = try await LedgerStore.lockOrders([(replacing.parent.id, user.id)], dialect: dialect, on: db)
                    guard let current = locked[replacing.parent.id], current.status.isOpen else {
                        throw TradingError.orderNotOpen(locked[replacing.parent.id] ?? replacing.parent)
                    }
                }
                var account = try batch.account(user.id)
                if let replacing { account.release(replacing.parent) }
                var refused = refusal
                var reservation: Decimal6?
                if refused == nil, let net = priced?.netPrice ?? combo.limitPrice {
                    switch StructureBuyingPower.check(combo, netPrice: net, account: try account.buyingPower(marks: marks)) {
                    case .failure(let rejection): refused = rejection
                    case .success(let requirement): reservation = priced == nil ? requirement : nil
                    }
                }
                var parent = Self.parentRow(
                    combo, user: user, net: priced?.netPrice, status: refused == nil ? .accepted : .rejected, reason: refused?.message,
                    clientOrderId: clientOrderId, strategyId: strategyId, at: now)
                parent.reservedBuyingPower = reservation
                parent.replacesOrderId = refused == nil ? replacing?.parent.id : nil
                let placed = try batch.placeCombo(
                    parent,
                    legs: combo.legs.map { leg in
                        (
                            Self.legRow(leg, combo: combo, user: user, rejected: refused != nil, strategyId: strategyId, at: now),
                            leg.ratio, leg.intent
                        )
                    },
                    replacing: refused == nil ? replacing.map { ($0.parent, $0.legs) } : nil, actor: user.id)
                if refused == nil, let priced {
                    let fills = ComboLegFills.fills(combo, prices: priced.legPrices, quotes: quotes, rule: .marketAtQuote, at: now)
                    for (child, fill) in zip(placed.children, fills) { try batch.fill(.new(child), with: fill) }
                    batch.complete(.new(placed.parent), netPrice: priced.netPrice, at: now)
                }
                let written = try await writer.write(batch, on: db)
                return (written.newOrders[placed.parent], refused)
            }
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable(
                "the database did not answer in time, so the order was not stored; send it again with the same client_order_id")
        }
    }

    /// The combo priced at its legs' mids now, or why the market refuses it (naming the leg). A
    /// limit combo the mids do not reach, or whose legs are not quoted now (outside the session),
    /// gets no price and no refusal: it rests.
    func price(_ combo: ValidatedCombo, at now: Date, user: User) async throws -> (ComboFill?, [String: Quote], OrderRejection?) {
        for leg in combo.legs {
            if let refusal = try await listing(of: leg.instrument, at: now) {
                return (nil, [:], OrderRejection(refusal.code, "\(leg.label): \(refusal.message)"))
            }
        }
        let quotes = try await marketData.anyQuotes(combo.legs.map(\.symbol), for: [user.id])
        switch ComboLimitRule.fill(combo, quotes: quotes, now: now, maxAge: settings.maximumQuoteAge) {
        case .failure(let error):
            if combo.limitPrice != nil { return (nil, quotes, nil) }
            return (nil, quotes, OrderRejection(.noUsableQuote, "\(error.field): \(error.message)"))
        case .success(let fill):
            return (fill, quotes, nil)
        }
    }

    // MARK: - Cancel and replace

    /// The open combo whose parent is `parent`, with its legs.
    func restingCombo(_ parent: PaperOrder) async throws -> RestingCombo {
        let dialect = database.dialect
        let legs = try await read { db in try await OrderLegStore.legs(of: [parent.id], dialect: dialect, on: db) }
        guard let combo = RestingCombo(parent: parent, legs: legs[parent.id] ?? [], limits: limits) else {
            throw TradingError.invalid(OrderRejection(.invalidLegs, "order \(parent.id) has no legs that make a multi-leg order"))
        }
        return combo
    }

    /// Cancels a resting combo, parent and legs together, under the account's lock, so a fill of
    /// the same combo (which takes the lock first) and the cancel have one winner.
    func cancelCombo(_ parent: PaperOrder, user: User, at now: Date) async throws -> PaperOrder {
        let resting = try await restingCombo(parent)
        let writer = self.writer
        let orders = self.orders
        do {
            return try await database.withTransaction(within: deadline) { db in
                var batch = try await writer.lock([user.id], on: db)
                batch.close(combo: resting.parent, legs: resting.legs, as: .canceled, reason: "canceled by user", actor: user.id, at: now)
                guard try await writer.write(batch, on: db).closed.contains(parent.id),
                    let canceled = try await orders.order(id: parent.id, userId: user.id, on: db)
                else {
                    throw TradingError.orderNotOpen(parent)
                }
                return canceled
            }
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable("the database did not answer in time; read the order to see whether it was canceled")
        }
    }

    /// Replaces a resting combo (net limit, qty, time in force; the legs are its identity): the
    /// new parent and legs are judged like a submission with the old reservation released, and the
    /// old ones are canceled in the same transaction. A refused replacement is stored rejected and
    /// the old combo stays open.
    func replaceCombo(_ parent: PaperOrder, with changes: Replacement, user: User) async throws -> PaperOrder {
        let resting = try await restingCombo(parent)
        let ticket = ComboTicket(
            legs: resting.combo.legs.map { ComboLeg(symbol: $0.symbol, side: $0.side, ratioQty: Int($0.ratio), positionIntent: $0.intent) },
            qty: changes.quantity ?? parent.quantity, orderType: parent.type, timeInForce: changes.timeInForce ?? parent.timeInForce,
            limitPrice: changes.limitPrice ?? parent.limitPrice)
        let combo: ValidatedCombo
        switch ComboValidator.validate(ticket, limits: limits) {
        case .success(let validated): combo = validated
        case .failure(let error): throw TradingError.invalid(OrderRejection(.invalidLegs, "\(error.field): \(error.message)"))
        }
        let now = marketData.clock.now()
        let (priced, quotes, refusal) = try await price(combo, at: now, user: user)
        let marks = try await marks(for: combo.legs.map(\.symbol), user: user)
        let (stored, rejection) = try await write(
            combo, priced: priced, quotes: quotes, refusal: refusal, marks: marks, clientOrderId: nil, strategyId: parent.strategyId,
            user: user, at: now, replacing: resting)
        if let rejection { throw TradingError.rejected(stored, rejection) }
        return stored
    }

    /// The parent row: the underlying, the combo's quantity, a buy for a debit and a sell for a
    /// credit, the net limit.
    static func parentRow(
        _ combo: ValidatedCombo, user: User, net: Decimal6?, status: OrderStatus, reason: String?, clientOrderId: String?,
        strategyId: Int64?,
        at now: Date
    ) -> OrderStore.NewOrder {
        let price = net ?? combo.limitPrice ?? .zero
        return OrderStore.NewOrder(
            userId: user.id, symbol: combo.underlying, assetClass: .option, side: price.isNegative ? .sell : .buy,
            quantity: Decimal6(Int(combo.qty)), type: combo.type, timeInForce: combo.timeInForce, limitPrice: combo.limitPrice,
            status: status,
            submittedAt: now, rejectReason: reason, clientOrderId: clientOrderId, strategyId: strategyId, orderClass: .mleg)
    }

    /// A leg's row: ratio × the combo's quantity (contracts, or shares for a stock leg, whose ratio
    /// counts shares).
    static func legRow(_ leg: ValidatedComboLeg, combo: ValidatedCombo, user: User, rejected: Bool, strategyId: Int64?, at now: Date)
        -> OrderStore.NewOrder
    {
        OrderStore.NewOrder(
            userId: user.id, symbol: leg.symbol, assetClass: leg.contract == nil ? .usEquity : .option, side: leg.side,
            quantity: Decimal6(Int(leg.ratio * combo.qty)), type: .market, timeInForce: combo.timeInForce, limitPrice: nil,
            status: rejected ? .rejected : .accepted, submittedAt: now, rejectReason: rejected ? "rejected with its multi-leg order" : nil,
            strategyId: strategyId, orderClass: .mleg)
    }
}
