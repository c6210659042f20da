import Foundation
import MBTDomain

/// Black–Scholes–Merton prices and greeks for European options, which the simulated market quotes
/// option contracts from when no live data is configured.
///
/// This is the one place in MBT that computes with binary floating point: the model is a formula of
/// logarithms, square roots and the normal distribution, which only exist for `Double`. The inputs
/// arrive as ``Decimal6`` and every result leaves as one, rounded half-even to six decimals (and
/// quoted prices then half-even to the cent), so no `Double` reaches an order, a fill or a balance. The model's own error dwarfs the double's, so nothing here is exact and nothing
/// downstream should treat a model price as more than a quote.
///
/// American-style equity options are priced as if European. With no dividend (q = 0) that is exact
/// for calls and a slight underestimate for deep in-the-money puts, which is fine for a paper market.
public enum BlackScholes {
    /// What the model needs to price one contract; rates and volatility are annual decimals (0.2 = 20 %).
    ///
    /// Inputs are clamped to ranges that cover every listed option with room to spare — time
    /// 0…100 years, volatility 0…50 (5000 %), rates and dividend yield −1…1, spot and strike ≥ 0 —
    /// so the doubles in between stay finite and no input can make the model produce NaN.
    public struct Inputs: Sendable, Hashable {
        public var right: OptionSymbol.Right
        /// Price of one share of the underlying.
        public var spot: Decimal6
        public var strike: Decimal6
        /// Time left until expiry, in years (a calendar day is 1/365); zero or less means expired.
        public var yearsToExpiry: Decimal6
        /// Annualised volatility of the underlying's log returns.
        public var volatility: Decimal6
        /// Continuously compounded risk-free rate.
        public var riskFreeRate: Decimal6
        /// Continuously compounded dividend yield of the underlying (q).
        public var dividendYield: Decimal6

        public init(
            right: OptionSymbol.Right,
            spot: Decimal6,
            strike: Decimal6,
            yearsToExpiry: Decimal6,
            volatility: Decimal6,
            riskFreeRate: Decimal6 = .zero,
            dividendYield: Decimal6 = .zero
        ) {
            self.right = right
            self.spot = spot
            self.strike = strike
            self.yearsToExpiry = yearsToExpiry
            self.volatility = volatility
            self.riskFreeRate = riskFreeRate
            self.dividendYield = dividendYield
        }
    }

    /// The smallest price an option is quoted at: a listed contract never trades for nothing.
    public static let minimumTick = Decimal6(micros: 10_000)

    /// The price per share to quote: the model value rounded half-even to the cent, and never below
    /// $0.01, because a contract that is still listed always has some offer.
    ///
    /// Not for settling expired contracts: an out-of-the-money option is worth nothing at expiry,
    /// which ``fairValue(_:)`` gives and this does not.
    ///
    /// The cents are rounded from the six-decimal ``fairValue(_:)``, not from the double: binary noise
    /// then cannot decide a half cent, so an exact intrinsic value such as 0.255 rounds by the
    /// half-even rule (to 0.26) rather than by how 150.255 happens to be stored in binary.
    public static func price(_ inputs: Inputs) -> Decimal6 {
        max(fairValue(inputs).rounded(toPlaces: 2, rule: .toNearestOrEven), minimumTick)
    }

    /// The model value per share, rounded half-even to six decimals, with no floor: intrinsic value
    /// at expiry, zero for a worthless option.
    public static func fairValue(_ inputs: Inputs) -> Decimal6 {
        decimal(evaluate(inputs).value)
    }

    /// Sensitivities of the value per share, rounded half-even to six decimals.
    public static func greeks(_ inputs: Inputs) -> OptionGreeks {
        let result = evaluate(inputs)
        return OptionGreeks(
            delta: decimal(result.delta),
            gamma: decimal(result.gamma),
            theta: decimal(result.thetaPerYear / daysPerYear),
            vega: decimal(result.vegaPerUnitVolatility / 100),
            rho: decimal(result.rhoPerUnitRate / 100)
        )
    }

    // MARK: - The model, in Double

    /// Calendar days per year, for theta per day; the same convention as ``Inputs/yearsToExpiry``.
    private static let daysPerYear = 365.0
    /// Below this standard deviation of log returns to expiry the outcome is treated as certain, which
    /// keeps `d1` from dividing by (almost) zero.
    private static let negligibleDeviation = 1e-10

    /// Value and greeks in the model's natural units: theta per year, vega per 1.0 of volatility,
    /// rho per 1.0 of the risk-free rate.
    private struct Evaluation {
        var value: Double
        var delta: Double
        var gamma: Double
        var thetaPerYear: Double
        var vegaPerUnitVolatility: Double
        var rhoPerUnitRate: Double
    }

