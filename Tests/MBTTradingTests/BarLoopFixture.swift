import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading

/// A database, a replayed market on a hand-moved clock and one account, for bar-loop tests.
struct BarLoopFixture {
    let database: any DatabaseClient
    let clock: ManualClock
    let marketData: MarketDataService
    let user: User

    /// Friday 2026-03-20, 10:00 New York (14:00 UTC).
    static let friday10 = Date(timeIntervalSince1970: 1_774_015_200)
    static let fridayClose = friday10.addingTimeInterval(6 * 3600)
    /// Monday 2026-03-23, 09:30 New York.
    static let mondayOpen = friday10.addingTimeInterval(3 * 86400 - 1800)

    static func run(
        bars: [Bar], quotes: [Quote] = [], actions: [CorporateAction] = [], startingBalance: Decimal6 = PaperAccount.defaultStartingBalance,
        _ body: @Sendable (BarLoopFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh { database in
            let clock = ManualClock(friday10)
            let market = ReplayMarket(recording: ReplayRecording(quotes: quotes, bars: bars, corporateActions: actions), clock: clock)
            let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger)
            let marketData = MarketDataService(provider: market, clock: clock, accessLog: accessLog)
            let user = try await UserStore(database: database).create(name: "trader", startingBalance: startingBalance, at: friday10).user
            try await body(BarLoopFixture(database: database, clock: clock, marketData: marketData, user: user))
        }
    }

    func evaluator(
        owner: String = "engine-a", settings: BarLoopSettings = .standard, fillSettings: FillSettings = .standard,
        postFillHook: any PostFillHook = NoPostFillHook()
    ) -> RestingOrderEvaluator {
        RestingOrderEvaluator(
            database: database, marketData: marketData, fillSettings: fillSettings, settings: settings, owner: owner,
            leaseClock: clock, postFillHook: postFillHook, logger: TestDatabase.logger)
    }

    /// A resting order as the submit path leaves it (status accepted).
    @discardableResult
    func rest(
        _ side: OrderSide, _ quantity: Decimal6, _ symbol: String, limit: Decimal6?, tif: TimeInForce = .day, at instant: Date = friday10,
        user: User? = nil
    ) async throws -> PaperOrder {
        try await database.withTransaction { db in
            try await OrderStore(database: database).insert(
                OrderStore.NewOrder(
                    userId: (user ?? self.user).id, symbol: symbol, assetClass: OptionSymbol.isOptionSymbol(symbol) ? .option : .usEquity,
                    side: side, quantity: quantity, type: limit == nil ? .market : .limit, timeInForce: tif, limitPrice: limit,
                    status: .accepted, submittedAt: instant),
                on: db)
        }
    }

    func order(_ id: Int64) async throws -> PaperOrder {
        try await OrderStore(database: database).order(id: id, userId: user.id)!
    }

    /// Flat one-minute bars of `symbol` at `price` for `minutes` minutes from `start`, with the
    /// bars in `special` (minute offset → bar) in their place.
    static func bars(
        _ symbol: String, from start: Date, minutes: Int, price: Decimal6, special: [Int: (open: Decimal6, high: Decimal6, low: Decimal6)] = [:]
    ) -> [Bar] {
        (0..<minutes).map { minute in
            let at = start.addingTimeInterval(Double(minute) * 60)
            if let bar = special[minute] {
                return Bar(symbol: symbol, start: at, open: bar.open, high: bar.high, low: bar.low, close: bar.open, volume: 100)
            }
            return Bar(symbol: symbol, start: at, open: price, high: price, low: price, close: price, volume: 100)
        }
    }
}
