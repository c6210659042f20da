import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage

/// Alpaca's historical stock quotes and trades (docs/alpaca-api.md, "Market data"), paged like
/// bars, from MBT's own market and access-logged per user by ``MarketDataService``:
///
/// - trades: MBT's market has no trade tape, so each one-minute bar stands for one trade at its
///   close, stamped at the bar's end with size 0, as the latest trade is;
/// - quotes: the quote standing at the end of each session minute in the range, each distinct
///   quote once (quotes that changed within a minute are not all seen); a market without quote
///   history (Alpaca's, which serves latest quotes only) answers 501.
struct AlpacaStockHistoryRoutes {
    let marketData: MarketDataService
    let calendar: NYSECalendar

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/stocks/trades") { request, context in
            let user = try context.requireUser()
            let query = AlpacaQuery(request)
            let symbols = try AlpacaStockDataRoutes.symbols(query)
            let (page, next) = try await trades(symbols, range: try range(query), user: user)
            return AlpacaResponse(.object(["trades": .object(Self.grouped(page, symbols: symbols)), "next_page_token": next]))
        }
        routes.on(.get, "/v2/stocks/{symbol}/trades") { request, context in
            let user = try context.requireUser()
            let symbol = try AlpacaStockDataRoutes.symbol(context)
            let (page, next) = try await trades([symbol], range: try range(AlpacaQuery(request)), user: user)
            return AlpacaResponse(.object(["symbol": .string(symbol), "trades": .array(page.map(\.1)), "next_page_token": next]))
        }
        routes.on(.get, "/v2/stocks/quotes") { request, context in
            let user = try context.requireUser()
            let query = AlpacaQuery(request)
            let symbols = try AlpacaStockDataRoutes.symbols(query)
            let (page, next) = try await quotes(symbols, range: try range(query), user: user)
            return AlpacaResponse(.object(["quotes": .object(Self.grouped(page, symbols: symbols)), "next_page_token": next]))
        }
        routes.on(.get, "/v2/stocks/{symbol}/quotes") { request, context in
            let user = try context.requireUser()
            let symbol = try AlpacaStockDataRoutes.symbol(context)
            let (page, next) = try await quotes([symbol], range: try range(AlpacaQuery(request)), user: user)
            return AlpacaResponse(.object(["symbol": .string(symbol), "quotes": .array(page.map(\.1)), "next_page_token": next]))
        }
    }

    func range(_ query: AlpacaQuery) throws -> AlpacaDataRange {
        _ = try query.choice("feed", ["sip", "iex", "otc", "boats", "overnight", "delayed_sip"])
        return try AlpacaDataRange(query, now: marketData.clock.now(), maximumDays: AlpacaStockDataRoutes.maximumRangeDays)
    }

    /// One page of trades, symbol by symbol, each symbol's in the asked order, reading symbols only
    /// until the page is full.
    func trades(_ symbols: [String], range: AlpacaDataRange, user: User) async throws -> ([(String, AlpacaValue)], AlpacaValue) {
        var rows: [(String, AlpacaValue)] = []
        for chunk in symbols.chunked(into: AlpacaStockDataRoutes.symbolsPerRead) where rows.count < range.rowsNeeded {
            let bars = try await marketData.minuteBars(chunk, from: range.start, to: range.end, for: [user.id])
            for symbol in chunk {
                // A bar still open at `end` has not traded its close yet.
                let closed = (bars[symbol] ?? []).filter { $0.start.addingTimeInterval(60) <= range.end }
                rows += (range.descending ? closed.reversed() : closed).map { (symbol, AlpacaMarketDataBody.trade(from: $0)) }
            }
        }
        return range.page(rows)
    }

    /// One page of quotes, symbol by symbol, gathering only as many as the page needs.
    func quotes(_ symbols: [String], range: AlpacaDataRange, user: User) async throws -> ([(String, AlpacaValue)], AlpacaValue) {
        let instants = sessionMinutes(range)
        var rows: [(String, AlpacaValue)] = []
        for symbol in symbols where rows.count < range.rowsNeeded {
            for chunk in instants.chunked(into: 390) where rows.count < range.rowsNeeded {
                guard let history = try await marketData.quoteHistory(symbol, at: chunk, for: [user.id]) else {
                    throw AlpacaError(.notImplemented, "this market keeps no quote history; use /v2/stocks/quotes/latest")
                }
                for quote in history where quote.timestamp >= range.start && quote.timestamp < range.end {
                    // Chunks meet at one instant's quote, which must not count twice.
                    if case .some((symbol, let last)) = rows.last, last == AlpacaMarketDataBody.quote(quote) { continue }
                    rows.append((symbol, AlpacaMarketDataBody.quote(quote)))
                }
            }
        }
        return range.page(rows)
    }

    /// The end of every session minute in the range, in the asked order.
    func sessionMinutes(_ range: AlpacaDataRange) -> [Date] {
        let sessions = calendar.sessions(from: MarketDate(containing: range.start), through: MarketDate(containing: range.end))
        var minutes: [Date] = []
        for session in sessions {
            var instant = session.open.addingTimeInterval(60)
            while instant <= session.close, instant <= range.end {
                if instant > range.start { minutes.append(instant) }
                instant.addTimeInterval(60)
            }
        }
        return range.descending ? minutes.reversed() : minutes
    }

    /// `{SYM: [...]}` for the symbols that have rows on this page.
    static func grouped(_ rows: [(String, AlpacaValue)], symbols: [String]) -> [String: AlpacaValue] {
        var grouped: [String: AlpacaValue] = [:]
        for symbol in symbols {
            let list = rows.filter { $0.0 == symbol }.map(\.1)
            if !list.isEmpty { grouped[symbol] = .array(list) }
        }
        return grouped
    }
}
