import Foundation
import MBTDomain

/// Alpaca's bar `timeframe` over MBT's one-minute bars (docs/alpaca-api.md, "Market data"):
/// `NMin` (1–59) and `NHour` (1–23) buckets aligned to the epoch (so to the clock's minutes and
/// hours), `1Day` buckets per New York trading date stamped at that date's midnight, as Alpaca
/// stamps daily bars; `1Week` (Monday to Sunday) and `NMonth` (N of 1, 2, 3, 6, 12: calendar
/// months counted from January) buckets of New York dates, each stamped at the midnight of the
/// first trading day that has bars in it, so a week starting on a holiday starts on the Tuesday.
enum AlpacaTimeframe: Equatable {
    case minutes(Int)
    case day
    case week
    case months(Int)

    /// Alpaca's month multiples.
    static let monthMultiples: Set<Int> = [1, 2, 3, 6, 12]

    /// Whether buckets span several days, which needs the longer range of bars.
    var isLong: Bool {
        switch self {
        case .week, .months: true
        case .minutes, .day: false
        }
    }

    init(parsing text: String) throws {
        let digits = text.prefix { $0.isNumber }
        let unit = text.dropFirst(digits.count)
        guard let amount = Int(digits), amount >= 1 else { throw Self.invalid(text) }
        switch unit {
        case "Min", "T":
            guard amount <= 59 else { throw Self.invalid(text) }
            self = .minutes(amount)
        case "Hour", "H":
            guard amount <= 23 else { throw Self.invalid(text) }
            self = .minutes(amount * 60)
        case "Day", "D":
            guard amount == 1 else { throw Self.invalid(text) }
            self = .day
        case "Week", "W":
            guard amount == 1 else { throw Self.invalid(text) }
            self = .week
        case "Month", "M":
            guard Self.monthMultiples.contains(amount) else { throw Self.invalid(text) }
            self = .months(amount)
        default:
            throw Self.invalid(text)
        }
    }

    private static func invalid(_ text: String) -> AlpacaError {
        AlpacaError.validation(
            "timeframe must be like 1Min (1-59), 1Hour (1-23), 1Day, 1Week or 1Month (1, 2, 3, 6 or 12) (got \(text.prefix(20)))")
    }

    /// The bucket a minute bar belongs to: its start instant for minutes and days; for weeks and
    /// months the midnight of the bucket's first calendar day (the stamp is its first bar's day).
    func bucket(of start: Date) -> Date {
        switch self {
        case .minutes(let size):
            let seconds = Int64(start.timeIntervalSince1970.rounded(.down))
            let width = Int64(size) * 60
            return Date(timeIntervalSince1970: TimeInterval(seconds - ((seconds % width) + width) % width))
        case .day:
            return MarketDate(containing: start).at(hour: 0, minute: 0)
        case .week:
            let date = MarketDate(containing: start)
            let monday = 2
            return date.adding(days: -((date.weekday - monday + 7) % 7)).at(hour: 0, minute: 0)
        case .months(let size):
            let date = MarketDate(containing: start)
            let month = (date.month - 1) / size * size + 1
            return (MarketDate(year: date.year, month: month, day: 1) ?? date).at(hour: 0, minute: 0)
        }
    }

    /// The start a bucket's bar is stamped with.
    private func stamp(_ group: [Bar], bucket: Date) -> Date {
        isLong ? MarketDate(containing: group[0].start).at(hour: 0, minute: 0) : bucket
    }

    /// `bars` (one symbol's, oldest first) aggregated into this timeframe.
    func aggregate(_ bars: [Bar]) -> [Bar] {
        if self == .minutes(1) { return bars }
        var result: [Bar] = []
        var group: [Bar] = []
        var current: Date?
        for bar in bars {
            let bucket = bucket(of: bar.start)
            if bucket != current, !group.isEmpty, let current {
                result.append(Self.merge(group, at: stamp(group, bucket: current)))
                group.removeAll()
            }
            current = bucket
            group.append(bar)
        }
        if let current, !group.isEmpty { result.append(Self.merge(group, at: stamp(group, bucket: current))) }
        return result
    }

    /// One bar from several: first open, highest high, lowest low, last close, summed volume; the
    /// trade count and VWAP only when every part has them.
    static func merge(_ bars: [Bar], at start: Date) -> Bar {
        let volume = bars.reduce(Int64(0)) { $0 + $1.volume }
        let counts = bars.compactMap(\.tradeCount)
        var vwap: Decimal6?
        if bars.allSatisfy({ $0.vwap != nil }), volume > 0 {
            let weighted = try? bars.reduce(Decimal6.zero) { total, bar in try total + bar.vwap!.multiplied(by: bar.volume) }
            vwap = try? weighted?.divided(by: volume)
        }
        return Bar(
            symbol: bars[0].symbol, start: start, open: bars[0].open, high: bars.map(\.high).max()!, low: bars.map(\.low).min()!,
            close: bars[bars.count - 1].close, volume: volume, tradeCount: counts.count == bars.count ? counts.reduce(0, +) : nil,
            vwap: vwap)
    }
}
