import Foundation

/// A named group of orders (an iron condor, a covered-call program) with the lot method its
/// closing fills use: the order's strategy's method, else the account's (docs/multi-leg.md).
public struct Strategy: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case custom
        case ironCondor = "iron_condor"
        /// A covered-call program ("LCC" in the record) rolled before expiry.
        case lcc
    }

    /// The covered-call program's settings (`lcc_strategy_config`).
    public struct CoveredCallConfig: Sendable, Hashable {
        public var underlying: String
        /// The lot method its closing fills use; it overrides the strategy's own.
        public var lotMethod: TaxLotMethod
        /// How many days before expiry the open call is due to be rolled.
        public var rollDaysBeforeExpiry: Int

        public init(underlying: String, lotMethod: TaxLotMethod = .fifo, rollDaysBeforeExpiry: Int = 7) {
            self.underlying = underlying
            self.lotMethod = lotMethod
            self.rollDaysBeforeExpiry = rollDaysBeforeExpiry
        }
    }

    public let id: Int64
    public let userId: Int64
    public var name: String
    public let kind: Kind
    public var defaultTaxLotMethod: TaxLotMethod?
    public var coveredCall: CoveredCallConfig?

    public init(id: Int64, userId: Int64, name: String, kind: Kind, defaultTaxLotMethod: TaxLotMethod?, coveredCall: CoveredCallConfig?) {
        self.id = id
        self.userId = userId
        self.name = name
        self.kind = kind
        self.defaultTaxLotMethod = defaultTaxLotMethod
        self.coveredCall = coveredCall
    }

    /// The lot method the strategy's closing fills use, when it sets one.
    public var lotMethod: TaxLotMethod? { coveredCall?.lotMethod ?? defaultTaxLotMethod }

    /// The longest name, as the table allows.
    public static let maximumNameLength = 64
    /// The furthest ahead of expiry a roll may be scheduled.
    public static let maximumRollDays = 60

    /// Why `name`, `kind` and `coveredCall` do not make a strategy, naming the field; `nil` when they do.
    public static func problem(name: String?, kind: Kind?, coveredCall: CoveredCallConfig?) -> (field: String, message: String)? {
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= maximumNameLength, trimmed == name else {
                return ("name", "name must be 1 to \(maximumNameLength) characters without leading or trailing spaces")
            }
        }
        if kind == .lcc, coveredCall == nil {
            return ("lcc", "an lcc strategy needs lcc: {\"underlying\": …}")
        }
        if let kind, kind != .lcc, coveredCall != nil {
            return ("lcc", "lcc settings belong to an lcc strategy only")
        }
        if let config = coveredCall {
            guard case .success(let symbol) = MarketSymbol.normalize(config.underlying), symbol == config.underlying else {
                return ("lcc.underlying", "lcc.underlying must be a stock symbol such as AAPL")
            }
            guard (0...maximumRollDays).contains(config.rollDaysBeforeExpiry) else {
                return ("lcc.roll_days_before_expiry", "lcc.roll_days_before_expiry must be 0 to \(maximumRollDays)")
            }
            if config.lotMethod == .specificId {
                return ("lcc.default_tax_lot_method", "lcc.default_tax_lot_method must be fifo, lifo or hifo")
            }
        }
        return nil
    }
}
