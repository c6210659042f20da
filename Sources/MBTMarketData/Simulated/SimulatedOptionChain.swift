import Foundation
import MBTDomain

/// Which option contracts the simulated market lists and how it quotes them.
///
/// **Expiries.** Every Friday (weeklies) and the third Friday of each month (monthlies); when the
/// Friday is a holiday the expiry is the trading day before it, as the exchanges do. A chain is
/// listed for weeklies up to ``weeklyHorizonDays`` ahead and monthlies up to ``monthlyHorizonDays``
/// ahead; an expiry stops trading at its session's close (16:00, or 13:00 on an early close).
///
/// **Roots.** Stocks and ETFs use their ticker. SPX, NDX and RUT use the monthly root on the third
/// Friday and the PM-settled weekly root (SPXW, NDXP, RUTW) otherwise, as listed in reality; XSP uses
/// XSP throughout.
///
/// **Strikes.** The grid increment is fixed for indexes (SPX 5, NDX 25, XSP 1, RUT 5) and follows
/// the underlying's price for stocks and ETFs ($1 under $25, $2.50 under $100, $5 under $1000, $10
/// above). Around the at-the-money strike the chain lists ``strikesEachSide`` strikes each side (or
/// the lowest positive strikes, when there are not that many below),
/// spaced by the smallest multiple of the increment (1, 2, 4, 10, 20, 40, 100) that makes them
/// span about two standard deviations of the move to expiry, so a far expiry is not all at the money.
///
/// **Quotes.** Black–Scholes with the instrument's volatility (also reported as the implied
/// volatility), r = 4 % and its dividend yield, as of the underlying quote's instant; bid and ask
/// sit `max($0.05, 3 %)` apart around the model value, on the cent, with a bid of 0 when the value
/// is too small for a one-cent bid.
struct SimulatedOptionChain: Sendable {
    let calendar: NYSECalendar

    static let riskFreeRate: Decimal6 = "0.04"
    static let strikesEachSide = 15
    static let weeklyHorizonDays = 56
    static let monthlyHorizonDays = 730
    static let minimumSpread: Decimal6 = "0.05"
    /// Spread as a share of the model value, in micro-units of one (3 %).
    static let relativeSpreadMicros: Int64 = 30_000
    static let secondsPerYear: Int64 = 365 * 86_400

    static let indexStrikeIncrements: [String: Decimal6] = ["SPX": 5, "NDX": 25, "XSP": 1, "RUT": 5]
    static let weeklyRoots: [String: String] = ["SPX": "SPXW", "NDX": "NDXP", "RUT": "RUTW"]
    static let spacingMultiples: [Int64] = [1, 2, 4, 10, 20, 40, 100]

    // MARK: Expiries

    /// Whether options expire on `date`: a trading Friday, or the last trading day before a holiday Friday.
    func isExpiry(_ date: MarketDate) -> Bool {
        guard calendar.isTradingDay(date) else { return false }
        let friday = Self.friday(ofWeek: date)
        if date == friday { return true }
        return !calendar.isTradingDay(friday) && calendar.previousTradingDay(before: friday) == date
    }

    /// Whether an expiry is the month's standard one (its Friday is the third of the month).
    func isMonthly(_ expiry: MarketDate) -> Bool {
        (15...21).contains(Self.friday(ofWeek: expiry).day)
    }

    /// Whether a chain is listed for `expiry` at `now`: a valid expiry, not yet expired, within the horizon.
    func isListed(_ expiry: MarketDate, at now: Date) -> Bool {
        guard isExpiry(expiry), let close = expiryClose(expiry), now < close else { return false }
        let daysAhead = expiry.daysSinceEpoch - MarketDate(containing: now).daysSinceEpoch
        return daysAhead <= (isMonthly(expiry) ? Self.monthlyHorizonDays : Self.weeklyHorizonDays)
    }

    /// The instant trading in contracts of `expiry` ends.
    func expiryClose(_ expiry: MarketDate) -> Date? {
        calendar.session(on: expiry)?.close
    }

    /// The Friday of the Monday–Sunday week holding `date`.
    static func friday(ofWeek date: MarketDate) -> MarketDate {
        let daysSinceMonday = (date.weekday + 5) % 7
        return date.adding(days: 4 - daysSinceMonday)
    }

    // MARK: Listing

