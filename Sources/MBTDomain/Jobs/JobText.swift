/// Number formatting for the explanations the daily jobs write into audit rows and show users.
///
/// ``Decimal6``'s canonical six-decimal form is right for storage but reads badly in a sentence
/// ("bought 200.000000 shares at 150.000000"), so explanations print money with at least two
/// decimals and quantities with none unless they are fractional, and never drop a significant digit.
enum JobText {
    /// `150` → `"150.00"`, `0.005` → `"0.005"`, `-25.5` → `"-25.50"`.
    static func money(_ value: Decimal6) -> String {
        trimmed(value, keeping: 2)
    }

    /// `200` → `"200"`, `1.5` → `"1.5"`.
    static func quantity(_ value: Decimal6) -> String {
        trimmed(value, keeping: 0)
    }

    /// The canonical text with trailing fractional zeros removed, keeping at least `places` decimals.
    private static func trimmed(_ value: Decimal6, keeping places: Int) -> String {
        let text = value.description
        guard let point = text.firstIndex(of: ".") else { return text }
        var end = text.endIndex
        let minimumEnd = text.index(point, offsetBy: places + 1)
        while end > minimumEnd, text[text.index(before: end)] == "0" {
            end = text.index(before: end)
        }
        if places == 0, end == minimumEnd { end = point }
        return String(text[..<end])
    }
}
