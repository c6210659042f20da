import Foundation
import MBTDomain

/// The contract filters `/v2/options/contracts` and `/v1beta1/options/snapshots/{underlying}` share
/// (docs/alpaca-api.md): an expiration date or range (default the next 30 days, at most 90), the
/// right, a strike range and the root.
struct AlpacaContractFilter {
    static let defaultDays = 30
    static let maximumDays = 90

    let from: MarketDate
    let through: MarketDate
    let right: OptionSymbol.Right?
    let strikeFloor: Decimal6?
    let strikeCeiling: Decimal6?
    let root: String?

    init(_ query: AlpacaQuery, today: MarketDate) throws {
        let exact = try query.date("expiration_date")
        from = try exact ?? query.date("expiration_date_gte") ?? today
        through = try exact ?? query.date("expiration_date_lte") ?? from.adding(days: Self.defaultDays)
        guard from <= through else { throw AlpacaError.validation("expiration_date_gte must not be after expiration_date_lte") }
        guard through.daysSinceEpoch - from.daysSinceEpoch <= Self.maximumDays else {
            throw AlpacaError.validation("expiration range too large: at most \(Self.maximumDays) days per request")
        }
        right = try query.choice("type", ["call", "put"]).map { $0 == "call" ? .call : .put }
        strikeFloor = try query.decimal("strike_price_gte")
        strikeCeiling = try query.decimal("strike_price_lte")
        root = query.text("root_symbol")?.uppercased()
    }

    /// The expiry dates to look at: the trading days of the range.
    func expiries(_ calendar: NYSECalendar) -> [MarketDate] {
        calendar.sessions(from: from, through: through).map(\.date)
    }

    func matches(_ contract: OptionSymbol) -> Bool {
        (right == nil || contract.right == right) && (strikeFloor.map { contract.strike >= $0 } ?? true)
            && (strikeCeiling.map { contract.strike <= $0 } ?? true) && (root == nil || contract.root == root)
    }
}
