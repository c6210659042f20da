/// How an option's premium reaches the stock when it is exercised or assigned (Pub 550 Table 4-1).
///
/// | | holder (long) | writer (short) |
/// |---|---|---|
/// | call | premium added to the basis of the shares bought | premium added to the proceeds of the shares sold |
/// | put | premium subtracted from the proceeds of the shares sold | premium subtracted from the basis of the shares bought |
///
/// Exercise and assignment are one atomic event: the option lots close without a disposition of
/// their own and the stock trade at the strike carries the premium, so the option's gain or loss
/// is realised with the stock's and takes the stock's holding period. Shares bought this way are
/// acquired on the exercise date; the option's holding period is not added (Weir v. Commissioner).
/// Cash-settled index options deliver no shares: they close at their intrinsic value in cash.
public enum OptionPremiums {
    /// The stock trade an exercise or assignment makes.
    public struct Delivery: Sendable, Equatable {
        /// Shares are bought (long call exercised, short put assigned) or sold.
        public var side: OrderSide
        /// For a purchase its full cost, for a sale its net proceeds: strike × shares ± premium ∓ fees.
        public var amount: Decimal6
    }

    /// The stock trade for `holder` (long exercises, short is assigned) of `right`.
    ///
    /// - Parameters:
    ///   - strikeAmount: strike × shares delivered.
    ///   - premium: what the option lots cost (long) or brought in (short), wash-sale adjustments included.
    ///   - fees: the exercise or assignment fees.
    public static func delivery(
        right: OptionSymbol.Right, holder: PositionSide, strikeAmount: Decimal6, premium: Decimal6, fees: Decimal6
    ) -> Delivery {
        switch (right, holder) {
        case (.call, .long): Delivery(side: .buy, amount: strikeAmount + premium + fees)
        case (.put, .long): Delivery(side: .sell, amount: strikeAmount - premium - fees)
        case (.call, .short): Delivery(side: .sell, amount: strikeAmount + premium - fees)
        case (.put, .short): Delivery(side: .buy, amount: strikeAmount - premium + fees)
        }
    }

    /// Intrinsic value per share at `settlement` (the index's settlement value): what a
    /// cash-settled contract pays, never negative.
    public static func intrinsicValue(of option: OptionSymbol, settlement: Decimal6) -> Decimal6 {
        let value = option.right == .call ? settlement - option.strike : option.strike - settlement
        return max(value, .zero)
    }
}

extension TaxState {
    /// Exercise (`side` long) or assignment (`side` short) of option contracts.
    mutating func settle(_ event: TaxEvent, _ symbol: Int, side: PositionSide) throws(TaxEngineError) {
        let instrument = instruments[symbol]
        guard let option = instrument.option else { throw .notAnOption(event: event.id, symbol: event.symbol) }
        let method = try method(for: event)
        let fees = fees(of: event)
        if instrument.isCashSettled {
            let intrinsic = OptionPremiums.intrinsicValue(of: option, settlement: event.price)
            let gross = try Self.amount(intrinsic, event.quantity, instrument.multiplier, event: event.id)
            let picks = try pick(event, symbol, side: side, method: method)
            closeLots(picks, event, symbol, side: side, amount: side == .long ? gross - fees : gross + fees)
            return
        }
        let shares = Decimal6(micros: event.quantity.micros * OptionSymbol.contractMultiplier)
        let strikeAmount = try Self.amount(option.strike, shares, 1, event: event.id)
        let stock = try intern(option.root, event: event.id)
        guard instruments[stock].option == nil else { throw .invalidSymbol(event: event.id, symbol: option.root) }
        let picks = try pick(event, symbol, side: side, method: method)
        let premium = removeSettledLots(picks, symbol)
        let delivery = OptionPremiums.delivery(right: option.right, holder: side, strikeAmount: strikeAmount, premium: premium, fees: fees)
        deliver(delivery, shares: shares, of: stock, event: event)
    }

    /// Closes exercised or assigned option lots without a disposition; returns their premium.
    private mutating func removeSettledLots(_ picks: [LotSelector.Pick], _ symbol: Int) -> Decimal6 {
        var premium = Decimal6.zero
        for pick in picks {
            premium = premium + books[symbol].take(pick.id, quantity: pick.quantity).adjustedBasis
        }
        releaseBookIfEmpty(symbol)
        return premium
    }

    /// The stock side of an exercise or assignment: a purchase first covers any short shares and
    /// opens a long lot with the rest; a sale first closes long lots and opens a short with the rest.
    /// The amount is spread over the two parts by shares. The stock (the option's root; adjusted
    /// roots such as `CSGP1` need corporate-action records to resolve and are taken as named) is
    /// closed by the event's lot method, or FIFO when that is specific identification of option lots.
    private mutating func deliver(_ delivery: OptionPremiums.Delivery, shares: Decimal6, of stock: Int, event: TaxEvent) {
        let closing: PositionSide = delivery.side == .buy ? .short : .long
        let closed = min(shares, books[stock].quantity(closing))
        let closedAmount = ProRata.share(of: delivery.amount, part: closed, whole: shares)
        if closed.isPositive {
            let method = event.lotMethod ?? defaultMethod
            let picks = LotSelector.pick(
                closed, side: closing, method: method == .specificId ? .fifo : method, lotIds: [], in: &books[stock])!
            closeLots(picks, event, stock, side: closing, amount: closedAmount)
        }
        let opened = shares - closed
        if opened.isPositive {
            openLot(event, stock, side: closing == .short ? .long : .short, quantity: opened, amount: delivery.amount - closedAmount)
        }
    }
}
