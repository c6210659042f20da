import Foundation
import MBTDomain
import Testing

@Suite("Decimal6 text and JSON")
struct Decimal6ParsingTests {
    @Test(
        arguments: [
            ("0", 0),
            ("12", 12_000_000),
            ("12.5", 12_500_000),
            ("-12.5", -12_500_000),
            ("0.000001", 1),
            ("-0.000001", -1),
            ("007.10", 7_100_000),
            ("-0", 0),
            ("999999999999.999999", 999_999_999_999_999_999),
            ("-999999999999.999999", -999_999_999_999_999_999),
            ("000000000000999999999999", 999_999_999_999_000_000),
        ] as [(String, Int64)])
    func parsesValidText(text: String, micros: Int64) throws {
        #expect(try Decimal6(parsing: text).micros == micros)
    }

    @Test(
        arguments: [
            ("", DecimalParseError.empty),
            ("12abc", .malformed("12abc")),
            ("1,5", .malformed("1,5")),
            ("1e5", .malformed("1e5")),
            ("NaN", .malformed("NaN")),
            ("inf", .malformed("inf")),
            ("+1", .malformed("+1")),
            (" 1", .malformed(" 1")),
            ("1 ", .malformed("1 ")),
            (".5", .malformed(".5")),
            ("5.", .malformed("5.")),
            ("--1", .malformed("--1")),
            ("-", .malformed("-")),
            ("1.2.3", .malformed("1.2.3")),
            ("１２", .malformed("１２")),
            ("1.1234567", .tooManyFractionDigits("1.1234567")),
            ("1000000000000", .outOfRange("1000000000000")),
            ("-1000000000000.5", .outOfRange("-1000000000000.5")),
        ] as [(String, DecimalParseError)])
    func rejectsGarbage(text: String, expected: DecimalParseError) {
        #expect(throws: expected) { try Decimal6(parsing: text) }
        #expect(Decimal6(text) == nil)
    }

    @Test func errorMessagesSayWhatIsWrong() {
        #expect(DecimalParseError.tooManyFractionDigits("1.1234567").description.contains("more than 6 decimals"))
        #expect(DecimalParseError.malformed("12abc").description.contains("'12abc' is not a decimal number"))
    }

    @Test(
        arguments: [
            (12_500_000, "12.500000"),
            (-12_500_000, "-12.500000"),
            (1, "0.000001"),
            (-1, "-0.000001"),
            (0, "0.000000"),
            (999_999_999_999_999_999, "999999999999.999999"),
        ] as [(Int64, String)])
    func canonicalFormHasSixDecimals(micros: Int64, text: String) {
        #expect(Decimal6(micros: micros).description == text)
    }

    @Test func encodesAsJSONString() throws {
        struct Box: Codable, Equatable { let price: Decimal6 }
        let data = try JSONEncoder().encode(Box(price: Decimal6(micros: 12_500_000)))
        #expect(String(decoding: data, as: UTF8.self) == #"{"price":"12.500000"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: Data(#"{"price":"12.5"}"#.utf8)) == Box(price: Decimal6(micros: 12_500_000)))
    }

    @Test(arguments: [#"{"price":12.5}"#, #"{"price":"1e5"}"#, #"{"price":"12.1234567"}"#, #"{"price":null}"#, #"{"price":"NaN"}"#])
    func refusesJSONThatIsNotAStrictDecimalString(json: String) {
        struct Box: Codable { let price: Decimal6 }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(json.utf8)) }
    }
}

@Suite("Decimal6 rounding parse")
struct Decimal6RoundingParseTests {
    @Test(arguments: [
        ("172.70000000000002", FloatingPointRoundingRule.toNearestOrEven, "172.700000"),
        ("0.0000005", .toNearestOrEven, "0.000000"),
        ("0.0000015", .toNearestOrEven, "0.000002"),
        ("0.00000050001", .toNearestOrEven, "0.000001"),
        ("-0.0000015", .toNearestOrEven, "-0.000002"),
        ("-0.0000014", .toNearestOrEven, "-0.000001"),
        ("1.23456789", .towardZero, "1.234567"),
        ("1.23456701", .up, "1.234568"),
        ("-1.23456701", .down, "-1.234568"),
        ("12.5", .toNearestOrEven, "12.500000"),
        ("3.1330000000", .toNearestOrEven, "3.133000"),
    ] as [(String, FloatingPointRoundingRule, String)])
    func roundsExtraDigitsByTheRule(text: String, rule: FloatingPointRoundingRule, expected: String) throws {
        #expect(try Decimal6(parsing: text, rounding: rule).description == expected)
    }

    @Test(arguments: ["1.1234567x", "abc", "1e-7", ""])
    func stillRejectsGarbage(text: String) {
        #expect(throws: DecimalParseError.self) { try Decimal6(parsing: text, rounding: .toNearestOrEven) }
    }
}
