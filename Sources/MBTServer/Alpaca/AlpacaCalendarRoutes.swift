import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData

/// `GET /v2/clock` and `GET /v2/calendar`: the market's clock (simulated, replayed or real time)
/// and the NYSE calendar, in the shapes `/api/market/clock` and `/api/market/calendar` already
/// answer (Alpaca's: New York times, `HH:MM` opens and closes), but with `/v2` errors.
struct AlpacaCalendarRoutes {
    let clock: any MarketClock
    let calendar: NYSECalendar

    static let maximumDays = 3_660

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/clock") { _, context in
            _ = try context.requireUser()
            return MarketClockBody(now: clock.now(), calendar: calendar)
        }
        routes.on(.get, "/v2/calendar") { request, context in
            _ = try context.requireUser()
            let query = AlpacaQuery(request)
            let today = MarketDate(containing: clock.now())
            let start = try query.date("start") ?? today
            let end = try query.date("end") ?? start.adding(days: 30)
            guard start <= end else { throw AlpacaError.validation("start must not be after end") }
            guard start.year >= 2000, end.year <= 2100 else { throw AlpacaError.validation("the calendar covers 2000 to 2100") }
            guard end.daysSinceEpoch - start.daysSinceEpoch <= Self.maximumDays else {
                throw AlpacaError.validation("range too large: at most 10 years per request")
            }
            return CalendarBody(days: calendar.sessions(from: start, through: end).map { CalendarDay($0, calendar: calendar) })
        }
    }
}
