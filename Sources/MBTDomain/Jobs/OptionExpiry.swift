/// What happens to one open option position on its expiration day: exercised or assigned into
/// stock, settled in cash, or expired worthless (`paper.assignment_at_expiry`, docs/jobs.md).
///
/// This only describes the events; the job books them. Every outcome closes the option with a
/// closing trade (``optionClose``); a physically settled contract that finishes in the money also
/// delivers stock at the strike (``stockTrade``), and a cash-settled one pays its intrinsic value
/// (``cashAmount``). Premiums are left to the tax engine, which folds them into the stock's basis or
/// proceeds, so the option itself closes at 0 unless it settles in cash.
public struct OptionExpiry: Sendable, Hashable {
    /// Why the option closed; the raw value is the stored fill rule.
    public enum Rule: String, Sendable, Codable, CaseIterable {
        /// Out of the money (or less than ``OptionExpiry/exerciseThreshold`` in): expired worthless.
        case expiry
        /// A long contract exercised by exception.
        case exercise
        /// A short contract assigned.
        case assignment
        /// An index option paid out in cash.
        case cashSettlement = "cash_settlement"
    }

    /// The trade that takes the option off the books.
    public struct OptionClose: Sendable, Hashable {
        public let symbol: String
        /// Sell to close a long, buy to close a short.
        public let side: OrderSide
        /// Contracts.
        public let quantity: Decimal6
        /// Per contract share: 0, or the intrinsic value for cash settlement.
        public let price: Decimal6
        public let rule: Rule
    }

    /// The shares delivered by exercise or assignment.
    public struct StockTrade: Sendable, Hashable {
        /// The contract's root, which is the stock's ticker for the (unadjusted) equity options in scope.
        public let symbol: String
        public let side: OrderSide
        /// 100 shares per contract.
        public let quantity: Decimal6
        /// The strike.
        public let price: Decimal6
    }

    /// The OCC exercise-by-exception threshold: a contract at least this far in the money is
    /// exercised automatically, anything less expires.
    public static let exerciseThreshold: Decimal6 = "0.01"

    /// Roots whose standard monthly contracts are AM-settled at the index's opening value.
    private static let amSettledMonthlyRoots: Set<String> = ["SPX", "NDX", "RUT"]

    public let contract: OptionSymbol
    public let positionSide: PositionSide
    /// The underlying's settlement price the outcome was decided on.
    public let underlyingPrice: Decimal6
    /// max(S − K, 0) for calls, max(K − S, 0) for puts, per share.
    public let intrinsicValue: Decimal6
    public let optionClose: OptionClose
    /// Present when a physically settled contract was exercised or assigned.
    public let stockTrade: StockTrade?
    /// Present for cash settlement: positive for a long (received), negative for a short (paid).
    /// It is the same money as `optionClose`'s notional: book one or the other, not both.
    public let cashAmount: Decimal6?
    /// One sentence for the audit row and the user.
    public let explanation: String

    public var rule: Rule { optionClose.rule }
}

// MARK: - Rules

extension OptionExpiry {
    /// Decides the outcome of `position` (an option expiring on `date`) given the underlying's
    /// settlement price: the official close, or for ``settlesAtOpen(_:calendar:)`` contracts that
    /// morning's opening settlement value. The caller picks the price; this cannot tell them apart.
    public static func settle(
        _ position: Position, on date: MarketDate, underlyingPrice: Decimal6
    ) throws(OptionExpiryError) -> OptionExpiry {
        let contract = try expiringContract(position, on: date)
        guard underlyingPrice.isPositive else { throw .nonPositivePrice(underlyingPrice) }
        let intrinsic = intrinsicValue(of: contract, underlyingPrice: underlyingPrice)
        let inTheMoney = intrinsic >= exerciseThreshold
        let parts = Parts(position: position, contract: contract, price: underlyingPrice, intrinsic: intrinsic)
        do {
            if !inTheMoney { return parts.worthless() }
            return isCashSettled(contract) ? try parts.cashSettled() : try parts.delivered()
        } catch {
            throw .arithmetic(error)
        }
    }

