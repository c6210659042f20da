extension SplitAdjustment {
    /// What a split does to one resting order.
    public enum OrderResult: Sendable, Hashable {
        /// The order with its quantity and limit rescaled; the explanation says from what to what.
        case adjusted(RestingOrder, explanation: String)
        /// Nothing sensible is left to rest (the quantity or the buy limit rounds to zero): cancel it.
        case canceled(reason: String)
    }

    /// Rescales a resting order in the split stock, as brokers do (docs/jobs.md).
    ///
    /// - Quantity: `quantity × ratio`, rounded down to whole shares for a whole-share order (an
    ///   order never grows past what the split gives); a fractional-share order is scaled exactly
    ///   (down to six decimals). Zero shares left cancels the order.
    /// - Limit: `limit ÷ ratio`, rounded to the stock's tick (a cent, or 0.0001 below 1.00) towards
    ///   the less aggressive side: buy limits down, sell limits up, so the adjusted order never
    ///   pays more or accepts less per share than the original did. A buy limit that rounds to zero
    ///   cancels the order.
    public func adjust(_ order: RestingOrder) throws(SplitAdjustmentError) -> OrderResult {
        guard case .equity(let ticker) = order.instrument else { throw .notAStockPosition(order.symbol) }
        try requireSymbol(ticker)
        do {
            return try rescale(order)
        } catch {
            throw .arithmetic(error)
        }
    }

    private func rescale(_ order: RestingOrder) throws(DecimalArithmeticError) -> OrderResult {
        let isWholeShares = order.quantity.micros % Decimal6.microsPerUnit == 0
        let scaled = try scaledQuantity(order.quantity, rounding: .down)
        let quantity = isWholeShares ? scaled.rounded(toPlaces: 0, rule: .down) : scaled
        let head = "\(order.side.rawValue) \(JobText.quantity(order.quantity)) \(symbol)"
        guard quantity.isPositive else {
            return .canceled(reason: "\(symbol) \(ratioText) split effective \(exDate): \(head) would be 0 shares")
        }
        var adjusted = order
        adjusted.quantity = quantity
        var change = "\(JobText.quantity(order.quantity)) → \(JobText.quantity(quantity)) shares"
        if let limit = order.limitPrice {
            let newLimit = try scaledLimit(limit, side: order.side)
            guard newLimit.isPositive else {
                return .canceled(reason: "\(symbol) \(ratioText) split effective \(exDate): \(head) limit \(JobText.money(limit)) rounds to 0")
            }
            adjusted.limitPrice = newLimit
            change += ", limit \(JobText.money(limit)) → \(JobText.money(newLimit))"
        }
        return .adjusted(adjusted, explanation: "\(symbol) \(ratioText) split effective \(exDate): \(head) adjusted to \(change)")
    }

    /// `limit × oldRate ÷ newRate` on the stock's tick, down for a buy and up for a sell. Rounding
    /// first to six decimals and then to the tick in the same direction equals rounding once,
    /// because the tick grids nest.
    func scaledLimit(_ limit: Decimal6, side: OrderSide) throws(DecimalArithmeticError) -> Decimal6 {
        let rule: FloatingPointRoundingRule = side == .buy ? .down : .up
        let raw = try scaledPrice(limit, rounding: rule)
        let places = TickSize.tick(for: raw, assetClass: .usEquity) == TickSize.penny ? 2 : 4
        return raw.rounded(toPlaces: places, rule: rule)
    }
}
