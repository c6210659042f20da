import Foundation
import MBTDomain

/// Reads RFC 3339 instants as Alpaca writes them (`2022-08-17T10:09:34.055031265Z`, up to nine
/// fractional digits, `Z` or an offset), keeping whole microseconds.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        parseUTC(text) ?? parseAnyOffset(text)
    }

    /// Any form Foundation's ISO 8601 parsing takes, the fraction kept to whole microseconds.
    static func parseAnyOffset(_ text: String) -> Date? {
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digitsEnd = text[dot...].dropFirst().firstIndex { !$0.isNumber } ?? text.endIndex
            let digits = text[text.index(after: dot)..<digitsEnd]
            guard !digits.isEmpty, digits.count <= 9 else { return nil }
            let micros = Int(digits.prefix(6).padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
            fraction = Double(micros) / 1_000_000
            base = String(text[..<dot]) + String(text[digitsEnd...])
        }
        guard let whole = try? Date(base, strategy: .iso8601) else { return nil }
        return whole.addingTimeInterval(fraction)
    }

    private static let separators: [(offset: Int, byte: UInt8)] = [
        (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":")),
    ]

    /// The common case read directly: `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with a valid calendar
    /// date and time, whole microseconds kept. `nil` for anything else (an offset, a leap second,
    /// an odd form), which the general parse decides; for what both read, both give the same
    /// instant, computed the same way (whole seconds, then the fraction added).
    static func parseUTC(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Date? in
            guard bytes.count >= 20, bytes.count <= 30, bytes[bytes.count - 1] == UInt8(ascii: "Z") else { return nil }
            func number(_ from: Int, _ length: Int) -> Int? {
                var value = 0
                for offset in from..<from + length {
                    let digit = Int(bytes[offset]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard Self.separators.allSatisfy({ bytes[$0.offset] == $0.byte }),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                let days = MarketDate(year: year, month: month, day: day)?.daysSinceEpoch,
                hour < 24, minute < 60, second < 60
            else { return nil }
            var micros = 0
            if bytes.count > 20 {
                let digits = bytes.count - 21
                guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits), let fraction = number(20, digits) else { return nil }
                // Whole microseconds, the further digits dropped, as the general parse does.
                let scale = (0..<abs(digits - 6)).reduce(1) { power, _ in power * 10 }
                micros = digits >= 6 ? fraction / scale : fraction * scale
            }
            let whole = Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
            return whole.addingTimeInterval(Double(micros) / 1_000_000)
        } ?? nil
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
