import Foundation
import MBTDomain
import MBTMarketData
import PropertyBased
import Testing

@Suite("Black-Scholes pricing")
struct BlackScholesTests {
    static func decimal(_ text: String) -> Decimal6 { try! Decimal6(parsing: text) }

    static func inputs(
        _ right: OptionSymbol.Right,
        spot: String,
        strike: String,
        years: String,
        volatility: String,
        rate: String = "0",
        yield: String = "0"
    ) -> BlackScholes.Inputs {
        BlackScholes.Inputs(
            right: right,
            spot: decimal(spot),
            strike: decimal(strike),
            yearsToExpiry: decimal(years),
            volatility: decimal(volatility),
            riskFreeRate: decimal(rate),
            dividendYield: decimal(yield)
        )
    }

    static func double(_ value: Decimal6) -> Double { Double(value.micros) / 1_000_000 }

    // Generators count micro-units, so every input is an exact Decimal6.
    static let spots = Gen.int64(in: 1_000_000...1_000_000_000).map(Decimal6.init(micros:))  // $1 … $1000
    static let moneyness = Gen.int(in: 50...200)  // strike as a percentage of spot
    static let years = Gen.int64(in: 1_000...3_000_000).map(Decimal6.init(micros:))  // ~9 hours … 3 years
    static let volatilities = Gen.int64(in: 10_000...2_000_000).map(Decimal6.init(micros:))  // 1 % … 200 %
    static let rates = Gen.int64(in: 0...100_000).map(Decimal6.init(micros:))  // 0 … 10 %
    static let spotSteps = Gen.int64(in: 1...50_000_000).map(Decimal6.init(micros:))  // $0.000001 … $50

    /// Strike at `percent` % of `spot`, rounded to the cent like a listed strike.
    static func strike(_ spot: Decimal6, percent: Int) -> Decimal6 {
        Decimal6(micros: spot.micros / 100 * Int64(percent)).rounded(toPlaces: 2)
    }

    @Test func textbookAtTheMoneyValues() {
        // Hull's example values: S = K = 100, T = 1, σ = 20 %, r = 5 %, q = 0 → C ≈ 10.4506, P ≈ 5.5735.
        let call = Self.inputs(.call, spot: "100", strike: "100", years: "1", volatility: "0.2", rate: "0.05")
        var put = call
        put.right = .put
        #expect(BlackScholes.price(call) == Self.decimal("10.45"))
        #expect(BlackScholes.price(put) == Self.decimal("5.57"))
        #expect(abs(Self.double(BlackScholes.fairValue(call)) - 10.450_584) < 0.000_01)
        #expect(abs(Self.double(BlackScholes.fairValue(put)) - 5.573_526) < 0.000_01)

        let greeks = BlackScholes.greeks(call)
        #expect(abs(Self.double(greeks.delta) - 0.636_831) < 0.000_01)
        #expect(abs(Self.double(greeks.gamma) - 0.018_762) < 0.000_01)
        #expect(abs(Self.double(greeks.vega) - 0.375_240) < 0.000_01)  // 37.524 per unit of volatility
        #expect(abs(Self.double(greeks.theta) - (-6.414_028 / 365)) < 0.000_01)
        #expect(abs(Self.double(BlackScholes.greeks(put).delta) - (0.636_831 - 1)) < 0.000_01)
        // Rho per percentage point: K·T·e^(−rT)·N(d2) / 100 for the call, the mirror for the put;
        // the two differ by K·T·e^(−rT) / 100.
        #expect(abs(Self.double(greeks.rho) - 0.532_325) < 0.000_01)
        #expect(abs(Self.double(BlackScholes.greeks(put).rho) - (-0.418_905)) < 0.000_01)
    }

    @Test func dividendYieldLowersCallsAndRaisesPuts() {
        // Merton with q = 3 %: S = 100, K = 95, T = 0.5, σ = 25 %, r = 4 % → C ≈ 9.782912, P ≈ 4.390592.
        let call = Self.inputs(.call, spot: "100", strike: "95", years: "0.5", volatility: "0.25", rate: "0.04", yield: "0.03")
        var put = call
        put.right = .put
        let callValue = Self.double(BlackScholes.fairValue(call))
        let putValue = Self.double(BlackScholes.fairValue(put))
        #expect(abs(callValue - 9.782_912) < 0.000_01)
        #expect(abs(putValue - 4.390_592) < 0.000_01)
        let parity = 100 * exp(-0.03 * 0.5) - 95 * exp(-0.04 * 0.5)
        #expect(abs(callValue - putValue - parity) < 0.000_01)
        var noDividend = call
        noDividend.dividendYield = .zero
        #expect(BlackScholes.fairValue(noDividend) > BlackScholes.fairValue(call))
    }

    @Test func putCallParityHolds() async {
        await propertyCheck(input: Self.spots, Self.moneyness, Self.years, Self.volatilities, Self.rates, Self.rates) {
            spot, percent, years, volatility, rate, yield in
            let strike = Self.strike(spot, percent: percent)
            let call = BlackScholes.Inputs(
                right: .call, spot: spot, strike: strike, yearsToExpiry: years, volatility: volatility,
                riskFreeRate: rate, dividendYield: yield)
            var put = call
            put.right = .put
            let (s, k, t) = (Self.double(spot), Self.double(strike), Self.double(years))
            let parity = s * exp(-Self.double(yield) * t) - k * exp(-Self.double(rate) * t)

            // Unrounded to six decimals: each value is within half a micro-unit, plus the doubles' error.
            let fairDifference = Self.double(BlackScholes.fairValue(call) - BlackScholes.fairValue(put))
            #expect(abs(fairDifference - parity) < 0.000_01 * max(1, s / 100))

            // Quoted: each price is within half a cent, or at the one-cent floor below its value.
            let quotedDifference = Self.double(BlackScholes.price(call) - BlackScholes.price(put))
            #expect(abs(quotedDifference - parity) <= 0.02)
        }
    }

