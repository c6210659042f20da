/// Year-end prices for marking open Section 1256 contracts, as `mbt tax report --marks` reads them.
///
/// ```
/// year,symbol,price
/// 2025,SPXW251219C06000000,42.10
/// ```
/// `price` is per share, like every option price in MBT. Problems are reported like a trades
/// file's, every bad row with its line number.
public enum YearEndMarksFile {
    /// Year → symbol → price.
    public static func parse(_ text: String) throws(TradesFileError) -> [Int: [String: Decimal6]] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first, TradesFile.fields(of: String(header)).map({ $0.lowercased() }) == ["year", "symbol", "price"] else {
            throw TradesFileError([.init(line: 1, reason: "header must be year,symbol,price")])
        }
        var marks: [Int: [String: Decimal6]] = [:]
        var problems: [TradesFileError.Problem] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = TradesFile.fields(of: String(line))
            guard fields.count == 3, let year = Int(fields[0]), (1900...2100).contains(year),
                let instrument = TaxInstrument(symbol: fields[1]), instrument.isSection1256,
                let price = try? Decimal6(parsing: fields[2]), !price.isNegative
            else {
                problems.append(.init(line: offset + 1, reason: "expected year (1900-2100), a Section 1256 option symbol and a price"))
                continue
            }
            if marks[year]?[fields[1]] != nil {
                problems.append(.init(line: offset + 1, reason: "a second \(year) price for \(fields[1])"))
            }
            marks[year, default: [:]][fields[1]] = price
        }
        guard problems.isEmpty else { throw TradesFileError(problems) }
        return marks
    }
}
