import Foundation
import MBTDomain

/// The simulated price of an instrument at any minute of any session, computed directly from the
/// seed in a few dozen hash draws instead of by replaying the walk from some start date.
///
/// The path lives in log space around the base price and is built top-down, each level a Brownian
/// bridge between points the level above fixed:
///
/// 1. **Knots.** Every ``blockWeekdays`` weekdays (about two years) an independent normal level,
///    ½·σ wide. Knots do not depend on each other, which is what keeps prices from drifting to zero
///    or infinity over a century: the walk reverts to the base price at this time scale.
/// 2. **Day closes.** Between two knots the closes are a Brownian bridge with the instrument's daily
///    volatility, filled in by bisection (Lévy's construction): the close of weekday `w` is found by
///    halving the block down to `w`, nine draws. Weekdays, not trading days, index the walk, so the
///    index is arithmetic; a holiday's close exists but is never shown.
/// 3. **The session.** The open is the previous trading day's close plus an overnight gap; the
///    minutes from open to close are again a Brownian bridge by bisection, so the price at one
///    minute costs about nine draws and a whole session about one per minute.
///
/// The corporate-action sawtooths (``SimulatedCorporateActions``) are added per session, so splits
/// and ex-dividend drops show up at the open of their ex-date. All of this is model arithmetic in
/// `Double`; prices become ``Decimal6`` on the cent grid only at the edge, in ``cents(_:)``.
struct SimulatedPricePath: Sendable {
    let noise: SimulatedNoise
    let calendar: NYSECalendar
    let corporateActions: SimulatedCorporateActions

    /// Weekdays between independent knots, a power of two so the bisection lands on every weekday.
    static let blockWeekdays = 512
    static let tradingDaysPerYear = 252.0
    /// A regular session's minutes: the intraday variance is spread over these even on early closes.
    static let regularSessionMinutes = 390.0
    /// The knots' standard deviation per unit of annual volatility.
    static let knotDeviationPerVolatility = 0.5
    /// The overnight gap's standard deviation as a share of a day's.
    static let gapShareOfDailyDeviation = 0.3
    /// How far a minute bar's high and low reach beyond its open and close, in minute deviations.
    static let wickShareOfMinuteDeviation = 0.5

    init(seed: UInt64, calendar: NYSECalendar) {
        self.noise = SimulatedNoise(seed: seed)
        self.calendar = calendar
        self.corporateActions = SimulatedCorporateActions(calendar: calendar)
    }

    /// What every instrument's path on one session shares, computed once per session.
    struct Day: Sendable {
        let session: TradingSession
        let minutes: Int
        let weekdayIndex: Int
        let previousWeekdayIndex: Int

        /// The start of minute `minute`; `minutes` gives the close.
        func instant(ofMinute minute: Int) -> Date {
            session.open.addingTimeInterval(TimeInterval(60 * minute))
        }
    }

    /// Log prices relative to the base price at the open (minute 0) and the close (minute `minutes`).
    struct Anchors: Sendable {
        let open: Double
        let close: Double
    }

    func day(_ session: TradingSession) -> Day {
        Day(
            session: session,
            minutes: Int((session.close.timeIntervalSince(session.open) / 60).rounded()),
            weekdayIndex: Self.weekdayIndex(session.date),
            previousWeekdayIndex: Self.weekdayIndex(calendar.previousTradingDay(before: session.date)))
    }

    func anchors(_ instrument: SimulatedInstrument, _ day: Day) -> Anchors {
        let adjustment = corporateActions.logAdjustment(of: instrument, on: day.session.date)
        let gap = Self.gapShareOfDailyDeviation * instrument.dailyDeviation * noise.normal(.gap, instrument.pathKey, day.weekdayIndex)
        return Anchors(
            open: closeLevel(instrument, weekday: day.previousWeekdayIndex) + gap + adjustment,
            close: closeLevel(instrument, weekday: day.weekdayIndex) + adjustment)
    }

    /// The log price at the start of `minute` (0…`day.minutes`), by bisection down to it.
    func logPrice(_ instrument: SimulatedInstrument, _ day: Day, _ anchors: Anchors, minute: Int) -> Double {
        var (low, high) = (0, day.minutes)
        var (lowValue, highValue) = (anchors.open, anchors.close)
        while true {
            if minute == low { return lowValue }
            if minute == high { return highValue }
            let middle = (low + high) / 2
            let value = intradayMidpoint(instrument, day, low, high, lowValue, highValue)
            if minute < middle {
                (high, highValue) = (middle, value)
            } else {
                (low, lowValue) = (middle, value)
            }
        }
    }

    /// The log price at the start of every minute of the session and at its close, `minutes + 1`
    /// values, through the same bisection as ``logPrice(_:_:_:minute:)`` so the two agree exactly.
    func logPrices(_ instrument: SimulatedInstrument, _ day: Day, _ anchors: Anchors) -> [Double] {
        var values = [Double](repeating: 0, count: day.minutes + 1)
        values[0] = anchors.open
        values[day.minutes] = anchors.close
        fill(&values, instrument, day, 0, day.minutes)
        return values
    }

    /// The price for a log price: the base price scaled, in dollars.
    func price(_ instrument: SimulatedInstrument, logPrice: Double) -> Double {
        instrument.baseValue * exp(logPrice)
    }

