/// The v1 buying-power rule (docs/buying-power.md), the one every path judges orders by: submit,
/// replace and group commit, and a resting order's fill in the bar loop.
///
/// *Free cash* = cash − 150% of the short stock's market value − the collateral of short puts −
/// what open orders reserve (``BuyingPowerAccount/reservation(symbol:side:)``). An order that opens
/// or extends a position must leave free cash at zero or above once its own reservation is counted;
/// the part of an order that closes a position (selling shares held, buying back a short) is never
/// refused for buying power. When prices alone push free cash below zero nothing is liquidated:
/// opening orders are refused until it recovers.
///
/// Short calls must be covered by 100 free shares of the underlying per contract, and those shares
/// cannot be sold while the calls are open; index and adjusted roots have no such shares, so their
/// short calls are refused. Short puts must be cash-secured.
///
/// Amounts round toward caution: requirements up, what is available down.
public enum BuyingPower {
    /// Regulation T for short stock: the proceeds plus 50% stay as collateral.
    public static let shortRequirementPercent: Int64 = 150

    /// Checks a validated order at its estimated price: the limit for limit orders; for market
    /// orders the quote price it would take (ask for buys, bid for sells, mid for options).
    public static func check(_ order: ValidatedOrder, estimatedPrice: Decimal6, account: BuyingPowerAccount) -> BuyingPowerDecision {
        check(instrument: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: estimatedPrice, account: account)
    }

    /// The same check for an order given by its parts (a replacement, or a resting order at its
    /// fill price with its own reservation already released from `account`).
    public static func check(
        instrument: OrderInstrument, side: OrderSide, quantity: Decimal6, estimatedPrice: Decimal6, account: BuyingPowerAccount
    ) -> BuyingPowerDecision {
        let opening = account.openingQuantity(symbol: instrument.symbol, side: side, quantity: quantity)
        do {
            if case .equity = instrument, side == .sell,
                let refusal = try sellsCoveringShares(instrument.symbol, quantity - opening, account: account)
            {
                return .rejected(refusal)
            }
            guard opening.isPositive else { return .allowed }
            if case .option(let contract) = instrument, side == .sell, contract.right == .call,
                let refusal = try uncoveredCall(contract, contracts: opening, account: account)
            {
                return .rejected(refusal)
            }
            let before = try account.breakdown()
            let after = try breakdown(after: instrument, side: side, quantity: quantity, estimatedPrice: estimatedPrice, account: account)
            guard after.freeCash < .zero else { return .allowed }
            return .rejected(refusal(instrument: instrument, side: side, needs: before.freeCash - after.freeCash, before: before))
        } catch {
            return .rejected(
                OrderRejection(.insufficientBuyingPower, "the order's value is beyond any account's buying power; reduce the quantity"))
        }
    }

    /// The account's free cash and what it is made of with the order counted among its open
    /// orders at `estimatedPrice`: what ``check(instrument:side:quantity:estimatedPrice:account:)``
    /// requires to stay at zero or above, and what the order ticket's preview shows.
    public static func breakdown(
        after instrument: OrderInstrument, side: OrderSide, quantity: Decimal6, estimatedPrice: Decimal6, account: BuyingPowerAccount
    ) throws(DecimalArithmeticError) -> BuyingPowerAccount.Breakdown {
        try account.adding(OpenOrderExposure(symbol: instrument.symbol, side: side, quantity: quantity, price: estimatedPrice)).breakdown()
    }

    /// The price an order is judged at: the limit, else what a market order would take from the
    /// quote (the ask for stock buys, the bid for stock sells, the mid for options), else the
    /// symbol's mark. `nil` when nothing prices it.
    ///
    /// A sell is judged at no less than the market's price: a marketable sell limit fills at the bid,
    /// and a short sale holds back half of what it fills at, however low its limit.
    public static func estimatedPrice(
        side: OrderSide, instrument: OrderInstrument, limit: Decimal6?, quote: Quote?, mark: Decimal6?
    ) -> Decimal6? {
        let market = marketPrice(side: side, instrument: instrument, quote: quote) ?? mark
        guard let limit else { return market }
        return side == .sell ? max(limit, market ?? limit) : limit
    }

    private static func marketPrice(side: OrderSide, instrument: OrderInstrument, quote: Quote?) -> Decimal6? {
        guard let quote, quote.bid.isPositive, quote.ask.isPositive else { return nil }
        switch (instrument, side) {
        case (.option, _): return quote.mid
        case (.equity, .buy): return quote.ask
        case (.equity, .sell): return quote.bid
        }
    }

