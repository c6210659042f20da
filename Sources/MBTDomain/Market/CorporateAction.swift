/// A corporate action the daily jobs apply to positions.
public enum CorporateAction: Sendable, Hashable, Codable {
    /// `rate` cash per share to holders of record before `exDate`.
    case cashDividend(id: String, symbol: String, rate: Decimal6, exDate: MarketDate, payableDate: MarketDate?)
    /// `newRate` shares for every `oldRate` shares from `exDate` (forward when new > old, reverse otherwise).
    case split(id: String, symbol: String, newRate: Decimal6, oldRate: Decimal6, exDate: MarketDate)

    public var id: String {
        switch self {
        case .cashDividend(let id, _, _, _, _), .split(let id, _, _, _, _): id
        }
    }

    public var symbol: String {
        switch self {
        case .cashDividend(_, let symbol, _, _, _), .split(_, let symbol, _, _, _): symbol
        }
    }

    public var isCashDividend: Bool {
        if case .cashDividend = self { return true }
        return false
    }

    public var isSplit: Bool {
        if case .split = self { return true }
        return false
    }

    public var exDate: MarketDate {
        switch self {
        case .cashDividend(_, _, _, let exDate, _), .split(_, _, _, _, let exDate): exDate
        }
    }
}
