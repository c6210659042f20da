import Foundation
import MBTDomain

/// Numbers as the pages show them, formatted from exact ``Decimal6`` values (never through a
/// binary float): money to the cent with thousands separators, prices with at least two decimals,
/// quantities without trailing zeros. The browser receives only the resulting text.
enum WebFormat {
    /// `$12,345.68`, `-$3.10` (rounded half away from zero to the cent).
    static func money(_ value: Decimal6) -> String {
        let cents = value.rounded(toPlaces: 2, rule: .toNearestOrAwayFromZero)
        return (cents.isNegative ? "-" : "") + "$" + digits(cents.magnitude, minimumDecimals: 2, maximumDecimals: 2)
    }

    /// `+$1.20`, `-$3.10`, `$0.00`: a change or a profit.
    static func signedMoney(_ value: Decimal6) -> String {
        let cents = value.rounded(toPlaces: 2, rule: .toNearestOrAwayFromZero)
        return (cents.isPositive ? "+" : "") + money(value)
    }

    /// `172.60`, `0.0525`: at least two decimals, more when the price has them.
    static func price(_ value: Decimal6) -> String {
        (value.isNegative ? "-" : "") + digits(value.magnitude, minimumDecimals: 2, maximumDecimals: 6)
    }

    /// `10`, `0.5`, `1,250`.
    static func quantity(_ value: Decimal6) -> String {
        (value.isNegative ? "-" : "") + digits(value.magnitude, minimumDecimals: 0, maximumDecimals: 6)
    }

    /// `1250`, `172.7`: as a form field holds it, without grouping, so it reads back exactly.
    static func plain(_ value: Decimal6) -> String {
        var text = value.description
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `gain`, `loss` or `flat`: the CSS class of a profit figure.
    static func tone(_ value: Decimal6) -> String {
        let cents = value.rounded(toPlaces: 2, rule: .toNearestOrAwayFromZero)
        return cents.isPositive ? "gain" : (cents.isNegative ? "loss" : "flat")
    }

    /// `2026-03-18 11:02` in New York time, as the market keeps it.
    static func instant(_ date: Date) -> String {
        let parts = MarketDate.calendar.dateComponents([.hour, .minute], from: date)
        return "\(MarketDate(containing: date)) \(twoDigits(parts.hour ?? 0)):\(twoDigits(parts.minute ?? 0))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The digits of a non-negative value with grouped thousands and between `minimumDecimals`
    /// and `maximumDecimals` decimals (the value is already rounded to at most the maximum).
    private static func digits(_ value: Decimal6, minimumDecimals: Int, maximumDecimals: Int) -> String {
        let micros = value.micros.magnitude
        let whole = String(micros / UInt64(Decimal6.microsPerUnit))
        var grouped = ""
        for (offset, character) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let fraction = String(micros % UInt64(Decimal6.microsPerUnit))
        var decimals = String(repeating: "0", count: Decimal6.scale - fraction.count) + fraction
        decimals = String(decimals.prefix(maximumDecimals))
        while decimals.count > minimumDecimals, decimals.hasSuffix("0") { decimals.removeLast() }
        return decimals.isEmpty ? grouped : grouped + "." + decimals
    }
}
