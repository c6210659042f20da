/// A long option position exercised by its holder before expiry (docs/jobs.md, "Early exercise").
///
/// The outcome is the one the expiry job books for an exercise, so the same ledger path writes
/// it: the option closes at 0 and 100 shares per contract are bought (call) or sold (put) at the
/// strike, or, for a cash-settled index option, the option closes at its intrinsic value. The
/// holder chose to exercise, so there is no threshold: an out-of-the-money contract is exercised
/// too (its cash-settled value is then 0).
extension OptionExpiry {
    /// Exercises every contract of `position` against the underlying's current price, which
    /// decides only a cash-settled contract's value and the explanation.
    public static func exercise(_ position: Position, underlyingPrice: Decimal6) throws(OptionExpiryError) -> OptionExpiry {
        guard position.assetClass == .option, let contract = try? OptionSymbol(parsing: position.symbol) else {
            throw .notAnOption(position.symbol)
        }
        guard position.side == .long else { throw .notLong(position.symbol) }
        guard position.quantity.isPositive, position.quantity.micros % Decimal6.microsPerUnit == 0 else {
            throw .invalidQuantity(symbol: position.symbol, quantity: position.quantity)
        }
        guard underlyingPrice.isPositive else { throw .nonPositivePrice(underlyingPrice) }
        let intrinsic = intrinsicValue(of: contract, underlyingPrice: underlyingPrice)
        let parts = Parts(position: position, contract: contract, price: underlyingPrice, intrinsic: intrinsic)
        do {
            let settled = isCashSettled(contract) ? try parts.cashSettled() : try parts.delivered()
            return parts.outcome(
                close: settled.optionClose, stock: settled.stockTrade, cash: settled.cashAmount, text: earlyText(settled, parts: parts))
        } catch {
            throw .arithmetic(error)
        }
    }

    /// "AAPL260320C00175000 exercised early: AAPL at 180.00; bought 100 shares at 175.00".
    private static func earlyText(_ settled: OptionExpiry, parts: Parts) -> String {
        let head = "\(parts.symbol) exercised early by the holder: \(parts.underlyingName) at \(JobText.money(parts.price))"
        if let stock = settled.stockTrade {
            let verb = stock.side == .buy ? "bought" : "sold"
            return "\(head); \(verb) \(JobText.quantity(stock.quantity)) shares at \(JobText.money(stock.price))"
        }
        let amount = settled.cashAmount ?? .zero
        return "\(head); received \(JobText.money(amount)) in cash (\(JobText.money(parts.intrinsic)) in the money)"
    }
}
