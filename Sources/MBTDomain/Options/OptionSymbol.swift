/// One listed option contract, named the way the OCC symbology names it: root, expiry, right, strike.
///
/// The text form is the OCC symbol without the padding of the root, which is how Alpaca writes it:
/// `AAPL260320C00150000` is the AAPL call expiring 2026-03-20 with a strike of 150. The fixed-width
/// tail is six digits of expiry (`YYMMDD`, always in 20YY), `C` or `P`, and eight digits of strike
/// times 1000. Every value of this type can be written in that form, and parsing the form gives
/// back the same value, so the string can serve as the contract's key in storage and on the wire.
public struct OptionSymbol: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Whether the contract is a call or a put; the raw value is the letter in the symbol.
    public enum Right: String, Sendable, Codable, CaseIterable {
        case call = "C"
        case put = "P"
    }

    /// The option root: 1–6 uppercase ASCII letters, of which the last may instead be a digit
    /// (`CSGP1`), because OCC marks contracts adjusted by a corporate action that way.
    public let root: String
    /// The expiration day; a 20YY year, since the symbol has only two digits for it.
    public let expiry: MarketDate
    public let right: Right
    /// Dollars per share, positive, below 100 000 and with at most three decimals, because the
    /// symbol carries the strike as eight digits of thousandths.
    public let strike: Decimal6

    /// Shares delivered per contract; premiums are quoted per share, so a contract costs 100 × the price.
    public static let contractMultiplier: Int64 = 100

    /// Length of the fixed-width part after the root: YYMMDD, the right, eight strike digits.
    private static let tailLength = 15
    private static let maxRootLength = 6
    /// Strike micro-units per unit of the symbol's eight-digit field (which counts thousandths).
    private static let microsPerStrikeUnit: Int64 = 1_000
    /// 100 000 in micro-units: the first strike eight digits of thousandths cannot hold.
    private static let strikeLimitMicros: Int64 = 100_000 * Decimal6.microsPerUnit

    /// A contract from its parts, checked against what the symbol can express.
    public init(root: String, expiry: MarketDate, right: Right, strike: Decimal6) throws(OptionSymbolError) {
        guard Self.isValidRoot(Array(root.utf8)) else { throw .badRoot(root) }
        guard (2000...2099).contains(expiry.year) else { throw .badDate(expiry.description) }
        guard strike.isPositive, strike.micros < Self.strikeLimitMicros, strike.micros % Self.microsPerStrikeUnit == 0 else {
            throw .badStrike(strike.description)
        }
        self.root = root
        self.expiry = expiry
        self.right = right
        self.strike = strike
    }

    /// Parses the strict unpadded OCC form, e.g. `AAPL260320C00150000`.
    ///
    /// Nothing is normalised: lowercase, spaces (including OCC's padded root), and dates that do
    /// not exist on the calendar are all rejected, so two different strings never name one contract.
    public init(parsing text: String) throws(OptionSymbolError) {
        guard let fields = Self.split(text) else { throw .malformed(text) }
        guard Self.isValidRoot(fields.root) else { throw .badRoot(String(decoding: fields.root, as: UTF8.self)) }

        let dateText = String(decoding: fields.date, as: UTF8.self)
        let digits = fields.date.map { Int($0 - UInt8(ascii: "0")) }
        guard
            let expiry = MarketDate(
                year: 2000 + digits[0] * 10 + digits[1],
                month: digits[2] * 10 + digits[3],
                day: digits[4] * 10 + digits[5]
            )
        else { throw .badDate(dateText) }

        guard let right = Right(rawValue: String(UnicodeScalar(fields.right))) else {
            throw .badRight(String(decoding: [fields.right], as: UTF8.self))
        }

        let thousandths = fields.strike.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
        guard thousandths > 0 else { throw .badStrike(String(decoding: fields.strike, as: UTF8.self)) }

        self.root = String(decoding: fields.root, as: UTF8.self)
        self.expiry = expiry
        self.right = right
        self.strike = Decimal6(micros: thousandths * Self.microsPerStrikeUnit)
    }

    /// The unpadded OCC form, e.g. `AAPL260320C00150000`.
    public var description: String {
        root + Self.twoDigits(expiry.year % 100) + Self.twoDigits(expiry.month) + Self.twoDigits(expiry.day)
            + right.rawValue + Self.zeroPadded(strike.micros / Self.microsPerStrikeUnit, width: 8)
    }

    /// Whether `text` has the shape of an OCC symbol: a root, six digits, `C` or `P`, eight digits.
    ///
    /// This decides whether a symbol is meant as an option (rather than a stock ticker) without
    /// checking the calendar or the strike, so `AAPL260230C00150000` counts as an option symbol
    /// and ``init(parsing:)`` then says what is wrong with it, instead of it being looked up as a stock.
    public static func isOptionSymbol(_ text: String) -> Bool {
        guard let fields = split(text) else { return false }
        return isValidRoot(fields.root) && (fields.right == UInt8(ascii: "C") || fields.right == UInt8(ascii: "P"))
    }

    /// Orders by root, then expiry, then calls before puts, then strike: the order of the symbols
    /// as strings for contracts on one root, so a sorted chain reads like the listing.
    public static func < (lhs: OptionSymbol, rhs: OptionSymbol) -> Bool {
        if lhs.root != rhs.root { return lhs.root < rhs.root }
        if lhs.expiry != rhs.expiry { return lhs.expiry < rhs.expiry }
        if lhs.right != rhs.right { return lhs.right == .call }
        return lhs.strike < rhs.strike
    }

    // MARK: - Codable

    /// Decodes from the OCC string, so JSON and stored rows carry the same text users type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try OptionSymbol(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: - Parsing helpers

    private struct Fields {
        var root: ArraySlice<UInt8>
        var date: ArraySlice<UInt8>
        var right: UInt8
        var strike: ArraySlice<UInt8>
    }

    /// Cuts the text at the fixed-width tail, which is read from the end because the root's length
    /// varies (and may itself end in a digit); `nil` unless the date and strike fields are all digits.
    private static func split(_ text: String) -> Fields? {
        let bytes = Array(text.utf8)
        guard bytes.count > tailLength else { return nil }
        let tailStart = bytes.count - tailLength
        let fields = Fields(
            root: bytes[..<tailStart],
            date: bytes[tailStart..<tailStart + 6],
            right: bytes[tailStart + 6],
            strike: bytes[(tailStart + 7)...]
        )
        guard fields.date.allSatisfy(isDigit), fields.strike.allSatisfy(isDigit) else { return nil }
        return fields
    }

    private static func isValidRoot(_ bytes: some Collection<UInt8>) -> Bool {
        guard (1...maxRootLength).contains(bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            guard isUppercaseLetter(byte) || (isLast && index > 0 && isDigit(byte)) else { return false }
        }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isUppercaseLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

    private static func twoDigits(_ value: Int) -> String { zeroPadded(Int64(value), width: 2) }

    private static func zeroPadded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Why a string or a set of parts is not a valid ``OptionSymbol``; each case carries the offending field.
public enum OptionSymbolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The root is empty, longer than six characters, or not uppercase ASCII letters (with an optional final digit).
    case badRoot(String)
    /// The `YYMMDD` field is not a calendar day, or an expiry's year is outside 2000–2099.
    case badDate(String)
    /// The character after the date is neither `C` nor `P`.
    case badRight(String)
    /// The strike is zero, negative, 100 000 or more, or has more than three decimals.
    case badStrike(String)
    /// The text does not have the shape root + 6 digits + right + 8 digits (too short, or non-digits in a digit field).
    case malformed(String)

    public var description: String {
        switch self {
        case .badRoot(let root):
            "option root '\(root.prefix(40))' is not 1-6 uppercase letters (optionally ending in a digit)"
        case .badDate(let date):
            "option expiry '\(date)' is not a valid date (expected YYMMDD in 2000-2099)"
        case .badRight(let right):
            "option right '\(right)' is neither C (call) nor P (put)"
        case .badStrike(let strike):
            "option strike '\(strike)' must be above 0, below 100000 and have at most 3 decimals"
        case .malformed(let text):
            "'\(text.prefix(40))' is not an option symbol (expected ROOT + YYMMDD + C|P + 8 strike digits, e.g. AAPL260320C00150000)"
        }
    }
}
