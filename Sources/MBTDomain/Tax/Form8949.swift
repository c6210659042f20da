/// Dispositions as Form 8949 rows, in CSV, for `mbt tax report --format csv`.
///
/// One table with a leading `part` column rather than separate files: `I` (short-term, Part I),
/// `II` (long-term, Part II), and `6781` for Section 1256 contracts, which belong on Form 6781
/// (Part I, 60/40) instead of Form 8949; rows are grouped in that order, each group in sale order.
/// The other columns are the form's (a)–(h): description, date acquired (the adjusted date when a
/// wash sale tacked a holding period on, which is what the part follows), date sold, proceeds,
/// cost basis, adjustment code (`W` for a wash sale) and amount (the disallowed loss, positive),
/// and gain or loss = proceeds − basis + adjustment. Amounts keep all six decimals: rounding to
/// whole dollars is the filer's last step, not the engine's (adlr #11).
public enum Form8949 {
    public static let header = "part,description,date_acquired,date_sold,proceeds,cost_basis,adjustment_code,adjustment_amount,gain_or_loss"

    /// The CSV text, header first, each line ending in a newline.
    public static func csv(_ dispositions: [Disposition]) -> String {
        let grouped =
            dispositions.filter { part(of: $0) == "I" } + dispositions.filter { part(of: $0) == "II" }
            + dispositions.filter { part(of: $0) == "6781" }
        return ([header] + grouped.map(line)).joined(separator: "\n") + "\n"
    }

    /// `I`, `II` or `6781`.
    public static func part(of disposition: Disposition) -> String {
        if disposition.section1256 { return "6781" }
        return disposition.term == .long ? "II" : "I"
    }

    static func line(_ disposition: Disposition) -> String {
        let washed = disposition.washSaleDisallowed.isPositive
        return [
            part(of: disposition), description(of: disposition), disposition.adjustedAcquired.description, disposition.sold.description,
            disposition.proceeds.description, disposition.basis.description, washed ? "W" : "",
            washed ? disposition.washSaleDisallowed.description : "", disposition.gain.description,
        ].map(escaped).joined(separator: ",")
    }

    /// Column (a): `100 AAPL`, with `(short sale)` or `(year-end mark)` where that applies.
    static func description(of disposition: Disposition) -> String {
        var text = "\(trimmed(disposition.quantity)) \(disposition.symbol)"
        if disposition.side == .short { text += " (short sale)" }
        if disposition.isYearEndMark { text += " (year-end mark)" }
        return text
    }

    /// The quantity without trailing zeros: `100`, `0.5`.
    static func trimmed(_ quantity: Decimal6) -> String {
        var text = quantity.description
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func escaped(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + String(field.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }
}