    // MARK: - Refusals

    private static func refusal(instrument: OrderInstrument, side: OrderSide, needs: Decimal6, before: BuyingPowerAccount.Breakdown)
        -> OrderRejection
    {
        let amounts = "needs \(Money.needed(needs)), buying power \(Money.available(before.freeCash))\(detail(before))"
        switch (instrument, side) {
        case (_, .buy):
            return OrderRejection(.insufficientBuyingPower, "\(amounts); reduce the quantity or the price")
        case (.equity, .sell):
            return OrderRejection(
                .insufficientBuyingPower,
                "a short sale holds back \(shortRequirementPercent - 100)% of its value (the proceeds stay as collateral): \(amounts); "
                    + "reduce the quantity")
        case (.option(let contract), .sell) where contract.right == .put:
            return OrderRejection(
                .uncoveredOption,
                "uncovered short puts are not allowed: a short put must be cash-secured (strike × 100 × contracts); "
                    + "needs \(Money.needed(needs)), free cash \(Money.available(before.freeCash))\(detail(before))")
        case (.option, .sell):
            return OrderRejection(
                .insufficientBuyingPower,
                "buying power is \(Money.available(before.freeCash))\(detail(before)); orders that open positions are refused until it is "
                    + "back above zero")
        }
    }

    /// What free cash is made of, where more than cash is involved.
    private static func detail(_ breakdown: BuyingPowerAccount.Breakdown) -> String {
        var parts: [String] = []
        if breakdown.reservedByOpenOrders.isPositive { parts.append("open orders reserve \(Money.needed(breakdown.reservedByOpenOrders))") }
        if breakdown.shortStockRequirement.isPositive {
            let marks = breakdown.shortMarks.map(\.rawValue).joined(separator: " and ")
            parts.append("short stock holds back \(Money.needed(breakdown.shortStockRequirement)) (marked at \(marks))")
        }
        if breakdown.putCollateral.isPositive { parts.append("short puts hold back \(Money.needed(breakdown.putCollateral))") }
        return parts.isEmpty ? "" : " (cash \(Money.available(breakdown.cash)); " + parts.joined(separator: "; ") + ")"
    }

    /// Selling `closing` shares held must leave enough shares for the short calls they cover.
    private static func sellsCoveringShares(_ symbol: String, _ closing: Decimal6, account: BuyingPowerAccount)
        throws(DecimalArithmeticError) -> OrderRejection?
    {
        guard closing.isPositive else { return nil }
        let committed = try account.sharesCoveringShortCalls(on: symbol)
        guard committed.isPositive else { return nil }
        let free = account.quantity(of: symbol, side: .long) - account.openQuantity(of: symbol, side: .sell) - committed
        guard closing > free else { return nil }
        return OrderRejection(
            .uncoveredOption,
            "\(committed.wholePart) shares of \(symbol) cover short calls and cannot be sold while the calls are open; "
                + "shares free to sell: \(max(free, .zero)); buy the calls back first")
    }

    private static func uncoveredCall(_ contract: OptionSymbol, contracts: Decimal6, account: BuyingPowerAccount)
        throws(DecimalArithmeticError) -> OrderRejection?
    {
        let needed = try contracts.multiplied(by: OptionSymbol.contractMultiplier)
        let held = account.quantity(of: contract.root, side: .long)
        let committed = try account.sharesCoveringShortCalls(on: contract.root)
        let free = held - committed
        guard needed > free else { return nil }
        return OrderRejection(
            .uncoveredOption,
            "uncovered short calls are not allowed: a short call needs 100 shares of \(contract.root) per contract; "
                + "needs \(needed.wholePart) shares, available \(max(free, .zero)) (held \(held), covering other calls \(committed))")
    }
}

/// The outcome of a buying-power check.
public enum BuyingPowerDecision: Sendable, Hashable {
    case allowed
    case rejected(OrderRejection)
}

/// Amounts in messages, to the cent: what is needed rounded up, what is available rounded down, so
/// a message never shows a shortfall as enough.
enum Money {
    static func needed(_ value: Decimal6) -> String { cents(value, rule: .up) }
    static func available(_ value: Decimal6) -> String { cents(value, rule: .down) }

    private static func cents(_ value: Decimal6, rule: FloatingPointRoundingRule) -> String {
        String(value.rounded(toPlaces: 2, rule: rule).description.dropLast(4))
    }
}
