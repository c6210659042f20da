import Foundation
import MBTDomain

/// The simulated market's corporate-action calendar, a fixed rule per year so that any year is
/// answered without a table, and the price adjustments that make the path honour it.
///
/// - Quarterly cash dividends for every stock and ETF with a dividend yield: a quarter of the yield
///   on the base price, on the cent. The ex-date is a fixed weekday of a fixed week of February, May,
///   August and November, both picked per symbol from its stable hash (so payers spread over the
///   month), moved to the next trading day when the exchange is shut; payable two weeks later.
/// - One 2-for-1 forward split a year, rotating over ``splitRotation`` (`year % 5`: 2026 is NVDA),
///   ex-date the first trading day on or after June 10th.
///
/// The prices agree with both: between two events the path carries a log ramp that climbs by
/// exactly the event's drop and falls back at the ex-date (a sawtooth centred on zero, so the base
/// price stays the median). A split name thus grows 2× over its five years — about 14 % a year,
/// like the growth names that really split — and halves on the ex-date; a dividend payer accrues
/// the dividend over the quarter and opens that much lower on the ex-date.
struct SimulatedCorporateActions: Sendable {
    let calendar: NYSECalendar

    static let dividendMonths = [2, 5, 8, 11]
    /// The stock that splits in `year` is `splitRotation[year % 5]`.
    static let splitRotation = ["AMZN", "NVDA", "TSLA", "NFLX", "AMD"]
    static let splitNewRate: Int64 = 2
    static let splitOldRate: Int64 = 1
    static let splitMonth = 6
    static let splitDay = 10
    static let payableDelayDays = 14

    // MARK: Calendar

    /// The cash dividend per share each quarter, or `nil` for an instrument that pays none.
    func quarterlyDividend(of instrument: SimulatedInstrument) -> Decimal6? {
        guard instrument.kind != .index, instrument.dividendYield.isPositive else { return nil }
        let annual = Int128(instrument.basePrice.micros) * Int128(instrument.dividendYield.micros) / Int128(Decimal6.microsPerUnit)
        let quarterly = Decimal6(micros: Int64(annual / 4)).rounded(toPlaces: 2)
        return max(quarterly, BlackScholes.minimumTick)
    }

    /// The four ex-dates of `year`, in order.
    func dividendExDates(of instrument: SimulatedInstrument, year: Int) -> [MarketDate] {
        let hash = SimulatedNoise.stableHash(instrument.symbol)
        let week = 1 + Int(hash % 3)
        let weekday = 2 + Int((hash / 3) % 5)  // Monday … Friday
        return Self.dividendMonths.map { month in
            let first = MarketDate(year: year, month: month, day: 1)!
            let nominal = first.adding(days: (weekday - first.weekday + 7) % 7 + 7 * (week - 1))
            return onOrAfter(nominal)
        }
    }

    /// The ex-date of `year`'s split, whoever's it is.
    func splitExDate(year: Int) -> MarketDate {
        onOrAfter(MarketDate(year: year, month: Self.splitMonth, day: Self.splitDay)!)
    }

    /// Where `symbol` sits in the rotation, i.e. `year % 5` of its split years; `nil` if it never splits.
    func splitSlot(of symbol: String) -> Int? {
        Self.splitRotation.firstIndex(of: symbol)
    }

    /// Every action of `instrument` with an ex-date in `year`.
    func actions(of instrument: SimulatedInstrument, year: Int) -> [CorporateAction] {
        var actions: [CorporateAction] = []
        if let rate = quarterlyDividend(of: instrument) {
            for exDate in dividendExDates(of: instrument, year: year) {
                actions.append(
                    .cashDividend(
                        id: "sim-div-\(instrument.symbol)-\(exDate)", symbol: instrument.symbol, rate: rate, exDate: exDate,
                        payableDate: onOrAfter(exDate.adding(days: Self.payableDelayDays))))
            }
        }
        if let slot = splitSlot(of: instrument.symbol), Self.positiveModulo(year, Self.splitRotation.count) == slot {
            let exDate = splitExDate(year: year)
            actions.append(
                .split(
                    id: "sim-split-\(instrument.symbol)-\(exDate)", symbol: instrument.symbol,
                    newRate: Decimal6(Int(Self.splitNewRate)), oldRate: Decimal6(Int(Self.splitOldRate)), exDate: exDate))
        }
        return actions
    }

    // MARK: Price adjustment

    /// The log-price offset on `date`'s session from the sawtooths of the instrument's dividends and
    /// splits; zero for an instrument without either.
    func logAdjustment(of instrument: SimulatedInstrument, on date: MarketDate) -> Double {
        var adjustment = 0.0
        if let rate = quarterlyDividend(of: instrument) {
            // The drop a dividend of `rate` makes in a price of `basePrice`, in log terms.
            let relative = Double(rate.micros) / Double(instrument.basePrice.micros)
            let years = (date.year - 1)...(date.year + 1)
            let exDates = years.flatMap { dividendExDates(of: instrument, year: $0) }
            if let next = exDates.firstIndex(where: { $0 > date }), next > 0 {
                adjustment += -log(1 - relative) * Self.sawtooth(date, from: exDates[next - 1], to: exDates[next])
            }
        }
        if let slot = splitSlot(of: instrument.symbol) {
            let period = Self.splitRotation.count
            var year = date.year - Self.positiveModulo(date.year - slot, period)
            if splitExDate(year: year) > date { year -= period }
            let ratio = Double(Self.splitNewRate) / Double(Self.splitOldRate)
            adjustment += log(ratio) * Self.sawtooth(date, from: splitExDate(year: year), to: splitExDate(year: year + period))
        }
        return adjustment
    }

    /// −½ on the ex-date `start`, rising linearly by calendar day to just under +½ before `end`.
    private static func sawtooth(_ date: MarketDate, from start: MarketDate, to end: MarketDate) -> Double {
        Double(date.daysSinceEpoch - start.daysSinceEpoch) / Double(end.daysSinceEpoch - start.daysSinceEpoch) - 0.5
    }

    private func onOrAfter(_ date: MarketDate) -> MarketDate {
        calendar.isTradingDay(date) ? date : calendar.nextTradingDay(after: date)
    }

    static func positiveModulo(_ value: Int, _ divisor: Int) -> Int {
        ((value % divisor) + divisor) % divisor
    }
}
