/// Checks that a multi-leg ticket means one tradable strategy before any account or market data is
/// consulted, and names the field to fix in the client's terms (`legs[2].ratio_qty`).
///
/// The rules follow Alpaca's `mleg` orders: 2–4 legs with distinct symbols on one underlying,
/// `ratio_qty` values with no common factor (the common factor belongs in `qty`), and a stock leg
/// only in a covered call. The stock leg's `ratio_qty` counts *shares*: a covered call is
/// 100 shares per call contract, so with the call at ratio 1 the stock leg's ratio is 100
/// (the only pair the common-factor rule leaves). Net prices are in cents because combos tick
/// at 0.01, whatever the legs' prices.
///
/// ``problems(in:limits:)`` lists every problem, in the order a user would fix them (the legs,
/// then how they fit together, then how many, at what price, for how long);
/// ``validate(_:limits:)`` answers the first one.
public enum ComboValidator {
    /// How many legs a combo may have.
    public static let legCount = 2...4
    /// Shares of the underlying per call contract in a covered call.
    public static let sharesPerContract = OptionSymbol.contractMultiplier

    public static func validate(_ ticket: ComboTicket, limits: OrderLimits = .standard) -> Result<ValidatedCombo, ComboError> {
        let (legs, legProblems) = resolveLegs(ticket.legs, limits: limits)
        if let first = legProblems.first ?? ticketProblems(ticket, legs: legs, limits: limits).first { return .failure(first) }
        let underlying = legs.compactMap(\.contract).first?.root ?? ""
        return .success(
            ValidatedCombo(
                legs: legs, qty: ticket.qty.wholePart, type: ticket.orderType, timeInForce: ticket.timeInForce,
                limitPrice: ticket.limitPrice, underlying: underlying))
    }

    /// Every problem with `ticket`; empty when it is valid.
    public static func problems(in ticket: ComboTicket, limits: OrderLimits = .standard) -> [ComboError] {
        let (legs, legProblems) = resolveLegs(ticket.legs, limits: limits)
        return legProblems + ticketProblems(ticket, legs: legs, limits: limits)
    }

    /// The checks on the ticket as a whole, given the legs that resolved.
    static func ticketProblems(_ ticket: ComboTicket, legs: [ValidatedComboLeg], limits: OrderLimits) -> [ComboError] {
        let fit = [
            duplicateProblem(legs), underlyingProblem(legs), stockLegProblem(legs), stockRatioProblem(legs), commonFactorProblem(legs),
        ]
        let order = [
            qtyProblem(ticket.qty, legs: legs, limits: limits), limitPriceProblem(ticket.orderType, ticket.limitPrice, limits: limits),
            timeInForceProblem(ticket.orderType, ticket.timeInForce),
        ]
        return (fit + order).compactMap { $0 }
    }

    // MARK: - Quantity, price, time in force

    /// A whole number of units, at least 1, and no leg beyond the per-order contract limit.
    static func qtyProblem(_ qty: Decimal6, legs: [ValidatedComboLeg], limits: OrderLimits) -> ComboError? {
        guard qty >= .one else { return ComboError(field: "qty", "qty must be at least 1 (got \(qty))") }
        guard qty.micros % Decimal6.microsPerUnit == 0 else {
            return ComboError(field: "qty", "qty is a whole number of strategy units (got \(qty))")
        }
        let largestRatio = legs.filter { $0.contract != nil }.map(\.ratio).max() ?? 1
        let (contracts, overflow) = qty.wholePart.multipliedReportingOverflow(by: largestRatio)
        guard !overflow, contracts <= limits.maximumContracts.wholePart else {
            return ComboError(
                field: "qty",
                "qty \(qty.wholePart) × ratio_qty \(largestRatio) exceeds the maximum of "
                    + "\(limits.maximumContracts.wholePart) contracts per leg"
            )
        }
        return nil
    }

    /// A net limit exactly for limit orders, in whole cents and within the per-share price bound.
    /// Zero is allowed: an even-money combo (neither debit nor credit) is a real order.
    static func limitPriceProblem(_ type: OrderType, _ limit: Decimal6?, limits: OrderLimits) -> ComboError? {
        switch (type, limit) {
        case (.market, nil):
            return nil
        case (.market, .some):
            return ComboError(field: "limit_price", "market orders take no limit_price; remove it or use type limit")
        case (.limit, nil):
            return ComboError(
                field: "limit_price", "limit orders need a limit_price: the net price per unit, positive for a debit, negative for a credit"
            )
        case (.limit, .some(let price)):
            guard price.micros % TickSize.penny.micros == 0 else {
                return ComboError(field: "limit_price", "limit_price \(price) has more than 2 decimals; combos are priced in steps of 0.01")
            }
            guard price.magnitude <= limits.maximumLimitPrice else {
                return ComboError(field: "limit_price", "limit_price \(price) is beyond ±\(limits.maximumLimitPrice)")
            }
            return nil
        }
    }

    /// `day` or `gtc` (limit orders only): a combo either rests until it can fill at its net price
    /// or fills now; `ioc` would cancel a combo whose legs are seldom quoted all at once.
    static func timeInForceProblem(_ type: OrderType, _ timeInForce: TimeInForce) -> ComboError? {
        switch (type, timeInForce) {
        case (_, .ioc):
            return ComboError(field: "time_in_force", "combos use time_in_force day or gtc (got ioc)")
        case (.market, .gtc):
            return ComboError(
                field: "time_in_force", "market combos fill now or at the next open; use time_in_force day, or a gtc limit order")
        default:
            return nil
        }
    }
}
