import MBTDomain

/// The equity curve drawn on the server as inline SVG: the end-of-day snapshots of a range plus
/// today's live point, with the starting balance as a reference line and each point's value as a
/// hover title. Coordinates are computed from the exact values in integer arithmetic.
struct EquityCurve {
    struct Point: Equatable {
        let date: MarketDate
        let equity: Decimal6
    }

    /// The ranges a user can pick, and how many days back each reaches (`nil`: everything).
    enum Range: String, CaseIterable {
        case week = "1w"
        case month = "1m"
        case quarter = "3m"
        case year = "1y"
        case all = "all"

        var label: String {
            switch self {
            case .week: "1W"
            case .month: "1M"
            case .quarter: "3M"
            case .year: "1Y"
            case .all: "All"
            }
        }

        var days: Int? {
            switch self {
            case .week: 7
            case .month: 31
            case .quarter: 92
            case .year: 366
            case .all: nil
            }
        }

        /// The first date the range shows, counting back from `today`.
        func start(today: MarketDate) -> MarketDate {
            days.map { today.adding(days: -$0) } ?? MarketDate(year: 1970, month: 1, day: 2)!
        }
    }

    static let width: Int128 = 640
    static let height: Int128 = 220
    static let padding: Int128 = 14

    let points: [Point]
    let startingBalance: Decimal6
    let range: Range

    /// The snapshots with today's live point put last (replacing a snapshot of the same day).
    static func points(snapshots: [(MarketDate, Decimal6)], today: MarketDate, liveEquity: Decimal6) -> [Point] {
        snapshots.filter { $0.0 < today }.map { Point(date: $0.0, equity: $0.1) } + [Point(date: today, equity: liveEquity)]
    }

    /// A plain-language description of the curve, for screen readers.
    var summary: String {
        guard let first = points.first, let last = points.last else { return "No equity history yet." }
        return "Equity from \(WebFormat.money(first.equity)) on \(first.date) to \(WebFormat.money(last.equity)) on \(last.date); "
            + "starting balance \(WebFormat.money(startingBalance))."
    }

    var svg: String {
        let values = points.map(\.equity.micros) + [startingBalance.micros]
        var low = Int128(values.min() ?? 0)
        var high = Int128(values.max() ?? 0)
        if high - low < 2 * Int128(Decimal6.microsPerUnit) {
            // A flat curve: give it a few dollars of room so it sits mid-height.
            low -= 2 * Int128(Decimal6.microsPerUnit)
            high += 2 * Int128(Decimal6.microsPerUnit)
        }
        let firstDay = Int128(points.first?.date.daysSinceEpoch ?? 0)
        let lastDay = Int128(points.last?.date.daysSinceEpoch ?? 0)
        let span = max(lastDay - firstDay, 1)
        let plotWidth = Self.width - 2 * Self.padding
        let plotHeight = Self.height - 2 * Self.padding
        func x(_ date: MarketDate) -> Int128 {
            guard points.count > 1 else { return Self.width / 2 }
            return Self.padding + (Int128(date.daysSinceEpoch) - firstDay) * plotWidth / span
        }
        func y(_ value: Decimal6) -> Int128 {
            Self.padding + (high - Int128(value.micros)) * plotHeight / (high - low)
        }
        let titleText = HTMLText.escape("Equity curve, \(range.label)")
        var svg =
            "<svg class=\"curve\" viewBox=\"0 0 \(Self.width) \(Self.height)\" role=\"img\" aria-labelledby=\"curve-title curve-desc\">"
        svg += "<title id=\"curve-title\">\(titleText)</title><desc id=\"curve-desc\">\(HTMLText.escape(summary))</desc>"
        let base = y(startingBalance)
        svg += "<line class=\"baseline\" x1=\"\(Self.padding)\" y1=\"\(base)\" x2=\"\(Self.width - Self.padding)\" y2=\"\(base)\">"
        svg += "<title>\(HTMLText.escape("Starting balance \(WebFormat.money(startingBalance))"))</title></line>"
        if points.count > 1 {
            let line = points.map { "\(x($0.date)),\(y($0.equity))" }.joined(separator: " ")
            svg += "<polyline class=\"equity\" points=\"\(line)\"/>"
        }
        for (index, point) in points.enumerated() {
            let live = index == points.count - 1
            let label = "\(point.date)\(live ? " (now)" : ""): \(WebFormat.money(point.equity))"
            svg +=
                "<circle class=\"\(live ? "point live" : "point")\" cx=\"\(x(point.date))\" cy=\"\(y(point.equity))\" r=\"\(live ? 5 : 3)\">"
            svg += "<title>\(HTMLText.escape(label))</title></circle>"
        }
        svg += "</svg>"
        return svg
    }
}
