import MBTDomain
import PropertyBased
import Testing

@Suite("Decimal6 arithmetic")
struct Decimal6ArithmeticTests {
    /// Any value NUMERIC(18,6) can hold.
    static let storable = Gen.int64(in: -999_999_999_999_999_999...999_999_999_999_999_999).map(Decimal6.init(micros:))
    /// Prices and quantities of a size whose products stay in range.
    static let moderate = Gen.int64(in: -1_000_000_000_000...1_000_000_000_000).map(Decimal6.init(micros:))

    @Test func textRoundTripsExactly() async {
        await propertyCheck(input: Self.storable) { value in
            let parsed = try Decimal6(parsing: value.description)
            #expect(parsed == value)
        }
    }

    @Test func additionAndSubtractionAreExactInverses() async {
        await propertyCheck(input: Self.moderate, Self.moderate) { a, b in
            #expect((a + b) - b == a)
            #expect(a + b == b + a)
            #expect(a - a == .zero)
        }
    }

    @Test func multiplicationCommutesAndOneIsIdentity() async {
        await propertyCheck(input: Self.moderate, Self.moderate) { a, b in
            let ab = try a.multiplied(by: b)
            let ba = try b.multiplied(by: a)
            let aOne = try a.multiplied(by: .one)
            #expect(ab == ba)
            #expect(aOne == a)
        }
    }

    @Test func roundedQuotientIsWithinHalfAMicroUnit() async {
        await propertyCheck(input: Self.moderate, Self.moderate) { a, b in
            guard !b.isZero else { return }
            let quotient = try a.divided(by: b)
            // |q·b − a| ≤ |b| / 2, in units of 10⁻¹² (micros × micros).
            let error = Int128(quotient.micros) * Int128(b.micros) - Int128(a.micros) * 1_000_000
            #expect(error.magnitude * 2 <= UInt128(b.micros.magnitude))
        }
    }

    @Test func integerMultiplicationMatchesRepeatedAddition() async {
        await propertyCheck(input: Self.moderate, Gen.int64(in: 0...20)) { value, factor in
            let sum = (0..<factor).reduce(Decimal6.zero) { total, _ in total + value }
            let product = try value.multiplied(by: factor)
            #expect(product == sum)
        }
    }

    @Test(
        arguments: [
            // 1.0000005 is not representable: 0.000001 × 0.5 = 0.0000005 decides each rule.
            (FloatingPointRoundingRule.toNearestOrEven, 0, 2),
            (.toNearestOrAwayFromZero, 1, 2),
            (.towardZero, 0, 1),
            (.awayFromZero, 1, 2),
            (.up, 1, 2),
            (.down, 0, 1),
        ] as [(FloatingPointRoundingRule, Int64, Int64)])
    func halfMicroRoundsByTheNamedRule(rule: FloatingPointRoundingRule, halfOfOne: Int64, oneAndHalf: Int64) throws {
        let half = Decimal6(micros: 500_000)
        #expect(try Decimal6(micros: 1).multiplied(by: half, rounding: rule).micros == halfOfOne)
        #expect(try Decimal6(micros: 3).multiplied(by: half, rounding: rule).micros == oneAndHalf)
    }

    @Test func negativeValuesRoundTowardTheNamedDirection() throws {
        let half = Decimal6(micros: 500_000)
        #expect(try Decimal6(micros: -3).multiplied(by: half, rounding: .down).micros == -2)
        #expect(try Decimal6(micros: -3).multiplied(by: half, rounding: .up).micros == -1)
        #expect(try Decimal6(micros: -3).multiplied(by: half, rounding: .toNearestOrEven).micros == -2)
        #expect(try Decimal6(micros: -1).multiplied(by: half, rounding: .toNearestOrAwayFromZero).micros == -1)
    }

    @Test func priceTimesQuantityIsExactWhenRepresentable() throws {
        #expect(try Decimal6(parsing: "187.235").multiplied(by: Decimal6(parsing: "300")) == Decimal6(parsing: "56170.5"))
        #expect(try Decimal6(parsing: "0.333333").multiplied(by: 3) == Decimal6(parsing: "0.999999"))
    }

    @Test func divisionByZeroAndOverflowAreErrorsNotCrashes() {
        #expect(throws: DecimalArithmeticError.divisionByZero) { try Decimal6.one.divided(by: .zero) }
        #expect(throws: DecimalArithmeticError.divisionByZero) { try Decimal6.one.divided(by: Int64(0)) }
        #expect(throws: DecimalArithmeticError.overflow) { try Decimal6.storageMax.multiplied(by: Decimal6.storageMax) }
        #expect(throws: DecimalArithmeticError.overflow) { try Decimal6.storageMax.multiplied(by: Int64(100)) }
    }

    @Test func roundsToCentsAndWholeUnits() throws {
        #expect(try Decimal6(parsing: "2.345").rounded(toPlaces: 2) == Decimal6(parsing: "2.34"))
        #expect(try Decimal6(parsing: "2.355").rounded(toPlaces: 2) == Decimal6(parsing: "2.36"))
        #expect(try Decimal6(parsing: "-2.5").rounded(toPlaces: 0, rule: .toNearestOrAwayFromZero) == Decimal6(parsing: "-3"))
        #expect(try Decimal6(parsing: "7.999999").rounded(toPlaces: 0, rule: .down) == 7)
    }

    @Test func storageRangeIsNumeric18x6() {
        #expect(Decimal6.storageMax.fitsStorage)
        #expect(Decimal6.storageMin.fitsStorage)
        #expect(!(Decimal6.storageMax + Decimal6(micros: 1)).fitsStorage)
    }
}
