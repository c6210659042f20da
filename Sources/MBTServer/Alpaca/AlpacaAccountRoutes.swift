import Foundation
import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// `GET /v2/account`: the caller's paper account in Alpaca's TradeAccount shape (docs/alpaca-api.md,
/// "Account"), valued by ``PortfolioValuer`` like `GET /api/trading/account`. MBT accounts are cash
/// accounts: `multiplier` 1, `buying_power` the free cash (docs/buying-power.md), no margin, no
/// pattern-day-trader limits (false/0), options level 3.
struct AlpacaAccountRoutes {
    let accounts: AccountStore
    let valuer: PortfolioValuer
    let clock: any MarketClock

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/account") { _, context in
            let user = try context.requireUser()
            return AlpacaResponse(try await body(user))
        }
    }

    func body(_ user: User) async throws -> AlpacaValue {
        let account = try await accounts.account(ofUser: user.id)
        let valuation = try await valuer.value(userId: user.id)
        let power = try await valuer.buyingPower(userId: user.id, cash: account.cashBalance, valuation: valuation)
        let longs = valuation.positions.filter { $0.position.side == .long }.reduce(Decimal6.zero) { $0 + $1.marketValue }
        let shorts = valuation.marketValue - longs
        let equity = account.cashBalance + valuation.marketValue
        // Equity at the last close before today, from the end-of-day snapshots; the starting
        // balance before the first one.
        let today = MarketDate(containing: clock.now())
        let snapshots = try await SnapshotStore(database: accounts.database).history(
            userId: user.id, from: today.adding(days: -14), through: today.adding(days: -1))
        let lastEquity = snapshots.max { $0.date < $1.date }?.equity ?? account.startingBalance
        let zero = AlpacaValue.decimal(Decimal6.zero)
        return .object([
            "id": .string(AlpacaIdentifier.text(AlpacaIdentifier.uuid(.account, account.id))),
            "account_number": .string(String(format: "PA%010lld", account.id)),
            "status": .string(account.status == .active ? "ACTIVE" : "DISABLED"),
            "crypto_status": .string("INACTIVE"),
            "currency": .string("USD"),
            "created_at": .time(account.createdAt),
            "multiplier": .string("1"),
            "cash": .decimal(account.cashBalance),
            "buying_power": .decimal(power.freeCash),
            "regt_buying_power": .decimal(power.freeCash),
            "daytrading_buying_power": zero,
            "effective_buying_power": .decimal(power.freeCash),
            "non_marginable_buying_power": .decimal(power.freeCash),
            "options_buying_power": .decimal(power.freeCash),
            "bod_dtbp": zero,
            "accrued_fees": zero,
            "pending_transfer_in": zero,
            "pending_transfer_out": zero,
            "portfolio_value": .decimal(equity),
            "equity": .decimal(equity),
            "last_equity": .decimal(lastEquity),
            "long_market_value": .decimal(longs),
            "short_market_value": .decimal(shorts),
            "position_market_value": .decimal(valuation.marketValue),
            "initial_margin": zero,
            "maintenance_margin": zero,
            "last_maintenance_margin": zero,
            "sma": zero,
            "daytrade_count": .int(0),
            "pattern_day_trader": .bool(false),
            "trading_blocked": .bool(account.status != .active),
            "transfers_blocked": .bool(true),
            "account_blocked": .bool(account.status != .active),
            "trade_suspended_by_user": .bool(false),
            "shorting_enabled": .bool(true),
            "options_approved_level": .int(3),
            "options_trading_level": .int(3),
        ])
    }
}
