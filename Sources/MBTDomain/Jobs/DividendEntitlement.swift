/// The cash one stock position receives (long) or owes (short) for a cash dividend on its ex-date
/// (`paper.dividend_adjustment`, docs/jobs.md).
///
/// Entitlement follows the position held at the close before the ex-date: a long holder of record
/// is paid `quantity × rate`, and a short seller owes the same to the lender of the shares.
/// Reinvestment (DRIP) is off, so the whole entitlement is cash.
///
/// Rounding: a broker pays and charges whole cents and rounds each in its own favour, so a credit is
/// rounded down to the cent and a debit up to the cent, per position. Half-even to six decimals would
/// leave sub-cent cash that no real account ever shows.
public struct DividendEntitlement: Sendable, Hashable {
    /// The corporate action's id.
    public let actionID: String
    public let symbol: String
    public let userID: Int64
    public let side: PositionSide
    /// Shares held at the previous close, positive.
    public let quantity: Decimal6
    /// Cash per share.
    public let rate: Decimal6
    public let exDate: MarketDate
    /// Signed and in whole cents: positive credits a long, negative debits a short.
    public let amount: Decimal6
    /// One sentence for the cash movement and the audit row.
    public let explanation: String

    /// `dividend:<action id>:<user id>`: one cash movement per account (a user has one) and dividend,
    /// so a rerun of the job for the same date finds the row and changes nothing.
    public var dedupeKey: String { Self.dedupeKey(actionID: actionID, userID: userID) }

    public static func dedupeKey(actionID: String, userID: Int64) -> String {
        "dividend:\(actionID):\(userID)"
    }
}

extension DividendEntitlement {
    /// The entitlement of `position` (as held at the close before the ex-date) to `action`, or `nil`
    /// when nothing is owed either way: the position was opened on or after the ex-date, or it is
    /// so small that the amount rounds to zero cents.
    public static func entitlement(
        for action: CorporateAction, position: Position, userID: Int64
    ) throws(DividendEntitlementError) -> DividendEntitlement? {
        guard case .cashDividend(let id, let symbol, let rate, let exDate, _) = action else { throw .notADividend(action.id) }
        guard rate.isPositive else { throw .nonPositiveRate(actionID: id, rate: rate) }
        guard position.assetClass == .usEquity else { throw .notAStockPosition(position.symbol) }
        guard position.symbol == symbol else { throw .symbolMismatch(position: position.symbol, action: symbol) }
        guard position.quantity.isPositive, position.openedAt < exDate.at(hour: 0, minute: 0) else { return nil }

        let amount: Decimal6
        do {
            amount = try cash(quantity: position.quantity, rate: rate, side: position.side)
        } catch {
            throw .arithmetic(error)
        }
        guard !amount.isZero else { return nil }
        let text = explanation(symbol: symbol, rate: rate, quantity: position.quantity, side: position.side, exDate: exDate, amount: amount)
        return DividendEntitlement(
            actionID: id, symbol: symbol, userID: userID, side: position.side, quantity: position.quantity, rate: rate, exDate: exDate,
            amount: amount, explanation: text)
    }

    /// `quantity × rate` in whole cents: rounded down for a long (credit), up for a short (debit),
    /// and signed. Rounding the six-decimal product again to cents in the same direction equals
    /// rounding the exact product once, since every cent is a whole number of micro-units.
    static func cash(quantity: Decimal6, rate: Decimal6, side: PositionSide) throws(DecimalArithmeticError) -> Decimal6 {
        let rule: FloatingPointRoundingRule = side == .long ? .down : .up
        let gross = try quantity.multiplied(by: rate, rounding: rule).rounded(toPlaces: 2, rule: rule)
        return side == .long ? gross : -gross
    }

    private static func explanation(
        symbol: String, rate: Decimal6, quantity: Decimal6, side: PositionSide, exDate: MarketDate, amount: Decimal6
    ) -> String {
        let held = "\(JobText.quantity(quantity)) \(symbol) shares held \(side.rawValue) at the close before the ex-date \(exDate)"
        let dividend = "\(symbol) cash dividend \(JobText.money(rate)) per share"
        switch side {
        case .long:
            return "\(dividend) on \(held): credited \(JobText.money(amount)) (rounded down to the cent)"
        case .short:
            return "\(dividend) on \(held): debited \(JobText.money(-amount)) owed to the share lender (rounded up to the cent)"
        }
    }
}

/// Why a dividend entitlement cannot be computed.
public enum DividendEntitlementError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The corporate action is not a cash dividend.
    case notADividend(String)
    /// A dividend must pay a positive amount per share.
    case nonPositiveRate(actionID: String, rate: Decimal6)
    /// Options and other non-stock positions receive no dividend.
    case notAStockPosition(String)
    case symbolMismatch(position: String, action: String)
    case arithmetic(DecimalArithmeticError)

    public var description: String {
        switch self {
        case .notADividend(let id):
            "corporate action \(id) is not a cash dividend"
        case .nonPositiveRate(let id, let rate):
            "dividend \(id) has rate \(rate); a cash dividend must pay more than 0 per share"
        case .notAStockPosition(let symbol):
            "\(symbol) is not a stock position; only stock receives cash dividends"
        case .symbolMismatch(let position, let action):
            "position in \(position) is not entitled to a dividend on \(action)"
        case .arithmetic(let error):
            "dividend amount: \(error)"
        }
    }
}
