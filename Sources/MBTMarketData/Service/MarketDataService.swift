import Foundation
import Logging
import MBTDomain

/// The market data the rest of MBT uses: a provider behind a quote cache, with every piece of data
/// served recorded in the access log for each user it served.
public struct MarketDataService: Sendable {
    public let provider: any MarketDataProvider
    public let clock: any MarketClock
    public let accessLog: AccessLogBuffer
    private let cache: QuoteCache
    private let listings = ListingCache(timeToLive: 15 * 60)

    public init(provider: any MarketDataProvider, clock: any MarketClock, accessLog: AccessLogBuffer, quoteTimeToLive: TimeInterval = 1) {
        self.provider = provider
        self.clock = clock
        self.accessLog = accessLog
        self.cache = QuoteCache(timeToLive: quoteTimeToLive)
    }

    /// Latest quotes for `symbols`, on behalf of `users` (one access row per user and symbol served).
    public func quotes(_ symbols: [String], for users: [Int64]) async throws -> [String: Quote] {
        let now = clock.now()
        let provider = self.provider
        let quotes = try await cache.quotes(symbols, now: now) { try await provider.latestQuotes($0) }
        await log(quotes.keys, .quote, for: users, at: now)
        return quotes
    }

    /// Latest quotes of stocks and option contracts alike, keyed by the symbols asked for.
    public func anyQuotes(_ symbols: [String], for users: [Int64]) async throws -> [String: Quote] {
        let options = symbols.compactMap { OptionSymbol.isOptionSymbol($0) ? try? OptionSymbol(parsing: $0) : nil }
        let stocks = symbols.filter { !OptionSymbol.isOptionSymbol($0) }
        var quotes = stocks.isEmpty ? [:] : try await self.quotes(stocks, for: users)
        if !options.isEmpty {
            for (symbol, quote) in try await optionQuotes(options, for: users) { quotes[symbol.description] = quote }
        }
        return quotes
    }

    /// Quotes of stocks and option contracts as they stood at `instant`, on behalf of `users`;
    /// `nil` when the market keeps no quote history.
    public func quotes(_ symbols: [String], at instant: Date, for users: [Int64]) async throws -> [String: Quote]? {
        guard let quotes = try await provider.quotes(symbols, at: instant) else { return nil }
        await log(quotes.keys, .quote, for: users, at: clock.now())
        return quotes
    }

    /// The quotes of `symbol` as they stood at each of `instants` (in the order given), a quote
    /// that stood at several of them once, on behalf of `users`: a quote history sampled at those
    /// instants. `nil` when the market keeps no quote history.
    public func quoteHistory(_ symbol: String, at instants: [Date], for users: [Int64]) async throws -> [Quote]? {
        var history: [Quote] = []
        for instant in instants {
            guard let quotes = try await provider.quotes([symbol], at: instant) else { return nil }
            if let quote = quotes[symbol], quote.timestamp != history.last?.timestamp { history.append(quote) }
        }
        if !history.isEmpty { await log([symbol], .quote, for: users, at: clock.now()) }
        return history
    }

    /// The stocks and ETFs the market lists for trading (cached; it changes daily at most).
    public func tradableStocks() async throws -> Set<String> {
        let provider = self.provider
        return try await listings.stocks(now: clock.now()) { try await provider.tradableStocks() }
    }

    /// The contracts the market lists for `underlying` expiring on `expiry` (cached).
    public func listedContracts(underlying: String, expiry: MarketDate) async throws -> Set<OptionSymbol> {
        let provider = self.provider
        return try await listings.contracts(.init(underlying: underlying, expiry: expiry), now: clock.now()) {
            Set(try await provider.optionChain(underlying: underlying, expiry: expiry).map(\.symbol))
        }
    }

    /// Records that the corporate actions of `symbols` were served to `users` (the route filters
    /// and pages what ``corporateActions(from:through:symbols:)`` returns, so it logs what it sends).
    public func recordCorporateActionsServed(_ symbols: some Collection<String>, for users: [Int64]) async {
        await log(Set(symbols), .corporateAction, for: users, at: clock.now())
    }

    /// Cash dividends and splits with an ex-date in `[from, through]` (all symbols when `symbols` is empty).
    public func corporateActions(from: MarketDate, through: MarketDate, symbols: [String] = []) async throws -> [CorporateAction] {
        try await provider.corporateActions(from: from, through: through, symbols: symbols)
    }

    /// One-minute bars in `[from, to)` for `symbols`, on behalf of `users`.
    public func minuteBars(_ symbols: [String], from: Date, to: Date, for users: [Int64]) async throws -> [String: [Bar]] {
        let bars = try await provider.minuteBars(symbols, from: from, to: to)
        await log(bars.filter { !$0.value.isEmpty }.keys, .bar, for: users, at: clock.now())
        return bars
    }

    /// The option chain of `underlying` for `expiry`, on behalf of `users`.
    public func optionChain(underlying: String, expiry: MarketDate, for users: [Int64]) async throws -> [OptionChainEntry] {
        let chain = try await provider.optionChain(underlying: underlying, expiry: expiry)
        if !chain.isEmpty { await log([underlying], .chain, for: users, at: clock.now()) }
        return chain
    }

    /// Latest option quotes, on behalf of `users`.
    public func optionQuotes(_ symbols: [OptionSymbol], for users: [Int64]) async throws -> [OptionSymbol: Quote] {
        let quotes = try await provider.latestOptionQuotes(symbols)
        await log(quotes.keys.map(\.description), .quote, for: users, at: clock.now())
        return quotes
    }

    private func log(
        _ symbols: some Collection<String>,
        _ type: MarketDataAccess.DataType,
        for users: [Int64],
        at now: Date
    ) async {
        guard !users.isEmpty, !symbols.isEmpty else { return }
        let rows = Set(users).flatMap { user in
            symbols.map { MarketDataAccess(userId: user, symbol: $0, dataType: type, fetchedAt: now, source: provider.source) }
        }
        await accessLog.append(rows)
    }
}
