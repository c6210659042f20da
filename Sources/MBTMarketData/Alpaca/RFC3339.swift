import Foundation

/// Reads RFC 3339 instants as Alpaca writes them (`2022-08-17T10:09:34.055031265Z`, up to nine
/// fractional digits, `Z` or an offset), keeping whole microseconds.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
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

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