    /// A dollar price on the cent grid, never below one cent; where the path's doubles become money.
    static func cents(_ dollars: Double) -> Decimal6 {
        let cents = (dollars * 100).rounded(.toNearestOrEven)
        let bounded = cents.isFinite ? min(max(cents, 1), 1e12) : 1
        return Decimal6(micros: Int64(bounded) * 10_000)
    }

    /// Weekdays (Monday–Friday) since Monday 1969-12-29, increasing by one per weekday.
    static func weekdayIndex(_ date: MarketDate) -> Int {
        let daysSinceMonday = date.daysSinceEpoch + 3
        let weeks = Int((Double(daysSinceMonday) / 7).rounded(.down))
        return weeks * 5 + min(daysSinceMonday - weeks * 7, 5)
    }

    // MARK: - Levels

    /// The log close of weekday `weekday` before corporate adjustments.
    private func closeLevel(_ instrument: SimulatedInstrument, weekday: Int) -> Double {
        let block = Int((Double(weekday) / Double(Self.blockWeekdays)).rounded(.down))
        var (low, high) = (block * Self.blockWeekdays, (block + 1) * Self.blockWeekdays)
        var (lowValue, highValue) = (knot(instrument, block), knot(instrument, block + 1))
        while true {
            if weekday == low { return lowValue }
            if weekday == high { return highValue }
            let middle = (low + high) / 2
            // Bridge midpoint over a power-of-two span: variance σ²·span/4.
            let deviation = instrument.dailyDeviation * Double(high - low).squareRoot() / 2
            let value = (lowValue + highValue) / 2 + deviation * noise.normal(.daily, instrument.pathKey, middle)
            if weekday < middle {
                (high, highValue) = (middle, value)
            } else {
                (low, lowValue) = (middle, value)
            }
        }
    }

    private func knot(_ instrument: SimulatedInstrument, _ block: Int) -> Double {
        let deviation = Self.knotDeviationPerVolatility * instrument.dailyDeviation * Self.tradingDaysPerYear.squareRoot()
        return deviation * noise.normal(.knot, instrument.pathKey, block)
    }

    /// The bridge's value at the middle of `[low, high]` given its ends: the linear interpolation plus
    /// a draw with the conditional variance σ²·(m−l)(h−m)/(h−l).
    private func intradayMidpoint(
        _ instrument: SimulatedInstrument, _ day: Day, _ low: Int, _ high: Int, _ lowValue: Double, _ highValue: Double
    ) -> Double {
        let middle = (low + high) / 2
        let span = Double(high - low)
        let weight = Double(middle - low) / span
        let minuteDeviation = instrument.dailyDeviation / Self.regularSessionMinutes.squareRoot()
        let deviation = minuteDeviation * (Double(middle - low) * Double(high - middle) / span).squareRoot()
        let draw = noise.normal(.intraday, instrument.pathKey, day.weekdayIndex, middle)
        return lowValue + (highValue - lowValue) * weight + deviation * draw
    }

    private func fill(_ values: inout [Double], _ instrument: SimulatedInstrument, _ day: Day, _ low: Int, _ high: Int) {
        guard high - low > 1 else { return }
        let middle = (low + high) / 2
        values[middle] = intradayMidpoint(instrument, day, low, high, values[low], values[high])
        fill(&values, instrument, day, low, middle)
        fill(&values, instrument, day, middle, high)
    }

    // MARK: - Bars

    /// The bar of `minute` from the log prices at its start and end, with high and low reaching a
    /// little beyond them and a volume shaped like a real session's (heavier at the open and close).
    func bar(_ instrument: SimulatedInstrument, _ day: Day, minute: Int, from startLog: Double, to endLog: Double) -> Bar {
        let open = price(instrument, logPrice: startLog)
        let close = price(instrument, logPrice: endLog)
        let reach = Self.wickShareOfMinuteDeviation * instrument.dailyDeviation / Self.regularSessionMinutes.squareRoot()
        let up = abs(noise.normal(.wickHigh, instrument.pathKey, day.weekdayIndex, minute)) * reach
        let down = abs(noise.normal(.wickLow, instrument.pathKey, day.weekdayIndex, minute)) * reach
        // Rounding to the cent is monotonic, so the order of the doubles survives it.
        let openCents = Self.cents(open)
        let closeCents = Self.cents(close)
        let high = max(Self.cents(max(open, close) * (1 + up)), openCents, closeCents)
        let low = min(Self.cents(min(open, close) * (1 - min(down, 0.5))), openCents, closeCents)
        return Bar(
            symbol: instrument.symbol, start: day.instant(ofMinute: minute), open: openCents, high: high, low: low,
            close: closeCents, volume: volume(instrument, day, minute: minute))
    }

    /// Shares traded in the minute: about $10M a minute at mid-session, 2.5× that at the edges; none for an index.
    private func volume(_ instrument: SimulatedInstrument, _ day: Day, minute: Int) -> Int64 {
        guard instrument.kind != .index else { return 0 }
        let position = 2 * (Double(minute) + 0.5) / Double(day.minutes) - 1
        let shape = 1 + 1.5 * position * position
        let shares = 10_000_000 / instrument.baseValue * shape * (0.5 + noise.unit(.volume, instrument.pathKey, day.weekdayIndex, minute))
        return max(1, Int64(shares.rounded()))
    }
}
