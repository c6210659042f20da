/// An exact decimal number with six fractional digits: money, prices and quantities.
///
/// The value is held as a signed count of micro-units (millionths) in an `Int64`, which covers the
/// whole `NUMERIC(18,6)` range (±999 999 999 999.999999) the database stores. Addition and
/// subtraction are exact (and trap on `Int64` overflow, like `Int`). Multiplication and division go
/// through `Int128` and round back to six places with a rounding rule the caller names, so every
/// place a value is rounded says so.
///
/// Text form: an optional `-`, digits, and optionally `.` followed by one to six digits. The
/// canonical form written everywhere (JSON, logs, CSV) always has six decimals: `"12.500000"`.
/// JSON carries the value as that string, never as a number.
public struct Decimal6: Sendable, Hashable {
    /// The value in millionths.
    public let micros: Int64

    /// Micro-units per whole unit.
    public static let microsPerUnit: Int64 = 1_000_000
    /// Fractional digits kept.
    public static let scale = 6
    /// The largest magnitude `NUMERIC(18,6)` can hold, in micro-units.
    public static let storageLimitMicros: Int64 = 999_999_999_999_999_999

    public static let zero = Decimal6(micros: 0)
    public static let one = Decimal6(micros: microsPerUnit)
    /// The largest value `NUMERIC(18,6)` can hold.
    public static let storageMax = Decimal6(micros: storageLimitMicros)
    /// The smallest value `NUMERIC(18,6)` can hold.
    public static let storageMin = Decimal6(micros: -storageLimitMicros)

    public init(micros: Int64) {
        self.micros = micros
    }

    /// A whole number; traps if it does not fit, like integer conversion does.
    public init(_ whole: Int) {
        self.micros = Int64(whole) * Self.microsPerUnit
    }

    /// Whether the value fits the `NUMERIC(18,6)` column it is stored in.
    public var fitsStorage: Bool {
        micros >= -Self.storageLimitMicros && micros <= Self.storageLimitMicros
    }

    public var isZero: Bool { micros == 0 }
    public var isNegative: Bool { micros < 0 }
    public var isPositive: Bool { micros > 0 }
    public var magnitude: Decimal6 { Decimal6(micros: abs(micros)) }

    /// The whole-unit part, truncated toward zero.
    public var wholePart: Int64 { micros / Self.microsPerUnit }
}

// MARK: - Arithmetic

extension Decimal6: Comparable, AdditiveArithmetic {
    public static func < (lhs: Decimal6, rhs: Decimal6) -> Bool { lhs.micros < rhs.micros }

    public static func + (lhs: Decimal6, rhs: Decimal6) -> Decimal6 { Decimal6(micros: lhs.micros + rhs.micros) }

    public static func - (lhs: Decimal6, rhs: Decimal6) -> Decimal6 { Decimal6(micros: lhs.micros - rhs.micros) }

    public static prefix func - (value: Decimal6) -> Decimal6 { Decimal6(micros: -value.micros) }
}

/// Why an arithmetic operation on ``Decimal6`` could not produce a value.
public enum DecimalArithmeticError: Error, Sendable, Equatable, CustomStringConvertible {
    case overflow
    case divisionByZero

    public var description: String {
        switch self {
        case .overflow: "decimal result is out of range"
        case .divisionByZero: "decimal division by zero"
        }
    }
}

extension Decimal6 {
    /// `self × other`, rounded to six decimals by `rule`.
    public func multiplied(
        by other: Decimal6,
        rounding rule: FloatingPointRoundingRule = .toNearestOrEven
    ) throws(DecimalArithmeticError) -> Decimal6 {
        let product = Int128(micros) * Int128(other.micros)
        return try Self.fromScaled(Self.divide(product, by: Int128(Self.microsPerUnit), rule: rule))
    }

    /// `self × factor`, exact.
    public func multiplied(by factor: Int64) throws(DecimalArithmeticError) -> Decimal6 {
        try Self.fromScaled(Int128(micros) * Int128(factor))
    }

    /// `self ÷ divisor`, rounded to six decimals by `rule`.
    public func divided(
        by divisor: Decimal6,
        rounding rule: FloatingPointRoundingRule = .toNearestOrEven
    ) throws(DecimalArithmeticError) -> Decimal6 {
        guard divisor.micros != 0 else { throw .divisionByZero }
        let numerator = Int128(micros) * Int128(Self.microsPerUnit)
        return try Self.fromScaled(Self.divide(numerator, by: Int128(divisor.micros), rule: rule))
    }

    /// `self ÷ divisor`, rounded to six decimals by `rule`.
    public func divided(
        by divisor: Int64,
        rounding rule: FloatingPointRoundingRule = .toNearestOrEven
    ) throws(DecimalArithmeticError) -> Decimal6 {
        guard divisor != 0 else { throw .divisionByZero }
        return try Self.fromScaled(Self.divide(Int128(micros), by: Int128(divisor), rule: rule))
    }

    /// The value rounded to `places` decimals (0…6) by `rule`, for cents and whole shares.
    public func rounded(toPlaces places: Int, rule: FloatingPointRoundingRule = .toNearestOrEven) -> Decimal6 {
        precondition((0...Self.scale).contains(places), "places must be 0...6")
        var step: Int64 = 1
        for _ in places..<Self.scale { step *= 10 }
        let quotient = Self.divide(Int128(micros), by: Int128(step), rule: rule)
        // |quotient × step| ≤ |micros| rounded up by less than one step, so it fits unless micros is at Int64's edge.
        return Decimal6(micros: Int64(quotient * Int128(step)))
    }

