import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /api/trading/account`: the caller's own paper account, never anyone else's.
/// `PATCH /api/trading/account`: change the account's default tax-lot method.
struct AccountRoutes {
    let accounts: AccountStore
    let valuer: PortfolioValuer
    let clock: any MarketClock

    struct AccountResponse: ResponseEncodable {
        let id: Int64
        let userId: Int64
        let userName: String
        let status: PaperAccount.Status
        let currency: String
        let cash: Decimal6
        /// Cash plus the positions' market value.
        let equity: Decimal6
        /// Free cash: what orders that open positions may still spend (docs/buying-power.md).
        let buyingPower: Decimal6
        /// What open orders hold back of buying power until they fill, are canceled or expire.
        let reservedByOpenOrders: Decimal6
        let longMarketValue: Decimal6
        let shortMarketValue: Decimal6
        /// Realized by closing trades, from the tax engine: the gains less allowed losses of every
        /// disposition (losses a wash sale disallowed are deferred into the replacement lots).
        let realizedPl: Decimal6
        let unrealizedPl: Decimal6
        let startingBalance: Decimal6
        let defaultTaxLotMethod: TaxLotMethod
        let createdAt: Date
    }

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/trading/account") { _, context in
            let user = try context.requireUser()
            return try await response(try await accounts.account(ofUser: user.id), user: user)
        }
        routes.on(.get, "/api/trading/account/history") { request, context in
            let user = try context.requireUser()
            let today = MarketDate(containing: clock.now())
            let query = request.uri.queryParameters
            let through = try Self.date(query.get("to"), name: "to") ?? today
            let from = try Self.date(query.get("from"), name: "from") ?? through.adding(days: -365)
            guard from <= through else { throw APIError.validation("from must not be after to") }
            let account = try await accounts.account(ofUser: user.id)
            let snapshots = try await SnapshotStore(database: accounts.database).history(userId: user.id, from: from, through: through)
            return HistoryResponse(
                startingBalance: account.startingBalance,
                points: snapshots.map { HistoryPoint(date: $0.date.description, equity: $0.equity, cash: $0.cash) })
        }
        routes.on(.patch, "/api/trading/account") { request, context in
            let user = try context.requireUser()
            let body = try await JSONFields.read(request, context: context, allowed: ["default_tax_lot_method"])
            guard let method = try body.choice("default_tax_lot_method", TaxLotMethod.self) else {
                throw APIError.validation("nothing to change; send default_tax_lot_method")
            }
            return try await response(
                try await accounts.setDefaultTaxLotMethod(method, ofUser: user.id, at: clock.now()),
                user: user)
        }
    }

    /// The end-of-day equity series: the equity curve.
    struct HistoryResponse: ResponseEncodable {
        let startingBalance: Decimal6
        let points: [HistoryPoint]
    }

    struct HistoryPoint: Encodable {
        let date: String
        let equity: Decimal6
        let cash: Decimal6
    }

    static func date(_ text: String?, name: String) throws -> MarketDate? {
        guard let text else { return nil }
        guard let date = MarketDate(iso: text) else { throw APIError.validation("\(name) must be a date YYYY-MM-DD, such as 2026-03-20") }
        return date
    }

    func response(_ account: PaperAccount, user: User) async throws -> AccountResponse {
        try await response(account, user: user, valuation: try await valuer.value(userId: user.id))
    }

    /// The account's figures from one valuation of its positions (the web portfolio shows both).
    func response(_ account: PaperAccount, user: User, valuation: PortfolioValuer.Valuation) async throws -> AccountResponse {
        let buyingPower = try await valuer.buyingPower(userId: user.id, cash: account.cashBalance, valuation: valuation)
        let longs = valuation.positions.filter { $0.position.side == .long }.reduce(Decimal6.zero) { $0 + $1.marketValue }
        return AccountResponse(
            id: account.id,
            userId: user.id,
            userName: user.name,
            status: account.status,
            currency: "USD",
            cash: account.cashBalance,
            equity: account.cashBalance + valuation.marketValue,
            buyingPower: buyingPower.freeCash,
            reservedByOpenOrders: buyingPower.reservedByOpenOrders,
            longMarketValue: longs,
            shortMarketValue: valuation.marketValue - longs,
            realizedPl: try await TaxLotStore(database: accounts.database).realizedGain(userId: user.id),
            unrealizedPl: valuation.unrealizedPnL,
            startingBalance: account.startingBalance,
            defaultTaxLotMethod: account.defaultTaxLotMethod,
            createdAt: account.createdAt
        )
    }
}
