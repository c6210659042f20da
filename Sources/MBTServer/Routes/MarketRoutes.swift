import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData

/// Market data for people and programs: quotes, bars, option chains, the market clock and the
/// exchange calendar. Every data route records an access row for the caller.
struct MarketRoutes {
    let marketData: MarketDataService
    let calendar: NYSECalendar

    static let maximumSymbols = 100
    static let maximumBarSymbols = 50
    static let maximumBarRange: TimeInterval = 5 * 86_400
    static let maximumCalendarDays = 3_660

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/api/market/quotes") { request, context in
            let user = try context.requireUser()
            let symbols = try Self.symbols(request, limit: Self.maximumSymbols)
            let quotes = try await marketData.quotes(symbols, for: [user.id])
            try Self.requireKnown(symbols, found: Set(quotes.keys))
            return QuotesResponse(quotes: quotes.mapValues(QuoteBody.init))
        }
        routes.on(.get, "/api/market/bars") { request, context in
            let user = try context.requireUser()
            let symbols = try Self.symbols(request, limit: Self.maximumBarSymbols)
            let start = try Self.instant(request, "start")
            let end = try Self.instant(request, "end")
            guard start < end else { throw APIError.validation("start must be before end") }
            guard end.timeIntervalSince(start) <= Self.maximumBarRange else {
                throw APIError.validation("range too large: at most 5 days of one-minute bars per request")
            }
            let bars = try await marketData.minuteBars(symbols, from: start, to: end, for: [user.id])
            return BarsResponse(bars: bars)
        }
        routes.on(.get, "/api/market/options/chain") { request, context in
            let user = try context.requireUser()
            let underlying = try Self.symbol(request.uri.queryParameters.get("underlying"), name: "underlying")
            guard let expiryText = request.uri.queryParameters.get("expiry"), let expiry = MarketDate(iso: expiryText) else {
                throw APIError.validation("expiry must be a date as YYYY-MM-DD")
            }
            let chain = try await marketData.optionChain(underlying: underlying, expiry: expiry, for: [user.id])
            guard !chain.isEmpty else {
                throw APIError(
                    status: .notFound, code: "no_option_chain", message: "no \(underlying) options expire on \(expiry)")
            }
            return ChainResponse(underlying: underlying, expiry: expiry, contracts: chain.map(ContractBody.init))
        }
        routes.on(.get, "/api/market/clock") { _, _ in
            MarketClockBody(now: marketData.clock.now(), calendar: calendar)
        }
        routes.on(.get, "/api/market/calendar") { request, _ in
            let today = MarketDate(containing: marketData.clock.now())
            let start = try Self.date(request, "start") ?? today
            let end = try Self.date(request, "end") ?? start.adding(days: 30)
            guard start <= end else { throw APIError.validation("start must not be after end") }
            guard start.year >= 2000, end.year <= 2100 else { throw APIError.validation("the calendar covers 2000 to 2100") }
            guard end.daysSinceEpoch - start.daysSinceEpoch <= Self.maximumCalendarDays else {
                throw APIError.validation("range too large: at most 10 years per request")
            }
            return CalendarBody(days: calendar.sessions(from: start, through: end).map { CalendarDay($0, calendar: calendar) })
        }
    }

    // MARK: - Input

    private static func symbols(_ request: Request, limit: Int) throws -> [String] {
        guard let list = request.uri.queryParameters.get("symbols"), !list.isEmpty else {
            throw APIError.validation("symbols is required, e.g. symbols=AAPL,MSFT")
        }
        let symbols = try list.split(separator: ",", omittingEmptySubsequences: false).map { try symbol(String($0), name: "symbols") }
        guard symbols.count <= limit else { throw APIError.validation("at most \(limit) symbols per request") }
        return Array(Set(symbols)).sorted()
    }

    private static func symbol(_ text: String?, name: String) throws -> String {
        guard let text, !text.isEmpty else { throw APIError.validation("\(name) is required") }
        switch MarketSymbol.normalize(text) {
        case .success(let symbol): return symbol
        case .failure(let error): throw APIError(status: .badRequest, code: "invalid_symbol", message: error.description)
        }
    }

    private static func requireKnown(_ symbols: [String], found: Set<String>) throws {
        let unknown = symbols.filter { !found.contains($0) }
        guard unknown.isEmpty else {
            throw APIError(status: .notFound, code: "unknown_symbol", message: "unknown symbol(s): \(unknown.joined(separator: ", "))")
        }
    }

    private static func instant(_ request: Request, _ name: String) throws -> Date {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else {
            throw APIError.validation("\(name) is required, as an RFC 3339 instant such as 2026-03-20T13:30:00Z")
        }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw APIError.validation("\(name) '\(text.prefix(40))' is not an RFC 3339 instant such as 2026-03-20T13:30:00Z")
        }
        return date
    }

    private static func date(_ request: Request, _ name: String) throws -> MarketDate? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = MarketDate(iso: text) else { throw APIError.validation("\(name) must be a date as YYYY-MM-DD") }
        return date
    }
}
