/// A stock split effective on its ex-date, and how it rescales what an account holds in the stock
/// (`paper.stock_split_adjustment`, docs/jobs.md): positions here, tax lots and resting orders in
/// the `SplitAdjustment+…` files.
///
/// The ratio is kept as the two rates (`newRate` shares for every `oldRate`), never as a quotient,
/// so `quantity × ratio` is computed as `quantity × newRate ÷ oldRate` with one rounding: a 1-for-3
/// reverse split would otherwise start from a rounded 0.333333.
public struct SplitAdjustment: Sendable, Hashable {
    /// The corporate action's id.
    public let actionID: String
    public let symbol: String
    public let newRate: Decimal6
    public let oldRate: Decimal6
    public let exDate: MarketDate

    /// The split described by `action`; only `.split` actions with positive rates qualify.
    public init(_ action: CorporateAction) throws(SplitAdjustmentError) {
        guard case .split(let id, let symbol, let newRate, let oldRate, let exDate) = action else { throw .notASplit(action.id) }
        guard newRate.isPositive, oldRate.isPositive else { throw .nonPositiveRate(actionID: id, newRate: newRate, oldRate: oldRate) }
        self.actionID = id
        self.symbol = symbol
        self.newRate = newRate
        self.oldRate = oldRate
        self.exDate = exDate
    }

    /// More shares after than before (e.g. 4-for-1).
    public var isForward: Bool { newRate > oldRate }
    /// Fewer shares after than before (e.g. 1-for-10).
    public var isReverse: Bool { newRate < oldRate }
    /// `"4-for-1"`, `"1-for-10"`, `"3-for-2"`.
    public var ratioText: String { "\(JobText.quantity(newRate))-for-\(JobText.quantity(oldRate))" }

    /// `quantity × newRate ÷ oldRate`, rounded once by `rule`.
    public func scaledQuantity(_ quantity: Decimal6, rounding rule: FloatingPointRoundingRule) throws(DecimalArithmeticError) -> Decimal6 {
        try Self.ratio(quantity, times: newRate, over: oldRate, rule: rule)
    }

    /// `price × oldRate ÷ newRate` (the price per post-split share), rounded once by `rule`.
    public func scaledPrice(_ price: Decimal6, rounding rule: FloatingPointRoundingRule) throws(DecimalArithmeticError) -> Decimal6 {
        try Self.ratio(price, times: oldRate, over: newRate, rule: rule)
    }

    /// `value × numerator ÷ denominator` in 128-bit micro-units, rounded once.
    private static func ratio(
        _ value: Decimal6, times numerator: Decimal6, over denominator: Decimal6, rule: FloatingPointRoundingRule
    ) throws(DecimalArithmeticError) -> Decimal6 {
        guard !denominator.isZero else { throw .divisionByZero }
        let product = Int128(value.micros) * Int128(numerator.micros)
        guard let micros = Int64(exactly: Decimal6.divide(product, by: Int128(denominator.micros), rule: rule)) else { throw .overflow }
        return Decimal6(micros: micros)
    }

    /// Checks that a holding named `symbol` is in the split stock.
    func requireSymbol(_ symbol: String) throws(SplitAdjustmentError) {
        guard symbol == self.symbol else { throw .symbolMismatch(holding: symbol, action: self.symbol) }
    }
}

// MARK: - Positions

extension SplitAdjustment {
    /// A position after the split.
    public struct PositionResult: Sendable, Hashable {
        /// The position afterwards; `nil` when all of it became cash in lieu (e.g. 5 shares in a 1-for-10).
        public let position: Position?
        /// Post-split shares cut off a whole-share position and paid in cash; 0 otherwise.
        public let fractionalShares: Decimal6
        /// Cash for `fractionalShares`: positive paid to a long, negative charged to a short.
        public let cashInLieu: Decimal6
        /// Gain (or loss) on the cashed-out fraction against its share of the average cost.
        public let realizedPnL: Decimal6
        public let explanation: String

        /// The fraction is written as a sale (a purchase, short) of ``fractionalShares`` at this price
        /// per post-split share: ``cashInLieu`` ÷ the fraction, half-even to six decimals. Because the
        /// fraction is below one share, `fraction × price` lies within half a micro-unit of the cash
        /// in lieu, so the fill's half-even notional is the cash in lieu to the micro-unit. `nil` when
        /// nothing is paid in lieu.
        public var cashInLieuPrice: Decimal6? {
            guard fractionalShares.isPositive, !cashInLieu.isZero else { return nil }
            let scaled = Int128(cashInLieu.magnitude.micros) * Int128(Decimal6.microsPerUnit)
            return Decimal6(micros: Int64(Decimal6.divide(scaled, by: Int128(fractionalShares.micros), rule: .toNearestOrEven)))
        }
    }

    /// Rescales `position` in the split stock.
    ///
    /// - Quantity: `quantity × ratio`. A whole-share position keeps whole shares; the fraction is cut
    ///   off and paid as cash in lieu. A position that is already fractional is scaled exactly
    ///   (half-even to six decimals) with nothing paid out.
    /// - Average cost: `averageCost × oldRate ÷ newRate`, half-even to six decimals, so the total
    ///   cost over the exact scaled quantity is the old total within half a micro-unit per share
    ///   (e.g. 100 shares at 100.00 in a 3-for-1: 300 at 33.333333, 0.0001 short of 10 000.00).
    ///   The fraction paid in lieu is sold at that average cost, so the kept shares keep their
    ///   own basis rather than absorbing the fraction's.
    /// - Cash in lieu: the fraction × the previous close converted to post-split shares, in whole cents
    ///   rounded in the broker's favour (down for a long's credit, up for a short's debit).
    ///   `unadjustedPreviousClose` is the last close before the ex-date as it traded, not a
    ///   split-adjusted series.
    public func adjust(_ position: Position, unadjustedPreviousClose: Decimal6) throws(SplitAdjustmentError) -> PositionResult {
        try requireSymbol(position.symbol)
        guard position.assetClass == .usEquity else { throw .notAStockPosition(position.symbol) }
        guard unadjustedPreviousClose.isPositive else { throw .nonPositivePrice(unadjustedPreviousClose) }
        do {
            return try scale(position, previousClose: unadjustedPreviousClose)
        } catch {
            throw .arithmetic(error)
        }
    }

