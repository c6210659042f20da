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
        var text = text
        self = try text.withUTF8 { Self.parse(utf8: $0) }.get()
    }

    /// Parses decimal text that may carry more than six decimals (market-data feeds send numbers
    /// such as `172.70000000000002`), rounding the extra digits by `rule`.
    public init(parsing text: String, rounding rule: FloatingPointRoundingRule) throws(DecimalParseError) {
        var text = text
        self = try text.withUTF8 { Self.parse(utf8: $0, rounding: rule) }.get()
    }

    /// ``init(parsing:rounding:)`` over UTF-8 bytes, for a reader that has them already (a
    /// market-data file), so no string is made per number.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>, rounding rule: FloatingPointRoundingRule) throws(DecimalParseError) {
        self = try Self.parse(utf8: bytes, rounding: rule).get()
    }

    /// The strict form in one pass over the bytes, nothing allocated unless it fails: market-data
    /// files and request bodies parse millions of these.
    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Result<Decimal6, DecimalParseError> {
        let text = { String(decoding: bytes, as: UTF8.self) }
        guard !bytes.isEmpty else { return .failure(.empty) }
        var negative = false
        var micros: Int64 = 0
        var sawWholeDigit = false
        var significantWhole = 0
        var fractionDigits = 0
        var seenPoint = false
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if seenPoint {
                    fractionDigits += 1
                    if fractionDigits <= scale { micros = micros * 10 + digit }
                } else {
                    sawWholeDigit = true
                    if significantWhole > 0 || digit != 0 { significantWhole += 1 }
                    if significantWhole <= 12 { micros = micros * 10 + digit }
                }
            case UInt8(ascii: ".") where !seenPoint:
                seenPoint = true
            default:
                return .failure(.malformed(text()))
            }
        }
        guard sawWholeDigit, !(seenPoint && fractionDigits == 0) else { return .failure(.malformed(text())) }
        guard fractionDigits <= scale else { return .failure(.tooManyFractionDigits(text())) }
        guard significantWhole <= 12 else { return .failure(.outOfRange(text())) }
        for _ in fractionDigits..<scale { micros *= 10 }
        return .success(Decimal6(micros: negative ? -micros : micros))
    }

    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, rounding rule: FloatingPointRoundingRule)
        -> Result<Decimal6, DecimalParseError>
    {
        guard let point = bytes.firstIndex(of: UInt8(ascii: ".")), bytes.count - point > scale + 1 else { return parse(utf8: bytes) }
        let keepEnd = point + scale + 1
        let truncated: Decimal6
        switch parse(utf8: UnsafeBufferPointer(rebasing: bytes[..<keepEnd])) {
        case .success(let value): truncated = value
        case .failure(let error): return .failure(error)
        }
        let rest = bytes[keepEnd...]
        let zero = UInt8(ascii: "0")
        guard rest.allSatisfy({ (zero...UInt8(ascii: "9")).contains($0) }) else {
            return .failure(.malformed(String(decoding: bytes, as: UTF8.self)))
        }
        guard let first = rest.first, rest.contains(where: { $0 != zero }) else { return .success(truncated) }
        // Scale the dropped digits to a remainder out of 10 (5 = exactly half), keeping "more than half".
        let five = UInt8(ascii: "5")
        let half = first == five && rest.dropFirst().allSatisfy { $0 == zero }
        let tenths: Int128 = half ? 5 : (first >= five ? 6 : (first == zero ? 1 : 4))
        let negative = bytes.first == UInt8(ascii: "-")
        let scaled = Int128(truncated.micros) * 10 + (negative ? -tenths : tenths)
        return .success(Decimal6(micros: Int64(divide(scaled, by: 10, rule: rule))))
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
