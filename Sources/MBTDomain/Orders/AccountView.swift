/// The account facts the buying-power rules need, computed from the positions on demand.
struct AccountView {
    let cash: Decimal6
    let equity: Decimal6
    let positions: [HeldPosition]

    /// Total size held in `symbol` on `side` (rows for one symbol are summed, in case a caller passes
    /// them unmerged).
    func quantity(of symbol: String, side: PositionSide) -> Decimal6 {
        positions.filter { $0.symbol == symbol && $0.side == side }.reduce(.zero) { $0 + $1.quantity }
    }

    /// The part of an order that opens or extends a position: what is left after it closes the
    /// opposite position in the same symbol.
    func openingQuantity(symbol: String, side: OrderSide, quantity: Decimal6) -> Decimal6 {
        let closable = self.quantity(of: symbol, side: side == .buy ? .short : .long)
        return max(quantity - closable, .zero)
    }

    /// Short stock at its marks (option positions excluded).
    func shortStockExposure() throws(DecimalArithmeticError) -> Decimal6 {
        var total = Decimal6.zero
        for position in positions where position.side == .short && position.optionContract == nil {
            total = total + (try position.mark.multiplied(by: position.quantity, rounding: .up))
        }
        return total
    }

    /// Shares of `root` already promised to the account's short calls on it: 100 per contract.
    func sharesCoveringShortCalls(on root: String) throws(DecimalArithmeticError) -> Decimal6 {
        var total = Decimal6.zero
        for position in positions where position.side == .short {
            guard let contract = position.optionContract, contract.root == root, contract.right == .call else { continue }
            total = total + (try position.quantity.multiplied(by: OptionSymbol.contractMultiplier))
        }
        return total
    }

    /// Cash less the collateral of the account's short puts, which is spoken for.
    func freeCash() throws(DecimalArithmeticError) -> Decimal6 {
        var collateral = Decimal6.zero
        for position in positions where position.side == .short {
            guard let contract = position.optionContract, contract.right == .put else { continue }
            collateral =
                collateral + (try contract.strike.multiplied(by: position.quantity.multiplied(by: OptionSymbol.contractMultiplier)))
        }
        return cash - collateral
    }
}
