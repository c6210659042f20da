import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Synchronization
import Testing

/// A clock the tax tests move by hand, backwards too (catch-up fills carry earlier instants).
final class TaxTestClock: MarketClock {
    private let instant: Mutex<Date>

    init(_ start: Date) {
        instant = Mutex(start)
    }

    func now() -> Date { instant.withLock { $0 } }

    func set(_ date: Date) {
        instant.withLock { $0 = date }
    }
}

/// A market whose quotes the test sets: bid = ask = the price, stamped with the clock's now, so a
/// market order fills at exactly the price set.
final class TaxTestMarket: MarketDataProvider {
    let clock: TaxTestClock
    private let prices = Mutex<[String: Decimal6]>([:])

    init(clock: TaxTestClock) {
        self.clock = clock
    }

    var source: String { "replay" }

    func setPrice(_ symbol: String, _ price: Decimal6) {
        prices.withLock { $0[symbol] = price }
    }

    func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] {
        let known = prices.withLock { $0 }
        let now = clock.now()
        return Dictionary(
            uniqueKeysWithValues: symbols.compactMap { symbol in
                known[symbol].map { (symbol, Quote(symbol: symbol, bid: $0, ask: $0, bidSize: 100, askSize: 100, timestamp: now)) }
            })
    }

    func tradableStocks() async throws -> Set<String> {
        Set(prices.withLock { $0.keys }.filter { !OptionSymbol.isOptionSymbol($0) })
    }

    func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] { [:] }

    /// The contracts given a price, as the chain of their underlying and expiry.
    func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] {
        prices.withLock { $0.keys }.compactMap { try? OptionSymbol(parsing: $0) }
            .filter { $0.root == underlying && $0.expiry == expiry }.map { OptionChainEntry(symbol: $0, quote: nil) }
    }

    func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? { nil }
    func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] {
        let quotes = try await latestQuotes(symbols.map(\.description))
        return Dictionary(uniqueKeysWithValues: symbols.compactMap { symbol in quotes[symbol.description].map { (symbol, $0) } })
    }

    func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] { [] }
}

/// A fresh database, one user, the real order service with the tax ledger as its post-fill hook.
struct TaxLedgerFixture {
    let database: any DatabaseClient
    let clock: TaxTestClock
    let market: TaxTestMarket
    let ledger: TaxLedger
    let service: OrderService
    let user: User

    /// Monday 2026-03-02.
    static let firstDay = MarketDate(year: 2026, month: 3, day: 2)!
    static let calendar = NYSECalendar()

    static func run(_ body: (TaxLedgerFixture) async throws -> Void) async throws {
        try await TestDatabase.withFresh { database in
            let clock = TaxTestClock(firstDay.at(hour: 10, minute: 0))
            let market = TaxTestMarket(clock: clock)
            let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger)
            let marketData = MarketDataService(provider: market, clock: clock, accessLog: accessLog, quoteTimeToLive: 0)
            let ledger = TaxLedger(database: database, logger: TestDatabase.logger)
            let service = OrderService(database: database, marketData: marketData, postFillHook: ledger)
            let user = try await UserStore(database: database).create(name: "trader", at: clock.now()).user
            try await body(
                TaxLedgerFixture(database: database, clock: clock, market: market, ledger: ledger, service: service, user: user))
        }
    }

    /// The `index`-th trading day from ``firstDay``.
    static func tradingDay(_ index: Int) -> MarketDate {
        (0..<index).reduce(firstDay) { day, _ in calendar.nextTradingDay(after: day) }
    }

    /// A market order filled at `price` on `day`, `minute` minutes after 10:00 New York; `nil`
    /// when the order service refused it.
    @discardableResult
    func trade(
        _ side: OrderSide, _ quantity: Decimal6, _ symbol: String, at price: Decimal6, on day: MarketDate, minute: Int = 0,
        user: User? = nil
    ) async throws -> PaperOrder? {
        clock.set(day.at(hour: 10, minute: 0).addingTimeInterval(Double(minute) * 60))
        market.setPrice(symbol, price)
        let request = OrderRequest(symbol: symbol, side: side, quantity: quantity, type: .market, limitPrice: nil, timeInForce: .day)
        do {
            guard case .created(let order) = try await service.submit(request, for: user ?? self.user) else { return nil }
            return order.status == .filled ? order : nil
        } catch TradingError.rejected {
            return nil
        }
    }

    /// The user's stored tax rows.
    func rows(of user: User? = nil) async throws -> TaxRowSet {
        try await TaxLotStore(database: database).rows(userId: (user ?? self.user).id)
    }

    /// The stored version and the user's newest fill id, which agree once every fill is taxed.
    func versionAndNewestFill(of user: User? = nil) async throws -> (Int64?, Int64?) {
        let userId = (user ?? self.user).id
        return try await database.withConnection { db in
            let head = try await TaxLotStore(database: database).head(userId: userId, on: db)
            let newest = try await TaxFillStore.fills(userId: userId, on: db).map(\.fillId).max()
            return (head.version, newest)
        }
    }

    /// An AAPL call expiring after every date the tests use.
    static let call = try! OptionSymbol(root: "AAPL", expiry: MarketDate(year: 2026, month: 12, day: 18)!, right: .call, strike: 150)
        .description
}
