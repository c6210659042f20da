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
    /// parent's reason naming the leg. A limit combo fills only when the net mid reaches the limit.
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
        if let rejection { throw TradingError.rejected(parent, rejection) }
        return .created(parent)
    }

    /// The parent and its legs, filled or rejected, in one bounded transaction; a database that
    /// does not answer in time gets the caller a 503 (nothing was written).
    private func write(
        _ combo: ValidatedCombo, priced: ComboFill?, quotes: [String: Quote], refusal: OrderRejection?, marks: Marks,
        clientOrderId: String?,
        strategyId: Int64?, user: User, at now: Date
    ) async throws -> (PaperOrder, OrderRejection?) {
        let writer = self.writer
        do {
            return try await database.withTransaction(within: deadline) { db in
                var batch = try await writer.lock([user.id], on: db)
                var refused = refusal
                if refused == nil, let priced {
                    refused = try Self.buyingPowerRefusal(
                        combo, netPrice: priced.netPrice, account: try batch.account(user.id).buyingPower(marks: marks))
                }
                let placed = try batch.placeCombo(
                    Self.parentRow(
                        combo, user: user, net: priced?.netPrice, status: refused == nil ? .accepted : .rejected, reason: refused?.message,
                        clientOrderId: clientOrderId, strategyId: strategyId, at: now),
                    legs: combo.legs.map { leg in
                        (
                            Self.legRow(leg, combo: combo, user: user, rejected: refused != nil, strategyId: strategyId, at: now),
                            leg.ratio, leg.intent
                        )
                    })
                if refused == nil, let priced {
                    for (leg, (child, price)) in zip(combo.legs, zip(placed.children, priced.legPrices)) {
                        try batch.fill(.new(child), with: Self.legFill(leg, combo: combo, price: price, quote: quotes[leg.symbol], at: now))
                    }
                    batch.complete(placed.parent, netPrice: priced.netPrice, at: now)
                }
                let written = try await writer.write(batch, on: db)
                return (written.newOrders[placed.parent], refused)
            }
        } catch let error where DatabaseFailure.isUnavailable(error) {
            throw TradingError.ledgerUnavailable(
                "the database did not answer in time, so the order was not stored; send it again with the same client_order_id")
        }
    }

    /// The combo priced at its legs' mids now, or why the market refuses it (naming the leg).
    private func price(_ combo: ValidatedCombo, at now: Date, user: User) async throws -> (ComboFill?, [String: Quote], OrderRejection?) {
        for leg in combo.legs {
            if let refusal = try await listing(of: leg.instrument, at: now) {
                return (nil, [:], OrderRejection(refusal.code, "\(leg.label): \(refusal.message)"))
            }
        }
        let quotes = try await marketData.anyQuotes(combo.legs.map(\.symbol), for: [user.id])
        switch ComboPricing.marketFill(combo, quotes: quotes, now: now, maxAge: settings.maximumQuoteAge) {
        case .failure(let error):
            return (nil, quotes, OrderRejection(.noUsableQuote, "\(error.field): \(error.message)"))
        case .success(let fill):
            if let limit = combo.limitPrice, !ComboLimitRule.crosses(netMid: fill.netPrice, limit: limit) {
                return (
                    nil, quotes,
                    OrderRejection(
                        .comboNotMarketable,
                        "the legs' net mid \(fill.netPrice) does not reach the limit \(limit) now; multi-leg limit orders fill only when "
                            + "marketable at submission (resting combos are not supported yet)")
                )
            }
            return (fill, quotes, nil)
        }
    }

    /// Why the account cannot carry the structure at `netPrice`, or `nil` when it can: uncovered
    /// risk is refused outright; defined risk reserves its maximum loss from the free cash.
    static func buyingPowerRefusal(_ combo: ValidatedCombo, netPrice: Decimal6, account: BuyingPowerAccount) throws -> OrderRejection? {
        switch StructureBuyingPower.evaluate(combo, netPrice: netPrice, account: account) {
        case .rejected(let rejection):
            return rejection
        case .allowed(let risk):
            let free = try account.breakdown().freeCash
            guard risk.requirement > free else { return nil }
            return OrderRejection(
                .insufficientBuyingPower,
                "this \(risk.shape.name.replacingOccurrences(of: "_", with: " ")) needs \(risk.requirement) of buying power (its maximum loss) but \(free) is available"
            )
        }
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
            submittedAt: now, rejectReason: reason, clientOrderId: clientOrderId, strategyId: strategyId)
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
            strategyId: strategyId)
    }

    static func legFill(_ leg: ValidatedComboLeg, combo: ValidatedCombo, price: Decimal6, quote: Quote?, at now: Date) -> Fill {
        Fill(
            symbol: leg.symbol, side: leg.side, price: price, quantity: Decimal6(Int(leg.ratio * combo.qty)),
            multiplier: leg.contract == nil ? 1 : OptionSymbol.contractMultiplier, rule: .marketAtQuote, priceSource: .mid,
            nbboBid: quote?.bid, nbboAsk: quote?.ask, slippageBasis: nil, pricedAt: now)
    }
}
