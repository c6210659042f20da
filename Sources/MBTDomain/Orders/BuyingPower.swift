/// The v1 buying-power rules (SPEC §3.4), as a pure check of one order against the account's cash,
/// equity and positions.
///
/// An order is split into the part that closes an existing position and the part that opens or
/// extends one. Closing is always allowed (selling shares you hold, buying back a short), because
/// reducing risk must never be refused. The opening part is checked by what it opens:
///
/// - **Long stock / long options**: the whole order's cost (`price × qty`, × 100 for options) must
///   fit in *free cash*: cash less the collateral held for cash-secured short puts. When a buy first
///   covers a short and then goes long, the whole cost counts, because the cover spends cash too.
/// - **Short stock**: equity must be at least 150% of the account's total short stock exposure
///   after the order (existing shorts at their marks plus the new short at the estimated price).
/// - **Short calls** must be covered: 100 long shares of the underlying (the option root) per
///   contract, not already covering other short calls. Index roots and adjusted roots (`CSGP1`)
///   have no shares of that name, so their short calls are refused.
/// - **Short puts** must be cash-secured: free cash ≥ strike × 100 × contracts.
/// - Anything else short in options (naked calls, unsecured puts) is refused. Defined-risk spreads
///   are multi-leg orders (SPEC §3.5) and checked there by their maximum loss.
///
/// Amounts are rounded toward caution: requirements up, what is available down.
public enum BuyingPower {
    /// Equity required per unit of short stock exposure: 150%.
    public static let shortEquityRequirementPercent: Int64 = 150

    /// Checks a validated order at its estimated price: the limit for limit orders; for market
    /// orders the quote price it would take (ask for buys, bid for sells, mid for options).
    public static func check(
        _ order: ValidatedOrder, estimatedPrice: Decimal6, cash: Decimal6, equity: Decimal6, positions: [HeldPosition]
    ) -> BuyingPowerDecision {
        check(
            instrument: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: estimatedPrice,
            cash: cash, equity: equity, positions: positions
        )
    }

    /// The same check for an order given by its parts (e.g. a replace that changes the quantity).
    public static func check(
        instrument: OrderInstrument, side: OrderSide, quantity: Decimal6, estimatedPrice: Decimal6,
        cash: Decimal6, equity: Decimal6, positions: [HeldPosition]
    ) -> BuyingPowerDecision {
        let account = AccountView(cash: cash, equity: equity, positions: positions)
        let opening = account.openingQuantity(symbol: instrument.symbol, side: side, quantity: quantity)
        guard opening.isPositive else { return .allowed }
        do {
            switch (instrument, side) {
            case (_, .buy):
                return try longCost(quantity: quantity, price: estimatedPrice, multiplier: instrument.multiplier, account: account)
            case (.equity, .sell):
                return try shortStock(opening: opening, price: estimatedPrice, account: account)
            case (.option(let contract), .sell):
                return try shortOption(contract, contracts: opening, account: account)
            }
        } catch {
            return .rejected(
                OrderRejection(.insufficientBuyingPower, "the order's value is beyond any account's buying power; reduce the quantity"))
        }
    }

    // MARK: - Rules

    private static func longCost(
        quantity: Decimal6, price: Decimal6, multiplier: Int64, account: AccountView
    ) throws(DecimalArithmeticError) -> BuyingPowerDecision {
        let cost = try price.multiplied(by: quantity.multiplied(by: multiplier), rounding: .up)
        let available = try account.freeCash()
        guard cost <= available else {
            return .rejected(
                OrderRejection(
                    .insufficientBuyingPower,
                    "needs \(Money.needed(cost)), buying power \(Money.available(available)); reduce the quantity or the price"))
        }
        return .allowed
    }

    private static func shortStock(opening: Decimal6, price: Decimal6, account: AccountView) throws(DecimalArithmeticError)
        -> BuyingPowerDecision
    {
        let exposure = try account.shortStockExposure() + price.multiplied(by: opening, rounding: .up)
        let required = try exposure.multiplied(by: shortEquityRequirementPercent).divided(by: Int64(100), rounding: .up)
        guard account.equity >= required else {
            return .rejected(
                OrderRejection(
                    .insufficientEquityForShort,
                    "short selling needs equity of \(shortEquityRequirementPercent)% of short exposure \(Money.needed(exposure)): "
                        + "needs \(Money.needed(required)), equity \(Money.available(account.equity)); reduce the quantity"))
        }
        return .allowed
    }

    private static func shortOption(
        _ contract: OptionSymbol, contracts: Decimal6, account: AccountView
    ) throws(DecimalArithmeticError) -> BuyingPowerDecision {
        switch contract.right {
        case .call: return try coveredCall(contract, contracts: contracts, account: account)
        case .put: return try cashSecuredPut(contract, contracts: contracts, account: account)
        }
    }

    private static func coveredCall(
        _ contract: OptionSymbol, contracts: Decimal6, account: AccountView
    ) throws(DecimalArithmeticError) -> BuyingPowerDecision {
        let needed = try contracts.multiplied(by: OptionSymbol.contractMultiplier)
        let held = account.quantity(of: contract.root, side: .long)
        let committed = try account.sharesCoveringShortCalls(on: contract.root)
        let free = held - committed
        guard needed <= free else {
            return .rejected(
                OrderRejection(
                    .uncoveredOption,
                    "uncovered short calls are not allowed: a short call needs 100 shares of \(contract.root) per contract; "
                        + "needs \(needed.wholePart) shares, available \(max(free, .zero)) (held \(held), covering other calls \(committed))"
                ))
        }
        return .allowed
    }

    private static func cashSecuredPut(
        _ contract: OptionSymbol, contracts: Decimal6, account: AccountView
    ) throws(DecimalArithmeticError) -> BuyingPowerDecision {
        let collateral = try contract.strike.multiplied(by: contracts.multiplied(by: OptionSymbol.contractMultiplier), rounding: .up)
        let available = try account.freeCash()
        guard collateral <= available else {
            return .rejected(
                OrderRejection(
                    .uncoveredOption,
                    "uncovered short puts are not allowed: a short put must be cash-secured (strike × 100 × contracts); "
                        + "needs \(Money.needed(collateral)), free cash \(Money.available(available))"))
        }
        return .allowed
    }
}

/// The outcome of a buying-power check.
public enum BuyingPowerDecision: Sendable, Hashable {
    case allowed
    case rejected(OrderRejection)
}

/// Amounts in messages, to the cent: what is needed rounded up, what is available rounded down, so
/// a message never shows a shortfall as enough.
private enum Money {
    static func needed(_ value: Decimal6) -> String { cents(value, rule: .up) }
    static func available(_ value: Decimal6) -> String { cents(value, rule: .down) }

    private static func cents(_ value: Decimal6, rule: FloatingPointRoundingRule) -> String {
        String(value.rounded(toPlaces: 2, rule: rule).description.dropLast(4))
    }
}
