import Foundation
import MBTDomain
import MBTMarketData

/// The plan of one bar-loop walk over the held symbols: from each symbol's first unwalked minute
/// up to the last published one, every session bar in bar order, with each session close passed
/// on the way placed after the bars before it (where DAY orders expire). Live, a walk is one
/// minute; after downtime it is the catch-up.
struct CatchUpWalk {
    /// Each symbol's first minute not walked yet.
    let firstMinute: [String: Date]
    /// Bars starting at or after this are not published yet.
    let end: Date
    let calendar: NYSECalendar

    enum Step {
        case close(Date)
        case minute(Date, [Bar])

        var instant: Date {
            switch self {
            case .close(let instant), .minute(let instant, _): instant
            }
        }
    }

    private var earliest: Date? { firstMinute.values.min() }

    /// The session bars of the held symbols in the walk's window.
    func bars(from marketData: MarketDataService) async throws -> [Bar] {
        guard let earliest else { return [] }
        let from = calendar.session(containing: earliest) != nil ? earliest : calendar.nextSessionOpen(after: earliest).open
        guard from < end else { return [] }
        let fetched = try await marketData.minuteBars(Array(firstMinute.keys), from: from, to: end, for: [])
        return fetched.flatMap { symbol, bars in
            bars.filter { bar in
                guard let first = firstMinute[symbol] else { return false }
                return bar.start >= first && bar.start < end && calendar.session(containing: bar.start) != nil
            }
        }
    }

    /// The walk's minutes in bar order, closes among them.
    func steps(_ bars: [Bar]) -> [Step] {
        guard let earliest else { return [] }
        return Self.steps(bars: bars, closes: closes(after: earliest))
    }

    static func steps(bars: [Bar], closes: [Date]) -> [Step] {
        let minutes = Dictionary(grouping: bars, by: \.start).map { Step.minute($0.key, $0.value.sorted { $0.symbol < $1.symbol }) }
        return (minutes + closes.map(Step.close)).sorted { $0.instant < $1.instant }
    }

    /// Session closes in `(after, end]`.
    private func closes(after start: Date) -> [Date] {
        guard start < end else { return [] }
        return calendar.sessions(from: MarketDate(containing: start), through: MarketDate(containing: end)).map(\.close)
            .filter { $0 > start && $0 <= end }
    }
}
