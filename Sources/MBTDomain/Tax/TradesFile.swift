/// The trades file `mbt tax report` reads: CSV, one fill per row, in execution order within each date.
///
/// ```
/// date,action,symbol,quantity,price[,fees][,lot_ids]
/// 2025-03-03,buy,AAPL,100,180.25,1.00
/// 2025-04-01,sell,AAPL,40,170,,2
/// ```
/// - `date`: the trade date, `YYYY-MM-DD`.
/// - `action`: `buy`, `sell`, `sell_short`, `buy_to_cover`, `exercise`, `assign` or `expire`
///   (the last three for OCC option symbols only).
/// - `symbol`: a stock ticker (upper case) or an OCC option symbol such as `AAPL260320C00150000`.
/// - `quantity`: shares or contracts, a positive decimal (at most six decimals, no signs or exponents).
/// - `price`: per share (an option premium of 2.50 is written 2.50). For `exercise` and `assign`
///   the underlying's price: required for cash-settled index options (their settlement value),
///   and may be left empty otherwise; ignored (and may be empty) for `expire`.
/// - `fees` (optional column): for the whole row; empty means none.
/// - `lot_ids` (optional column): for closing rows, the line numbers of the rows that opened the
///   lots to close (specific identification), separated by `;` or spaces.
///
/// Each row becomes a ``TaxEvent`` whose id and sequence are its line number (the header is line 1),
/// so lots are named by the line that opened them. Blank lines are skipped, fields may be quoted,
/// and a row may leave out trailing optional fields.
/// Every bad row is reported, with its line number, and no events are returned.
public enum TradesFile {
    public static let requiredColumns = ["date", "action", "symbol", "quantity", "price"]
    public static let optionalColumns = ["fees", "lot_ids"]