    private func scale(_ position: Position, previousClose: Decimal6) throws(DecimalArithmeticError) -> PositionResult {
        let isWholeShares = position.quantity.micros % Decimal6.microsPerUnit == 0
        let exact = try scaledQuantity(position.quantity, rounding: .toNearestOrEven)
        let averageCost = try scaledPrice(position.averageCost, rounding: .toNearestOrEven)
        let kept = isWholeShares ? try scaledQuantity(position.quantity, rounding: .down).rounded(toPlaces: 0, rule: .down) : exact
        let fraction = exact - kept
        let cash =
            isWholeShares
            ? try cashInLieu(quantity: position.quantity, kept: kept, previousClose: previousClose, side: position.side) : .zero
        let fractionCost = try averageCost.multiplied(by: fraction, rounding: .toNearestOrEven)
        let realized = position.side == .long ? cash - fractionCost : fractionCost + cash
        let after =
            kept.isPositive
            ? Position(
                symbol: position.symbol, assetClass: position.assetClass, side: position.side, quantity: kept, averageCost: averageCost,
                openedAt: position.openedAt)
            : nil
        let text = explanation(before: position, after: after, fraction: fraction, cash: cash)
        return PositionResult(position: after, fractionalShares: fraction, cashInLieu: cash, realizedPnL: realized, explanation: text)
    }

    /// Cash for the shares of `quantity` (pre-split) not kept as `kept` (post-split), at the
    /// unadjusted previous close: `(quantity − kept × oldRate ÷ newRate) × previousClose`, computed
    /// exactly and rounded once to the cent in the broker's favour (down for a long's credit, up
    /// for a short's debit), then signed. E.g. 100 shares in a 1-for-3 keep 33 and cash out exactly
    /// one old share at the previous close, not 0.333333 of a new one.
    func cashInLieu(
        quantity: Decimal6, kept: Decimal6, previousClose: Decimal6, side: PositionSide
    ) throws(DecimalArithmeticError) -> Decimal6 {
        // The fraction of a new share × oldRate.micros × 10^6, exact, and below oldRate.micros × 10^6.
        let remainder = Int128(quantity.micros) * Int128(newRate.micros) - Int128(kept.micros) * Int128(oldRate.micros)
        guard remainder > 0 else { return .zero }
        let (value, overflow) = remainder.multipliedReportingOverflow(by: Int128(previousClose.micros))
        guard !overflow else { throw .overflow }
        // value ÷ (newRate × 10^6) is the cash in micro-units; ÷ 10^4 more gives cents.
        let rule: FloatingPointRoundingRule = side == .long ? .down : .up
        let cents = Decimal6.divide(value, by: Int128(newRate.micros) * Int128(Decimal6.microsPerUnit) * 10_000, rule: rule)
        guard let centsValue = Int64(exactly: cents) else { throw .overflow }
        let amount = try Decimal6(micros: centsValue).multiplied(by: 10_000)
        return side == .long ? amount : -amount
    }

    private func explanation(before: Position, after: Position?, fraction: Decimal6, cash: Decimal6) -> String {
        let shares = "\(JobText.quantity(before.quantity)) \(symbol) \(before.side.rawValue) at \(JobText.money(before.averageCost))"
        let now = after.map { "\(JobText.quantity($0.quantity)) at \(JobText.money($0.averageCost))" } ?? "no shares"
        var text = "\(symbol) \(ratioText) split effective \(exDate): \(shares) became \(now)"
        if fraction.isPositive {
            let verb = cash.isNegative ? "charged" : "paid"
            text += "; \(JobText.quantity(fraction)) fractional share \(verb) in lieu: \(JobText.money(cash.magnitude))"
        }
        return text
    }
}

/// Why a split cannot be applied.
public enum SplitAdjustmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The corporate action is not a split.
    case notASplit(String)
    /// Both rates of a split must be positive.
    case nonPositiveRate(actionID: String, newRate: Decimal6, oldRate: Decimal6)
    /// Only stock is split this way; listed options are adjusted by the OCC into new contracts.
    case notAStockPosition(String)
    case symbolMismatch(holding: String, action: String)
    /// The previous close used for cash in lieu must be positive.
    case nonPositivePrice(Decimal6)
    case arithmetic(DecimalArithmeticError)

    public var description: String {
        switch self {
        case .notASplit(let id):
            "corporate action \(id) is not a split"
        case .nonPositiveRate(let id, let newRate, let oldRate):
            "split \(id) has rates \(newRate) for \(oldRate); both must be above 0"
        case .notAStockPosition(let symbol):
            "\(symbol.prefix(40)) is not stock; option contracts are adjusted by the OCC, not by this job"
        case .symbolMismatch(let holding, let action):
            "\(holding) is not affected by a split of \(action)"
        case .nonPositivePrice(let price):
            "previous close \(price) must be above 0 to pay cash in lieu"
        case .arithmetic(let error):
            "split adjustment: \(error)"
        }
    }
}