    private static func evaluate(_ inputs: Inputs) -> Evaluation {
        let spot = max(double(inputs.spot), 0)
        let strike = max(double(inputs.strike), 0)
        let years = min(max(double(inputs.yearsToExpiry), 0), 100)
        let volatility = min(max(double(inputs.volatility), 0), 50)
        let rate = min(max(double(inputs.riskFreeRate), -1), 1)
        let yield = min(max(double(inputs.dividendYield), -1), 1)

        let dividendDiscount = exp(-yield * years)
        let rateDiscount = exp(-rate * years)
        let discountedSpot = spot * dividendDiscount  // S·e^(−qT)
        let presentStrike = strike * rateDiscount  // K·e^(−rT)
        let sign: Double = inputs.right == .call ? 1 : -1
        let deviation = volatility * years.squareRoot()

        guard deviation > negligibleDeviation, spot > 0, strike > 0 else {
            // Expired, no volatility, or a zero price: the payoff is known, so the value is the
            // discounted intrinsic value of the forward and the greeks are those of a sure payoff.
            let moneyness = sign * (discountedSpot - presentStrike)
            let inTheMoney = moneyness > 0
            let delta = inTheMoney ? sign * dividendDiscount : moneyness == 0 ? sign * dividendDiscount / 2 : 0
            let theta = inTheMoney && years > 0 ? sign * (yield * discountedSpot - rate * presentStrike) : 0
            // A sure payoff still discounts its strike: ∂/∂r of sign·(S·e^(−qT) − K·e^(−rT)) is sign·K·T·e^(−rT).
            let rho = inTheMoney ? sign * presentStrike * years : 0
            return Evaluation(
                value: max(moneyness, 0), delta: delta, gamma: 0, thetaPerYear: theta, vegaPerUnitVolatility: 0, rhoPerUnitRate: rho)
        }

        let d1 = (log(spot / strike) + (rate - yield + volatility * volatility / 2) * years) / deviation
        let d2 = d1 - deviation
        let density = normalDensity(d1)
        // Calls use N(d1), N(d2); puts the mirror N(−d1), N(−d2), which is what `sign` selects.
        let spotWeight = normalCDF(sign * d1)
        let strikeWeight = normalCDF(sign * d2)

        let value = sign * (discountedSpot * spotWeight - presentStrike * strikeWeight)
        let timeDecay = -discountedSpot * density * volatility / (2 * years.squareRoot())
        return Evaluation(
            // Far out of the money the two terms cancel to within rounding, which may dip below zero.
            value: max(value, 0),
            delta: sign * dividendDiscount * spotWeight,
            gamma: dividendDiscount * density / (spot * deviation),
            thetaPerYear: timeDecay + sign * (yield * discountedSpot * spotWeight - rate * presentStrike * strikeWeight),
            vegaPerUnitVolatility: discountedSpot * density * years.squareRoot(),
            rhoPerUnitRate: sign * presentStrike * years * strikeWeight
        )
    }

    /// Φ(x) through `erfc`, which keeps full relative precision in the far tails where `1 − erf` would round to 0.
    private static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// φ(x), the standard normal density.
    private static func normalDensity(_ x: Double) -> Double {
        exp(-x * x / 2) / (2 * Double.pi).squareRoot()
    }

    // MARK: - Crossing between Decimal6 and Double

    private static func double(_ value: Decimal6) -> Double {
        Double(value.micros) / Double(Decimal6.microsPerUnit)
    }

    /// `value` rounded half-even to six decimals, clamped to what `NUMERIC(18,6)` holds.
    private static func decimal(_ value: Double) -> Decimal6 {
        precondition(!value.isNaN, "Black-Scholes produced NaN; the input clamps should make that impossible")
        let limit = Decimal6.storageLimitMicros
        let micros = (value * Double(Decimal6.microsPerUnit)).rounded(.toNearestOrEven)
        // Compare in Double before converting, since Int64(_:) traps on anything out of range.
        return Decimal6(micros: micros >= Double(limit) ? limit : micros <= -Double(limit) ? -limit : Int64(micros))
    }
}

/// How an option's value per share moves, as the model sees it, rounded to six decimals.
///
/// The units are the ones brokerages display, so the numbers can be shown as they are: theta per
/// calendar day and vega per one percentage point of volatility.
public struct OptionGreeks: Sendable, Hashable, Codable {
    /// Change in value per $1 move of the underlying: 0…1 for calls, −1…0 for puts (with q ≥ 0).
    public let delta: Decimal6
    /// Change in delta per $1 move of the underlying.
    public let gamma: Decimal6
    /// Change in value per calendar day that passes, all else equal; usually negative.
    public let theta: Decimal6
    /// Change in value per one percentage point (0.01) rise in volatility.
    public let vega: Decimal6
    /// Change in value per one percentage point (0.01) rise in the risk-free rate: positive for
    /// calls, negative for puts.
    public let rho: Decimal6

    public init(delta: Decimal6, gamma: Decimal6, theta: Decimal6, vega: Decimal6, rho: Decimal6) {
        self.delta = delta
        self.gamma = gamma
        self.theta = theta
        self.vega = vega
        self.rho = rho
    }
}
