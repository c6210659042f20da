import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData

/// JSON bodies of the market routes. Decimals are strings; instants are RFC 3339 in UTC except
/// the clock and calendar, which follow Alpaca's `/v2/clock` and `/v2/calendar` (New York time).
struct QuotesResponse: ResponseEncodable {
    let quotes: [String: QuoteBody]
}

struct QuoteBody: Encodable {
    let symbol: String
    let bid: Decimal6
    let ask: Decimal6
    let bidSize: Int64
    let askSize: Int64
    let mid: Decimal6
    let timestamp: Date

    init(_ quote: Quote) {
        symbol = quote.symbol
        bid = quote.bid
        ask = quote.ask
        bidSize = quote.bidSize
        askSize = quote.askSize
        mid = quote.mid
        timestamp = quote.timestamp
    }
}

struct BarsResponse: ResponseEncodable {
    let bars: [String: [Bar]]
}

struct ChainResponse: ResponseEncodable {
    let underlying: String
    let expiry: MarketDate
    let contracts: [ContractBody]
}

struct ContractBody: Encodable {
    let symbol: String
    let right: String
    let strike: Decimal6
    let expiry: MarketDate
    let bid: Decimal6?
    let ask: Decimal6?
    let mid: Decimal6?
    let delta: Decimal6?
    let gamma: Decimal6?
    let theta: Decimal6?
    let vega: Decimal6?
    let impliedVolatility: Decimal6?

    init(_ entry: OptionChainEntry) {
        symbol = entry.symbol.description
        right = entry.symbol.right == .call ? "call" : "put"
        strike = entry.symbol.strike
        expiry = entry.symbol.expiry
        bid = entry.quote?.bid
        ask = entry.quote?.ask
        mid = entry.quote?.mid
        delta = entry.delta
        gamma = entry.gamma
        theta = entry.theta
        vega = entry.vega
        impliedVolatility = entry.impliedVolatility
    }
}

/// Alpaca's `/v2/clock`: instants in New York time with their offset.
struct MarketClockBody: ResponseEncodable {
    let timestamp: String
    let isOpen: Bool
    let nextOpen: String
    let nextClose: String

    init(now: Date, calendar: NYSECalendar) {
        let current = calendar.session(containing: now)
        let next = calendar.nextSessionOpen(after: now)
        timestamp = NewYorkTime.timestamp(now, fractional: true)
        isOpen = current != nil
        nextOpen = NewYorkTime.timestamp(next.open, fractional: false)
        nextClose = NewYorkTime.timestamp((current ?? next).close, fractional: false)
    }
}

/// Alpaca's `/v2/calendar`: a bare array of days, times as `HH:MM` New York time.
struct CalendarBody: ResponseGenerator {
    let days: [CalendarDay]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try context.responseEncoder.encode(days, from: request, context: context)
    }
}

struct CalendarDay: Encodable {
    let date: MarketDate
    let open: String
    let close: String
    let sessionOpen: String
    let sessionClose: String
    let settlementDate: MarketDate

    init(_ session: TradingSession, calendar: NYSECalendar) {
        date = session.date
        open = NewYorkTime.hourMinute(session.open)
        close = NewYorkTime.hourMinute(session.close)
        sessionOpen = "0400"
        sessionClose = "2000"
        // US equities settle T+1 (since 2024-05-28).
        settlementDate = calendar.nextTradingDay(after: session.date)
    }
}

/// Formats instants in the exchange's time zone.
enum NewYorkTime {
    static func timestamp(_ date: Date, fractional: Bool) -> String {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: fractional, timeZone: MarketDate.newYork)
        style = style.year().month().day().time(includingFractionalSeconds: fractional).timeZone(separator: .colon)
        return date.formatted(style)
    }

    static func hourMinute(_ date: Date) -> String {
        let parts = MarketDate.calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