    @Test func deltaIsWithinItsBounds() async {
        await propertyCheck(input: Self.spots, Self.moneyness, Self.years, Self.volatilities, Self.rates, Self.rates) {
            spot, percent, years, volatility, rate, yield in
            let strike = Self.strike(spot, percent: percent)
            for right in OptionSymbol.Right.allCases {
                let greeks = BlackScholes.greeks(
                    BlackScholes.Inputs(
                        right: right, spot: spot, strike: strike, yearsToExpiry: years, volatility: volatility,
                        riskFreeRate: rate, dividendYield: yield))
                switch right {
                case .call: #expect(greeks.delta >= .zero && greeks.delta <= .one)
                case .put: #expect(greeks.delta >= -.one && greeks.delta <= .zero)
                }
                #expect(greeks.gamma >= .zero)
                #expect(greeks.vega >= .zero)
            }
        }
    }

    @Test func callValueRisesWithSpotAndPutValueFalls() async {
        await propertyCheck(input: Self.spots, Self.spotSteps, Self.years, Self.volatilities, Self.rates) {
            spot, step, years, volatility, rate in
            let strike = Self.decimal("100")
            func value(_ right: OptionSymbol.Right, _ spot: Decimal6) -> Decimal6 {
                BlackScholes.fairValue(
                    BlackScholes.Inputs(
                        right: right, spot: spot, strike: strike, yearsToExpiry: years, volatility: volatility, riskFreeRate: rate))
            }
            #expect(value(.call, spot + step) >= value(.call, spot))
            #expect(value(.put, spot + step) <= value(.put, spot))
        }
    }

    @Test(
        arguments: [
            (OptionSymbol.Right.call, "120", "100", "20"),
            (.call, "80", "100", "0"),
            (.call, "100", "100", "0"),
            (.put, "80", "100", "20"),
            (.put, "120", "100", "0"),
            (.call, "150.255", "150", "0.255"),
        ])
    func expiredOptionIsWorthItsIntrinsicValue(right: OptionSymbol.Right, spot: String, strike: String, intrinsic: String) {
        for years in ["0", "-0.5"] {
            let inputs = Self.inputs(right, spot: spot, strike: strike, years: years, volatility: "0.3", rate: "0.05", yield: "0.01")
            #expect(BlackScholes.fairValue(inputs) == Self.decimal(intrinsic))
            // The quote rounds half-even to the cent and never shows less than a cent.
            let cents = Self.decimal(intrinsic).rounded(toPlaces: 2)
            #expect(BlackScholes.price(inputs) == max(cents, Self.decimal("0.01")))
            let greeks = BlackScholes.greeks(inputs)
            #expect(greeks.gamma == .zero && greeks.vega == .zero && greeks.theta == .zero)
        }
    }

    @Test func zeroVolatilityIsTheDiscountedForwardIntrinsic() {
        let call = Self.inputs(.call, spot: "100", strike: "90", years: "1", volatility: "0", rate: "0.05")
        #expect(abs(Self.double(BlackScholes.fairValue(call)) - (100 - 90 * exp(-0.05))) < 0.000_001)
        #expect(BlackScholes.greeks(call).delta == .one)
        var put = call
        put.right = .put
        #expect(BlackScholes.fairValue(put) == .zero)
        #expect(BlackScholes.price(put) == Self.decimal("0.01"))
    }

    @Test func extremeInputsGiveFiniteBoundedValues() {
        let cases = [
            Self.inputs(.call, spot: "1", strike: "99999", years: "0.000001", volatility: "0.01"),
            Self.inputs(.put, spot: "1", strike: "99999", years: "0.000001", volatility: "0.01"),
            Self.inputs(.call, spot: "99999", strike: "1", years: "30", volatility: "5", rate: "0.5"),
            Self.inputs(.put, spot: "0.000001", strike: "100", years: "1", volatility: "0.2"),
            Self.inputs(.call, spot: "0", strike: "100", years: "1", volatility: "0.2"),
            Self.inputs(.put, spot: "0", strike: "100", years: "1", volatility: "0.2"),
            Self.inputs(.call, spot: "100", strike: "100", years: "999999", volatility: "999", rate: "-999", yield: "999"),
            Self.inputs(.call, spot: "100", strike: "100", years: "0.000001", volatility: "0.000001"),
        ]
        for inputs in cases {
            let value = BlackScholes.fairValue(inputs)
            #expect(value >= .zero)
            // A call is never worth more than the share, a put never more than the strike.
            #expect(value <= (inputs.right == .call ? inputs.spot : inputs.strike))
            let greeks = BlackScholes.greeks(inputs)
            #expect(greeks.delta.magnitude <= .one)
        }
        #expect(BlackScholes.fairValue(cases[0]) == .zero)
        #expect(abs(Self.double(BlackScholes.fairValue(cases[1])) - 99_998) < 0.001)
        #expect(BlackScholes.price(cases[0]) == Self.decimal("0.01"))
    }

    @Test func greeksEncodeAsDecimalStrings() throws {
        let greeks = BlackScholes.greeks(Self.inputs(.call, spot: "100", strike: "100", years: "1", volatility: "0.2", rate: "0.05"))
        let json = String(decoding: try JSONEncoder().encode(greeks), as: UTF8.self)
        #expect(json.contains("\"delta\":\"0.63"))
        #expect(try JSONDecoder().decode(OptionGreeks.self, from: Data(json.utf8)) == greeks)
    }
}
