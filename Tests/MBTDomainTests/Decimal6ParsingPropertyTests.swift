import Foundation
import Testing

@testable import MBTDomain

/// The one-pass parser against the straightforward one it replaced (kept here as the oracle): the
/// same value or the same error for every string over the characters that matter.
@Suite("Decimal6 parsing: against the reference parser")
struct Decimal6ParsingPropertyTests {
    @Test func everyStringParsesAsTheReferenceParsesIt() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0000123456789..-x ")
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...22, using: &random)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            let parsed = Result(catching: { () throws(DecimalParseError) in try Decimal6(parsing: text) })
            #expect(parsed == Self.reference(text), "'\(text)'")
            let rounded = Result(catching: { () throws(DecimalParseError) in try Decimal6(parsing: text, rounding: .toNearestOrEven) })
            if case .success(let value) = Self.reference(text) { #expect(rounded == .success(value), "'\(text)'") }
        }
    }

    /// The parser as it was: digits collected into arrays, then checked.
    static func reference(_ text: String) -> Result<Decimal6, DecimalParseError> {
        guard !text.isEmpty else { return .failure(.empty) }
        var utf8 = Substring(text).utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        var whole: [UInt8] = []
        var fraction: [UInt8] = []
        var seenPoint = false
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenPoint { fraction.append(byte - UInt8(ascii: "0")) } else { whole.append(byte - UInt8(ascii: "0")) }
            case UInt8(ascii: ".") where !seenPoint: seenPoint = true
            default: return .failure(.malformed(text))
            }
        }
        guard !whole.isEmpty, !(seenPoint && fraction.isEmpty) else { return .failure(.malformed(text)) }
        guard fraction.count <= 6 else { return .failure(.tooManyFractionDigits(text)) }
        let significantWhole = whole.drop { $0 == 0 }
        guard significantWhole.count <= 12 else { return .failure(.outOfRange(text)) }
        var micros: Int64 = 0
        for digit in significantWhole { micros = micros * 10 + Int64(digit) }
        for index in 0..<6 { micros = micros * 10 + Int64(index < fraction.count ? fraction[index] : 0) }
        return .success(Decimal6(micros: negative ? -micros : micros))
    }
}
