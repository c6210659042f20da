import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// `GET /v2/account/portfolio/history` (docs/alpaca-api.md): the account's equity at each close,
/// from the end-of-day snapshots the daily job records (the equity curve of
/// `/api/trading/account/history`), in Alpaca's shape. Daily points only (`timeframe` `1D`).
struct AlpacaPortfolioHistoryRoutes {
    let accounts: AccountStore
    let clock: any MarketClock

    static let maximumDays = 3_660

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/account/portfolio/history") { request, context in
            let user = try context.requireUser()
            let query = AlpacaQuery(request)
            if let timeframe = query.text("timeframe"), timeframe != "1D" {
                throw AlpacaError.validation("timeframe \(timeframe.prefix(10)) is not supported: MBT keeps one point per trading day (1D)")
            }
            let today = MarketDate(containing: clock.now())
            let through = try query.date("date_end") ?? query.instant("end").map(MarketDate.init(containing:)) ?? today
            let days = try Self.days(query.text("period") ?? "1M")
            let from = try query.instant("start").map(MarketDate.init(containing:)) ?? through.adding(days: -days)
            guard from <= through else { throw AlpacaError.validation("start must not be after the end") }
            guard through.daysSinceEpoch - from.daysSinceEpoch <= Self.maximumDays else {
                throw AlpacaError.validation("range too large: at most 10 years")
            }
            let account = try await accounts.account(ofUser: user.id)
            let snapshots = SnapshotStore(database: accounts.database)
            let points = try await snapshots.history(userId: user.id, from: from, through: through)
            // The base: equity at the last close before the period, else the starting balance.
            let before = try await snapshots.history(userId: user.id, from: from.adding(days: -14), through: from.adding(days: -1))
            let base = before.last?.equity ?? account.startingBalance
            let profits = points.map { $0.equity - base }
            return AlpacaResponse(
                .object([
                    "timestamp": .array(points.map { .int(Int($0.date.at(hour: 0, minute: 0).timeIntervalSince1970)) }),
                    "equity": .array(points.map { .number($0.equity) }),
                    "profit_loss": .array(profits.map { .number($0) }),
                    "profit_loss_pct": .array(profits.map { .number(base.isZero ? nil : try? $0.divided(by: base)) }),
                    "base_value": .number(base),
                    "timeframe": .string("1D"),
                    "cashflow": .object([:]),
                ]))
        }
    }

    /// `period` as days: a number and `D`, `W`, `M` (30 days) or `A` (365 days).
    static func days(_ period: String) throws -> Int {
        let digits = period.prefix { $0.isNumber }
        guard let count = Int(digits), count >= 1, count <= 3_660 else { throw invalid(period) }
        switch period.dropFirst(digits.count) {
        case "D": return count
        case "W": return count * 7
        case "M": return count * 30
        case "A": return count * 365
        default: throw invalid(period)
        }
    }

    private static func invalid(_ period: String) -> AlpacaError {
        AlpacaError.validation("period must be a number and D, W, M or A, such as 1M (got \(period.prefix(10)))")
    }
}
