import MBTDomain
import PropertyBased
import Testing

/// The requirement is the payoff's worst case, found independently by sampling the price densely.
@Suite("Structure buying power: properties")
struct StructureBuyingPowerPropertyTests {
    typealias F = ComboFixtures

    /// One generated option leg before it becomes a ``ComboLeg``.
    struct RawLeg {
        var right: OptionSymbol.Right
        var strike: Decimal6
        var buy: Bool
        var ratio: Int
    }

    static let lowestStrike: Decimal6 = 80
    /// Strikes step by 2.50; samples step by 0.25, so every strike is sampled.
    static let strikeStep: Decimal6 = "2.5"
    static let sampleStep: Decimal6 = "0.25"

    static func rawLegs(count: Int, strikes: [Int], rights: Int, sides: Int, ratios: [Int]) -> [RawLeg]? {
        let legs = (0..<count).map { index in
            RawLeg(
                right: rights >> index & 1 == 0 ? .call : .put,
                strike: lowestStrike + (try! strikeStep.multiplied(by: Int64(strikes[index]))),
                buy: sides >> index & 1 == 0, ratio: ratios[index])
        }
        let distinct = Set(legs.map { "\($0.right)\($0.strike)" })
        return distinct.count == legs.count ? legs : nil
    }

    /// Turns shorts into longs until no type has more shorts than longs: a defined-risk structure.
    static func covered(_ legs: [RawLeg]) -> [RawLeg] {
        var legs = legs
        for right in OptionSymbol.Right.allCases {
            while excess(right, legs) > 0, let index = legs.firstIndex(where: { $0.right == right && !$0.buy }) {
                legs[index].buy = true
            }
        }
        return legs
    }

    static func excess(_ right: OptionSymbol.Right, _ legs: [RawLeg]) -> Int {
        legs.filter { $0.right == right }.reduce(0) { $0 + ($1.buy ? -$1.ratio : $1.ratio) }
    }

    static func comboLegs(_ legs: [RawLeg]) -> [ComboLeg] {
        let factor = legs.map(\.ratio).reduce(0) { gcd($0, $1) }
        return legs.map { leg in
            let symbol = leg.right == .call ? F.call(leg.strike) : F.put(leg.strike)
            return leg.buy ? F.buy(symbol, leg.ratio / factor) : F.sell(symbol, leg.ratio / factor)
        }
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Value per share of one unit at `price`, written out leg by leg.
    static func value(_ legs: [ComboLeg], at price: Decimal6) throws -> Decimal6 {
        try legs.reduce(Decimal6.zero) { total, leg in
            let contract = try OptionSymbol(parsing: leg.symbol)
            let intrinsic = contract.right == .call ? max(price - contract.strike, .zero) : max(contract.strike - price, .zero)
            let signed = Int64(leg.side == .buy ? leg.ratioQty : -leg.ratioQty)
            return total + (try intrinsic.multiplied(by: signed))
        }
    }

    /// Values at 0, 0.25, 0.50, … up to 40 beyond the highest strike.
    static func samples(_ legs: [ComboLeg]) throws -> [Decimal6] {
        let top = lowestStrike + (try strikeStep.multiplied(by: 15)) + 40
        return try stride(from: Int64(0), through: top.micros, by: Int(sampleStep.micros)).map { try value(legs, at: Decimal6(micros: $0)) }
    }

    static let inputs = (
        count: Gen.int(in: 2...4), strikes: Gen.int(in: 0...15).array(of: 4), bits: Gen.int(in: 0...15),
        ratios: Gen.int(in: 1...3).array(of: 4),
        qty: Gen.int(in: 1...5), net: Gen.int64(in: -3_000...3_000)
    )

    @Test func requirementIsMinusTheSampledMinimumAndNeverNegative() async {
        let i = Self.inputs
        await propertyCheck(input: i.count, i.strikes, i.bits, i.bits, i.ratios, i.qty, i.net) {
            count, strikes, rights, sides, ratios, qty, netCents in
            guard let raw = Self.rawLegs(count: count, strikes: strikes, rights: rights, sides: sides, ratios: ratios) else { return }
            let legs = Self.comboLegs(Self.covered(raw))
            let net = Decimal6(micros: netCents * 10_000)
            let decision = StructureBuyingPower.evaluate(F.combo(legs, qty: Decimal6(qty)), netPrice: net)
            guard case .allowed(let risk) = decision else {
                Issue.record("defined-risk structure refused: \(decision)")
                return
            }
            let values = try Self.samples(legs)
            let worst = try max(net - values.min()!, .zero).multiplied(by: Int64(100 * qty))
            #expect(risk.requirement == worst, "legs \(legs.map { "\($0.side) \($0.ratioQty) \($0.symbol)" }) net \(net)")
            #expect(!risk.requirement.isNegative)
            if let maxProfit = risk.maxProfit {
                #expect(maxProfit == (try (values.max()! - net).multiplied(by: Int64(100 * qty))))
            }
            for breakEven in risk.breakEvens {
                let level = try Self.value(legs, at: breakEven) - net
                #expect(level.magnitude <= "0.00001", "P&L at break-even \(breakEven) is \(level)")
            }
        }
    }

    @Test func anyTypeWithMoreShortsThanLongsIsRefused() async {
        let i = Self.inputs
        await propertyCheck(input: i.count, i.strikes, i.bits, i.bits, i.ratios, i.net) { count, strikes, rights, sides, ratios, netCents in
            guard let raw = Self.rawLegs(count: count, strikes: strikes, rights: rights, sides: sides, ratios: ratios),
                OptionSymbol.Right.allCases.contains(where: { Self.excess($0, raw) > 0 })
            else { return }
            let decision = StructureBuyingPower.evaluate(F.combo(Self.comboLegs(raw)), netPrice: Decimal6(micros: netCents * 10_000))
            guard case .rejected(let rejection) = decision else {
                Issue.record("uncovered structure allowed: \(decision)")
                return
            }
            #expect(rejection.code == .uncoveredOption)
            #expect(rejection.message.contains("is an uncovered short"))
        }
    }
}