    func root(for instrument: SimulatedInstrument, expiry: MarketDate) -> String {
        if !isMonthly(expiry), let weekly = Self.weeklyRoots[instrument.symbol] { return weekly }
        return instrument.symbol
    }

    /// The grid every strike of the underlying lies on.
    func strikeIncrement(for instrument: SimulatedInstrument, spot: Decimal6) -> Decimal6 {
        if let increment = Self.indexStrikeIncrements[instrument.symbol] { return increment }
        switch spot {
        case ..<Decimal6(25): return 1
        case ..<Decimal6(100): return "2.5"
        case ..<Decimal6(1000): return 5
        default: return 10
        }
    }

    /// The listed strikes, lowest first: the at-the-money strike and ``strikesEachSide`` each side.
    func strikes(for instrument: SimulatedInstrument, spot: Decimal6, yearsToExpiry: Double) -> [Decimal6] {
        let increment = strikeIncrement(for: instrument, spot: spot).micros
        let volatility = Double(instrument.volatility.micros) / Double(Decimal6.microsPerUnit)
        let twoDeviations = 2 * Double(spot.micros) * volatility * max(yearsToExpiry, 0).squareRoot()
        let wanted = twoDeviations / Double(Self.strikesEachSide)
        let multiple = Self.spacingMultiples.first { Double($0 * increment) >= wanted } ?? Self.spacingMultiples.last!
        let spacing = multiple * increment
        let atTheMoney = (spot.micros + spacing / 2) / spacing * spacing
        // A cheap underlying has too few positive strikes below it: the window slides up instead of shrinking.
        let lowest = max(atTheMoney - Int64(Self.strikesEachSide) * spacing, spacing)
        return (0...2 * Self.strikesEachSide).map { Decimal6(micros: lowest + Int64($0) * spacing) }
    }

    // MARK: Quoting

    /// The years from `instant` to the expiry's close, on the model's 365-day year.
    static func yearsToExpiry(from instant: Date, to close: Date) -> Decimal6 {
        let seconds = Int64(close.timeIntervalSince(instant).rounded(.down))
        return Decimal6(micros: Int64(Int128(seconds) * Int128(Decimal6.microsPerUnit) / Int128(secondsPerYear)))
    }

    func inputs(
        _ instrument: SimulatedInstrument, right: OptionSymbol.Right, strike: Decimal6, spot: Decimal6, years: Decimal6
    ) -> BlackScholes.Inputs {
        BlackScholes.Inputs(
            right: right, spot: spot, strike: strike, yearsToExpiry: years, volatility: instrument.volatility,
            riskFreeRate: Self.riskFreeRate, dividendYield: instrument.dividendYield)
    }

    /// Bid and ask around the model value; sizes 1–20 contracts, drawn per contract and minute.
    func quote(
        _ symbol: OptionSymbol, inputs: BlackScholes.Inputs, timestamp: Date, noise: SimulatedNoise
    ) -> Quote {
        let value = BlackScholes.fairValue(inputs)
        let spread = max(Self.minimumSpread.micros, value.micros * Self.relativeSpreadMicros / Decimal6.microsPerUnit)
        let bid = Decimal6(micros: value.micros - spread / 2).rounded(toPlaces: 2, rule: .down)
        let ask = Decimal6(micros: value.micros + spread - spread / 2).rounded(toPlaces: 2, rule: .up)
        let minute = Int((timestamp.timeIntervalSince1970 / 60).rounded(.down))
        let sizes = noise.bits(.optionQuoteSize, SimulatedNoise.stableHash(symbol.description), minute)
        return Quote(
            symbol: symbol.description, bid: bid < BlackScholes.minimumTick ? .zero : bid, ask: max(ask, BlackScholes.minimumTick),
            bidSize: Int64(sizes % 20) + 1, askSize: Int64((sizes >> 32) % 20) + 1, timestamp: timestamp)
    }

    /// A chain row: the quote, the model's greeks and the volatility it was priced with.
    func entry(_ symbol: OptionSymbol, inputs: BlackScholes.Inputs, timestamp: Date, noise: SimulatedNoise) -> OptionChainEntry {
        let greeks = BlackScholes.greeks(inputs)
        return OptionChainEntry(
            symbol: symbol, quote: quote(symbol, inputs: inputs, timestamp: timestamp, noise: noise), delta: greeks.delta,
            gamma: greeks.gamma, theta: greeks.theta, vega: greeks.vega, rho: greeks.rho,
            impliedVolatility: inputs.volatility)
    }
}