    private static func fromScaled(_ value: Int128) throws(DecimalArithmeticError) -> Decimal6 {
        guard let micros = Int64(exactly: value) else { throw .overflow }
        return Decimal6(micros: micros)
    }

    /// Integer division with an explicit rounding rule (Swift's `/` truncates toward zero).
    static func divide(_ numerator: Int128, by denominator: Int128, rule: FloatingPointRoundingRule) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder != 0 else { return quotient }
        let resultIsNegative = (numerator < 0) != (denominator < 0)
        let awayFromZero = resultIsNegative ? quotient - 1 : quotient + 1
        let twiceRemainder = remainder.magnitude * 2
        let divisorMagnitude = denominator.magnitude
        switch rule {
        case .towardZero:
            return quotient
        case .awayFromZero:
            return awayFromZero
        case .down:
            return resultIsNegative ? awayFromZero : quotient
        case .up:
            return resultIsNegative ? quotient : awayFromZero
        case .toNearestOrAwayFromZero:
            return twiceRemainder >= divisorMagnitude ? awayFromZero : quotient
        case .toNearestOrEven:
            if twiceRemainder != divisorMagnitude {
                return twiceRemainder > divisorMagnitude ? awayFromZero : quotient
            }
            return quotient % 2 == 0 ? quotient : awayFromZero
        @unknown default:
            return quotient
        }
    }
}

// MARK: - Text

/// Why a string is not a valid ``Decimal6``.
public enum DecimalParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case malformed(String)
    case tooManyFractionDigits(String)
    case outOfRange(String)

    public var description: String {
        switch self {
        case .empty:
            "empty string is not a decimal number"
        case .malformed(let text):
            "'\(text.prefix(40))' is not a decimal number (expected digits, optionally '.' and up to 6 decimals, e.g. 12.5)"
        case .tooManyFractionDigits(let text):
            "'\(text.prefix(40))' has more than 6 decimals"
        case .outOfRange(let text):
            "'\(text.prefix(40))' is outside the range ±999999999999.999999"
        }
    }
}

extension Decimal6: LosslessStringConvertible, CustomStringConvertible {
    /// Parses the strict text form; `nil` for anything else. Use ``init(parsing:)`` to learn why.
    public init?(_ description: String) {
        guard let value = try? Decimal6(parsing: description) else { return nil }
        self = value
    }

    /// Parses the strict text form: `-?digits(.digits{1,6})?`, within `NUMERIC(18,6)`.
    ///
    /// Signs other than a leading `-`, spaces, grouping separators, exponents, `NaN`, `inf` and a
    /// bare or trailing `.` are all rejected.
    public init(parsing text: String) throws(DecimalParseError) {
        guard !text.isEmpty else { throw .empty }
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
            case UInt8(ascii: ".") where !seenPoint:
                seenPoint = true
            default:
                throw .malformed(text)
            }
        }
        guard !whole.isEmpty, !(seenPoint && fraction.isEmpty) else { throw .malformed(text) }
        guard fraction.count <= Self.scale else { throw .tooManyFractionDigits(text) }
        let significantWhole = whole.drop { $0 == 0 }
        guard significantWhole.count <= 12 else { throw .outOfRange(text) }

        var micros: Int64 = 0
        for digit in significantWhole { micros = micros * 10 + Int64(digit) }
        for index in 0..<Self.scale {
            micros = micros * 10 + Int64(index < fraction.count ? fraction[index] : 0)
        }
        self.micros = negative ? -micros : micros
    }

    /// Parses decimal text that may carry more than six decimals (market-data feeds send numbers
    /// such as `172.70000000000002`), rounding the extra digits by `rule`.
    public init(parsing text: String, rounding rule: FloatingPointRoundingRule) throws(DecimalParseError) {
        guard let point = text.firstIndex(of: "."), text.distance(from: point, to: text.endIndex) > Self.scale + 1 else {
            self = try Decimal6(parsing: text)
            return
        }
        let keepEnd = text.index(point, offsetBy: Self.scale + 1)
        let truncated = try Decimal6(parsing: String(text[..<keepEnd]))
        let rest = text[keepEnd...]
        guard rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .malformed(text) }
        guard let first = rest.first, rest.contains(where: { $0 != "0" }) else {
            self = truncated
            return
        }
        // Scale the dropped digits to a remainder out of 10 (5 = exactly half), keeping "more than half".
        let half = first == "5" && rest.dropFirst().allSatisfy { $0 == "0" }
        let tenths: Int128 = half ? 5 : (first >= "5" ? 6 : (first == "0" ? 1 : 4))
        let negative = text.hasPrefix("-")
        let scaled = Int128(truncated.micros) * 10 + (negative ? -tenths : tenths)
        self.micros = Int64(Self.divide(scaled, by: 10, rule: rule))
    }

    /// The canonical form with six decimals, e.g. `"-12.500000"`.
    public var description: String {
        let magnitude = micros.magnitude
        let whole = magnitude / UInt64(Self.microsPerUnit)
        let fraction = String(magnitude % UInt64(Self.microsPerUnit))
        let padded = String(repeating: "0", count: Self.scale - fraction.count) + fraction
        return (micros < 0 ? "-" : "") + "\(whole).\(padded)"
    }
}

/// `"12.5"` as a literal, for constants and tests; an invalid literal is a programming error and traps.
extension Decimal6: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        do {
            self = try Decimal6(parsing: value)
        } catch {
            preconditionFailure("invalid Decimal6 literal: \(error)")
        }
    }
}

extension Decimal6: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

// MARK: - JSON

extension Decimal6: Codable {
    /// Decodes from a JSON string in the strict text form; a JSON number is refused because it may
    /// already have passed through binary floating point.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a decimal string such as \"12.5\""
            )
        }
        do {
            self = try Decimal6(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