    /// max(S − K, 0) for a call, max(K − S, 0) for a put; exact, since both are six-decimal values.
    public static func intrinsicValue(of contract: OptionSymbol, underlyingPrice: Decimal6) -> Decimal6 {
        let difference = contract.right == .call ? underlyingPrice - contract.strike : contract.strike - underlyingPrice
        return max(difference, .zero)
    }

    /// Whether the contract pays cash instead of delivering shares: the broad-based index roots.
    public static func isCashSettled(_ contract: OptionSymbol) -> Bool {
        IndexOptionRoots.isCashSettled(root: contract.root)
    }

    /// Whether the contract settles against the index's opening value on its expiration morning
    /// rather than the close: a standard monthly SPX, NDX or RUT contract, i.e. one on the monthly
    /// root (not SPXW, NDXP, RUTW) expiring on the month's third Friday, or on the trading day before
    /// it when that Friday is an exchange holiday (Good Friday). Those contracts stop trading the day
    /// before, so their outcome is already known at the open; every other contract settles at the close.
    public static func settlesAtOpen(_ contract: OptionSymbol, calendar: NYSECalendar = NYSECalendar()) -> Bool {
        guard amSettledMonthlyRoots.contains(contract.root) else { return false }
        return contract.expiry == standardMonthlyExpiry(year: contract.expiry.year, month: contract.expiry.month, calendar: calendar)
    }

    /// The third Friday of the month, moved to the previous trading day when it is a holiday.
    public static func standardMonthlyExpiry(year: Int, month: Int, calendar: NYSECalendar = NYSECalendar()) -> MarketDate? {
        guard let first = MarketDate(year: year, month: month, day: 1) else { return nil }
        let friday = 6
        let thirdFriday = first.adding(days: (friday - first.weekday + 7) % 7 + 14)
        return calendar.isTradingDay(thirdFriday) ? thirdFriday : calendar.previousTradingDay(before: thirdFriday)
    }

    /// The position's contract, checked to be a whole number of contracts expiring on `date`.
    private static func expiringContract(_ position: Position, on date: MarketDate) throws(OptionExpiryError) -> OptionSymbol {
        guard position.assetClass == .option, let contract = try? OptionSymbol(parsing: position.symbol) else {
            throw .notAnOption(position.symbol)
        }
        guard contract.expiry == date else { throw .notExpiring(symbol: position.symbol, expiry: contract.expiry, date: date) }
        guard position.quantity.isPositive, position.quantity.micros % Decimal6.microsPerUnit == 0 else {
            throw .invalidQuantity(symbol: position.symbol, quantity: position.quantity)
        }
        return contract
    }
}

// MARK: - Outcomes

extension OptionExpiry {
    /// The facts one outcome is built from (the expiry rules here, early exercise in
    /// `OptionEarlyExercise.swift`).
    struct Parts {
        let position: Position
        let contract: OptionSymbol
        let price: Decimal6
        let intrinsic: Decimal6

        var isLong: Bool { position.side == .long }
        var closingSide: OrderSide { isLong ? .sell : .buy }
        var underlyingName: String { IndexOptionRoots.underlyingIndex(ofRoot: contract.root) }
        var symbol: String { position.symbol }

        /// "AAPL closed at 155.20" or, for an AM-settled contract, "SPX opened (settlement value) at 5012.34".
        var priceClause: String {
            let verb = OptionExpiry.settlesAtOpen(contract) ? "settled at the open" : "closed"
            return "\(underlyingName) \(verb) at \(JobText.money(price))"
        }

        var moneyClause: String {
            let threshold = JobText.money(OptionExpiry.exerciseThreshold)
            if intrinsic.isZero { return "out of the money" }
            if intrinsic < OptionExpiry.exerciseThreshold {
                return "\(JobText.money(intrinsic)) in the money, below the \(threshold) exercise threshold"
            }
            return "\(JobText.money(intrinsic)) in the money (≥ \(threshold))"
        }

