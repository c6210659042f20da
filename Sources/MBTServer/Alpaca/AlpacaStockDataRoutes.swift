import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage

/// Alpaca's stock market-data routes, the multi-symbol ones alpaca-py's `StockHistoricalDataClient`
/// calls (docs/alpaca-api.md, "Market data"), served from MBT's own market (simulated, replayed or
/// Alpaca) so a bot sees the prices its orders fill at; every read is access-logged per user by
/// ``MarketDataService`` like any other.
struct AlpacaStockDataRoutes {
    let marketData: MarketDataService
    let calendar: NYSECalendar

    static let maximumSymbols = 100
    /// Days of one-minute bars one request may cover: 31, or a year for weekly and monthly bars.
    static let maximumRangeDays = 31
    static let maximumLongRangeDays = 366
    /// Symbols whose minute bars are read at once.
    static let symbolsPerRead = 10

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/stocks/bars") { request, context in
            let user = try context.requireUser()
            let query = AlpacaQuery(request)
            let symbols = try Self.symbols(query)
            let (page, next) = try await bars(symbols, query: query, user: user)
            var bars: [String: AlpacaValue] = [:]
            for symbol in symbols {
                let list = page.filter { $0.0 == symbol }.map { AlpacaMarketDataBody.bar($0.1) }
                if !list.isEmpty { bars[symbol] = .array(list) }
            }
            return AlpacaResponse(.object(["bars": .object(bars), "next_page_token": next]))
        }
        // One symbol, as Alpaca's other SDKs ask: the same data, the symbol beside it.
        routes.on(.get, "/v2/stocks/{symbol}/bars") { request, context in
            let user = try context.requireUser()
            let symbol = try Self.symbol(context)
            let (page, next) = try await bars([symbol], query: AlpacaQuery(request), user: user)
            return AlpacaResponse(
                .object(["symbol": .string(symbol), "bars": .array(page.map { AlpacaMarketDataBody.bar($0.1) }), "next_page_token": next]))
        }
        routes.on(.get, "/v2/stocks/{symbol}/quotes/latest") { _, context in
            let user = try context.requireUser()
            let symbol = try Self.symbol(context)
            guard let quote = try await marketData.quotes([symbol], for: [user.id])[symbol] else {
                throw AlpacaError.notFound("no quote for \(symbol)")
            }
            return AlpacaResponse(.object(["symbol": .string(symbol), "quote": AlpacaMarketDataBody.quote(quote)]))
        }
        routes.on(.get, "/v2/stocks/{symbol}/trades/latest") { _, context in
            let user = try context.requireUser()
            let symbol = try Self.symbol(context)
            guard let bar = try await sessionBars([symbol], user: user).current[symbol]?.last else {
                throw AlpacaError.notFound("no trade for \(symbol)")
            }
            return AlpacaResponse(.object(["symbol": .string(symbol), "trade": AlpacaMarketDataBody.trade(from: bar)]))
        }
        routes.on(.get, "/v2/stocks/{symbol}/snapshot") { _, context in
            let user = try context.requireUser()
            let symbol = try Self.symbol(context)
            guard case .object(var fields) = try await snapshots([symbol], user: user)[symbol] else {
                throw AlpacaError.notFound("no market data for \(symbol)")
            }
            fields["symbol"] = .string(symbol)
            return AlpacaResponse(.object(fields))
        }
        routes.on(.get, "/v2/stocks/quotes/latest") { request, context in
            let user = try context.requireUser()
            let quotes = try await marketData.quotes(try Self.symbols(AlpacaQuery(request)), for: [user.id])
            return AlpacaResponse(.object(["quotes": .object(quotes.mapValues(AlpacaMarketDataBody.quote))]))
        }
        routes.on(.get, "/v2/stocks/trades/latest") { request, context in
            let user = try context.requireUser()
            let bars = try await sessionBars(try Self.symbols(AlpacaQuery(request)), user: user).current
            return AlpacaResponse(.object(["trades": .object(bars.compactMapValues { $0.last.map(AlpacaMarketDataBody.trade) })]))
        }
        // The latest one-minute bar of this session (or the last one, while closed).
        routes.on(.get, "/v2/stocks/bars/latest") { request, context in
            let user = try context.requireUser()
            let bars = try await sessionBars(try Self.symbols(AlpacaQuery(request)), user: user).current
            return AlpacaResponse(.object(["bars": .object(bars.compactMapValues { $0.last.map(AlpacaMarketDataBody.bar) })]))
        }
        routes.on(.get, "/v2/stocks/{symbol}/bars/latest") { _, context in
            let user = try context.requireUser()
            let symbol = try Self.symbol(context)
            guard let bar = try await sessionBars([symbol], user: user).current[symbol]?.last else {
                throw AlpacaError.notFound("no bar for \(symbol)")
            }
            return AlpacaResponse(.object(["symbol": .string(symbol), "bar": AlpacaMarketDataBody.bar(bar)]))
        }
        routes.on(.get, "/v2/stocks/snapshots") { request, context in
            let user = try context.requireUser()
            return AlpacaResponse(.object(try await snapshots(try Self.symbols(AlpacaQuery(request)), user: user)))
        }
    }

    /// One page of bars in the query's timeframe, range and order, and the next page's token.
    func bars(_ symbols: [String], query: AlpacaQuery, user: User) async throws -> ([(String, Bar)], AlpacaValue) {
        guard let timeframeText = query.text("timeframe") else { throw AlpacaError.validation("timeframe is required, e.g. 1Min or 1Day") }
        let timeframe = try AlpacaTimeframe(parsing: timeframeText)
        _ = try query.choice("adjustment", ["raw", "split", "dividend", "spin-off", "all"])
        let range = try AlpacaDataRange(
            query, now: marketData.clock.now(), maximumDays: timeframe.isLong ? Self.maximumLongRangeDays : Self.maximumRangeDays)
        // A few symbols at a time, and only until the page is full: a year of minutes for many
        // symbols is never held at once, and symbols past the page are not read (nor logged).
        var rows: [(String, Bar)] = []
        for chunk in symbols.chunked(into: Self.symbolsPerRead) where rows.count < range.rowsNeeded {
            let minutes = try await marketData.minuteBars(chunk, from: range.start, to: range.end, for: [user.id])
            for symbol in chunk {
                let bars = timeframe.aggregate(minutes[symbol] ?? [])
                rows += (range.descending ? bars.reversed() : bars).map { (symbol, $0) }
            }
        }
        return range.page(rows)
    }

    /// Each symbol's snapshot: latest quote and trade, minute, daily and previous daily bars.
    func snapshots(_ symbols: [String], user: User) async throws -> [String: AlpacaValue] {
        let quotes = try await marketData.quotes(symbols, for: [user.id])
        let (current, previous) = try await sessionBars(symbols, user: user)
        var snapshots: [String: AlpacaValue] = [:]
        for symbol in symbols {
            var fields: [String: AlpacaValue] = [:]
            if let quote = quotes[symbol] { fields["latestQuote"] = AlpacaMarketDataBody.quote(quote) }
            if let bars = current[symbol], let last = bars.last {
                fields["latestTrade"] = AlpacaMarketDataBody.trade(from: last)
                fields["minuteBar"] = AlpacaMarketDataBody.bar(last)
                fields["dailyBar"] = AlpacaMarketDataBody.bar(AlpacaTimeframe.day.aggregate(bars)[0])
            }
            if let bars = previous[symbol], !bars.isEmpty {
                fields["prevDailyBar"] = AlpacaMarketDataBody.bar(AlpacaTimeframe.day.aggregate(bars)[0])
            }
            if !fields.isEmpty { snapshots[symbol] = .object(fields) }
        }
        return snapshots
    }

    /// The one-minute bars of the current session so far (or the last one, when the market is
    /// closed), and of the session before it.
    func sessionBars(_ symbols: [String], user: User) async throws -> (current: [String: [Bar]], previous: [String: [Bar]]) {
        let now = marketData.clock.now()
        var day = MarketDate(containing: now)
        var session = calendar.session(on: day)
        while session == nil || session!.open > now {
            day = calendar.previousTradingDay(before: day)
            session = calendar.session(on: day)
        }
        guard let session, let before = calendar.session(on: calendar.previousTradingDay(before: session.date)) else { return ([:], [:]) }
        let current = try await marketData.minuteBars(symbols, from: session.open, to: min(now, session.close), for: [user.id])
        let previous = try await marketData.minuteBars(symbols, from: before.open, to: before.close, for: [user.id])
        return (current, previous)
    }

    static func symbol(_ context: AppRequestContext) throws -> String {
        switch MarketSymbol.normalize(context.parameters.get("symbol") ?? "") {
        case .success(let symbol): return symbol
        case .failure(let error): throw AlpacaError.validation(error.description)
        }
    }

    static func symbols(_ query: AlpacaQuery) throws -> [String] {
        guard let symbols = query.symbols("symbols") else { throw AlpacaError.validation("symbols is required, e.g. symbols=AAPL,MSFT") }
        guard symbols.count <= maximumSymbols else { throw AlpacaError.validation("at most \(maximumSymbols) symbols per request") }
        for symbol in symbols {
            if case .failure(let error) = MarketSymbol.normalize(symbol) { throw AlpacaError.validation(error.description) }
        }
        return Array(Set(symbols)).sorted()
    }
}