    /// The events of a trades file's text, or every problem in it.
    public static func parse(_ text: String) throws(TradesFileError) -> [TaxEvent] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else {
            throw TradesFileError([.init(line: 1, reason: "empty file; expected the header \(requiredColumns.joined(separator: ","))")])
        }
        let columns = try header(String(headerLine))
        var events: [TaxEvent] = []
        var problems: [TradesFileError.Problem] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.allSatisfy({ $0 == " " || $0 == "\t" }) {
            let number = offset + 1
            switch row(String(line), line: number, columns: columns) {
            case .success(let event): events.append(event)
            case .failure(let rowProblems): problems += rowProblems.reasons.map { .init(line: number, reason: $0) }
            }
        }
        problems += lotIdProblems(events)
        guard problems.isEmpty else { throw TradesFileError(problems.sorted { $0.line < $1.line }) }
        return events
    }

    /// Column name → index, checked: the five required columns first, then optional ones once each.
    private static func header(_ line: String) throws(TradesFileError) -> [String: Int] {
        let names = fields(of: line).map { $0.trimmingSpaces.lowercased() }
        let problem = TradesFileError([
            .init(line: 1, reason: "header must be \(requiredColumns.joined(separator: ",")) optionally followed by fees and/or lot_ids")
        ])
        guard names.count >= requiredColumns.count, Array(names.prefix(requiredColumns.count)) == requiredColumns else { throw problem }
        let extra = names.dropFirst(requiredColumns.count)
        guard extra.allSatisfy(optionalColumns.contains), Set(extra).count == extra.count else { throw problem }
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    private static func row(_ line: String, line number: Int, columns: [String: Int]) -> Result<TaxEvent, RowProblems> {
        let values = fields(of: line).map(\.trimmingSpaces)
        guard (requiredColumns.count...columns.count).contains(values.count) else {
            return .failure(RowProblems(["expected \(columns.count) fields, found \(values.count)"]))
        }
        var problems: [String] = []
        func field(_ name: String) -> String { columns[name].flatMap { $0 < values.count ? values[$0] : nil } ?? "" }

        let date = MarketDate(iso: field("date"))
        if date == nil { problems.append("date '\(field("date").prefix(20))' is not a valid YYYY-MM-DD date") }
        let action = TaxEvent.Action(rawValue: field("action"))
        if action == nil {
            problems.append(
                "action '\(field("action").prefix(20))' is not one of \(TaxEvent.Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let symbol = field("symbol")
        let instrument = TaxInstrument(symbol: symbol)
        if instrument == nil {
            problems.append("symbol '\(symbol.prefix(30))' is neither a stock symbol nor a valid OCC option symbol")
        } else if let action, [.exercise, .assign, .expire].contains(action), instrument?.option == nil {
            problems.append("\(action.rawValue) applies to option symbols only")
        }
        let quantity = decimal(field("quantity"), name: "quantity", problems: &problems, allowEmpty: false)
        if let quantity, !quantity.isNegative, !quantity.isPositive || quantity > TaxState.maximumQuantity {
            problems.append("quantity \(field("quantity")) must be above 0 and at most \(TaxState.maximumQuantity)")
        }
        let price = decimal(field("price"), name: "price", problems: &problems, allowEmpty: priceMayBeEmpty(action, instrument))
        let fees = decimal(field("fees"), name: "fees", problems: &problems, allowEmpty: true)
        let lotIds = lotIds(field("lot_ids"), action: action, problems: &problems)

        guard problems.isEmpty, let date, let action, let quantity else { return .failure(RowProblems(problems)) }
        return .success(
            TaxEvent(
                id: Int64(number), date: date, sequence: Int64(number), action: action, symbol: symbol, quantity: quantity,
                price: price ?? .zero, fees: fees ?? .zero, lotIds: lotIds))
    }

    private static func priceMayBeEmpty(_ action: TaxEvent.Action?, _ instrument: TaxInstrument?) -> Bool {
        switch action {
        case .expire, .split: true
        case .exercise, .assign: !(instrument?.isCashSettled ?? false)
        default: false
        }
    }

    /// A strict non-negative decimal, or `nil` when empty (if allowed) or bad (with a problem noted).
    private static func decimal(_ text: String, name: String, problems: inout [String], allowEmpty: Bool) -> Decimal6? {
        if text.isEmpty {
            if !allowEmpty { problems.append("\(name) is missing") }
            return nil
        }
        do {
            let value = try Decimal6(parsing: text)
            if value.isNegative { problems.append("\(name) \(text) is negative") }
            return value
        } catch {
            problems.append("\(name): \(error.description)")
            return nil
        }
    }

    private static func lotIds(_ text: String, action: TaxEvent.Action?, problems: inout [String]) -> [Int64] {
        let parts = text.split(whereSeparator: { $0 == ";" || $0 == " " })
        guard !parts.isEmpty else { return [] }
        if let action, !action.closesLots { problems.append("lot_ids apply to closing rows only, not \(action.rawValue)") }
        var ids: [Int64] = []
        for part in parts {
            guard part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber), let id = Int64(part), id > 1 else {
                problems.append("lot id '\(part.prefix(20))' is not the line number of a row")
                continue
            }
            ids.append(id)
        }
        return ids
    }

    /// Lot ids must name earlier rows that open lots.
    private static func lotIdProblems(_ events: [TaxEvent]) -> [TradesFileError.Problem] {
        let openers = Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) })
        var problems: [TradesFileError.Problem] = []
        for event in events {
            for id in event.lotIds {
                guard let opener = openers[id], [.buy, .sellShort, .exercise, .assign].contains(opener.action) else {
                    problems.append(.init(line: Int(event.id), reason: "lot id \(id) is not the line of a row that opens lots"))
                    continue
                }
                if opener.date > event.date || (opener.date == event.date && opener.id > event.id) {
                    problems.append(.init(line: Int(event.id), reason: "lot id \(id) names a later row"))
                }
            }
        }
        return problems
    }

    /// Splits one CSV line on commas, honouring double quotes (`""` inside quotes is a quote).
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\"" where quoted:
                quoted = false
            case "\"" where current.isEmpty || current.last == "\"":
                quoted = true
            case "," where !quoted:
                fields.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    private struct RowProblems: Error {
        let reasons: [String]
        init(_ reasons: [String]) { self.reasons = reasons }
    }
}

/// Every bad row of a trades file.
public struct TradesFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable {
        /// 1-based, the header being line 1.
        public let line: Int
        public let reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    public let problems: [Problem]

    public init(_ problems: [Problem]) {
        self.problems = problems
    }

    /// One line: `2 bad rows: line 3: …; line 5: …`.
    public var description: String {
        let rows = Set(problems.map(\.line)).count
        let list = problems.map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
        return "\(rows) bad row\(rows == 1 ? "" : "s"): \(list)"
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