        func close(at closePrice: Decimal6, rule: Rule) -> OptionClose {
            OptionClose(symbol: symbol, side: closingSide, quantity: position.quantity, price: closePrice, rule: rule)
        }

        func worthless() -> OptionExpiry {
            let text = "\(symbol) expired worthless: \(priceClause), \(moneyClause); closed at 0"
            return outcome(close: close(at: .zero, rule: .expiry), stock: nil, cash: nil, text: text)
        }

        /// Long call → buy, long put → sell, short call → sell, short put → buy, 100 per contract at the strike.
        func delivered() throws(DecimalArithmeticError) -> OptionExpiry {
            let buys = (contract.right == .call) == isLong
            let shares = try position.quantity.multiplied(by: OptionSymbol.contractMultiplier)
            let trade = StockTrade(symbol: contract.root, side: buys ? .buy : .sell, quantity: shares, price: contract.strike)
            let rule: Rule = isLong ? .exercise : .assignment
            let event = isLong ? "exercised" : "assigned"
            let verb = buys ? "bought" : "sold"
            let text =
                "\(symbol) \(event): \(priceClause), \(moneyClause); \(verb) \(JobText.quantity(shares)) shares at \(JobText.money(contract.strike))"
            return outcome(close: close(at: .zero, rule: rule), stock: trade, cash: nil, text: text)
        }

        /// intrinsic × 100 × contracts, received by a long and paid by a short.
        func cashSettled() throws(DecimalArithmeticError) -> OptionExpiry {
            let shares = try position.quantity.multiplied(by: OptionSymbol.contractMultiplier)
            let amount = try intrinsic.multiplied(by: shares, rounding: .toNearestOrEven)
            let verb = isLong ? "received" : "paid"
            let formula = "\(JobText.money(intrinsic)) × \(OptionSymbol.contractMultiplier) × \(JobText.quantity(position.quantity))"
            let text = "\(symbol) cash-settled: \(priceClause), \(moneyClause); \(verb) \(JobText.money(amount)) (\(formula))"
            return outcome(
                close: close(at: intrinsic, rule: .cashSettlement), stock: nil, cash: isLong ? amount : -amount, text: text)
        }

        func outcome(close: OptionClose, stock: StockTrade?, cash: Decimal6?, text: String) -> OptionExpiry {
            OptionExpiry(
                contract: contract, positionSide: position.side, underlyingPrice: price, intrinsicValue: intrinsic,
                optionClose: close, stockTrade: stock, cashAmount: cash, explanation: text)
        }
    }
}

/// Why an option position cannot be settled at expiry.
public enum OptionExpiryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The position is not an option, or its symbol is not a valid OCC symbol.
    case notAnOption(String)
    /// The contract does not expire on the date the job runs for.
    case notExpiring(symbol: String, expiry: MarketDate, date: MarketDate)
    /// Contracts must be a positive whole number.
    case invalidQuantity(symbol: String, quantity: Decimal6)
    /// The underlying's settlement price must be positive.
    case nonPositivePrice(Decimal6)
    /// Only a long contract can be exercised by its holder; a short one is assigned.
    case notLong(String)
    case arithmetic(DecimalArithmeticError)

    public var description: String {
        switch self {
        case .notAnOption(let symbol):
            "'\(symbol.prefix(40))' is not an option position"
        case .notExpiring(let symbol, let expiry, let date):
            "\(symbol) expires on \(expiry), not on \(date)"
        case .invalidQuantity(let symbol, let quantity):
            "\(symbol) has \(quantity) contracts; expected a positive whole number"
        case .nonPositivePrice(let price):
            "underlying settlement price \(price) must be above 0"
        case .notLong(let symbol):
            "\(symbol) is a short position: only long contracts can be exercised (a short one is assigned)"
        case .arithmetic(let error):
            "option settlement: \(error)"
        }
    }
}
