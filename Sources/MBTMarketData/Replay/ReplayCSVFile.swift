import Foundation
import MBTDomain

/// Bars or quotes as CSV with a header line naming the columns, for recordings made by hand or
/// exported from other tools. Plain comma-separated fields, no quoting; decimals in the strict text
/// form of ``Decimal6``; instants in RFC 3339.
enum ReplayCSVFile {
    enum Kind {
        case bars
        case quotes

        var required: [String] {
            switch self {
            case .bars: ["symbol", "timestamp", "open", "high", "low", "close", "volume"]
            case .quotes: ["symbol", "timestamp", "bid", "ask", "bid_size", "ask_size"]
            }
        }

        var optional: [String] {
            switch self {
            case .bars: ["trade_count", "vwap"]
            case .quotes: []
            }
        }
    }

    /// One data line, read by column name through the header.
    struct Row {
        let fields: [Substring]
        let columns: [String: Int]

        func text(_ column: String) -> Substring? {
            columns[column].map { fields[$0] }
        }

        func decimal(_ column: String) throws(MarketDataError) -> Decimal6 {
            let text = String(text(column) ?? "")
            do {
                return try Decimal6(parsing: text)
            } catch {
                throw .malformedResponse("\(column): \(error.description)")
            }
        }

        /// Sizes and volumes: whole, non-negative numbers (written `100` or `100.0`, as JSON allows).
        func count(_ column: String) throws(MarketDataError) -> Int64 {
            let value = try decimal(column)
            guard !value.isNegative, value.micros % Decimal6.microsPerUnit == 0 else {
                throw .malformedResponse("\(column): '\(text(column) ?? "")' is not a whole non-negative number")
            }
            return value.wholePart
        }

        func instant(_ column: String) throws(MarketDataError) -> Date {
            let text = String(text(column) ?? "")
            guard let date = RFC3339.parse(text) else {
                throw .malformedResponse("\(column): '\(text)' is not an RFC 3339 timestamp such as 2026-03-20T13:30:00Z")
            }
            return date
        }

        func symbol() throws(MarketDataError) -> String {
            let symbol = String(text("symbol") ?? "")
            guard !symbol.isEmpty else { throw .malformedResponse("symbol: empty") }
            try ReplayFileContents.checkOptionSymbol(symbol, at: "symbol")
            return symbol
        }

        /// `nil` for a missing column or an empty field, since exports leave unknown values blank.
        func optional<T>(_ column: String, _ read: (String) throws(MarketDataError) -> T) throws(MarketDataError) -> T? {
            guard let text = text(column), !text.isEmpty else { return nil }
            return try read(column)
        }
    }

    /// The bars or quotes in `data`; a bad header or row fails with the file name and line number.
    static func read(_ data: Data, name: String) throws(MarketDataError) -> ReplayFileContents {
        guard var text = String(data: data, encoding: .utf8) else { throw .malformedResponse("\(name): not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Splitting on Character newlines treats "\r\n" as one break, so Windows files work too.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let headerIndex = lines.firstIndex(where: { !$0.isEmpty }) else {
            throw .malformedResponse("\(name): empty file (expected a header line)")
        }
        let header = lines[headerIndex].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let (kind, columns) = try parseHeader(header, at: "\(name) line \(headerIndex + 1)")

        var contents = ReplayFileContents()
        for index in lines.indices where index > headerIndex && !lines[index].isEmpty {
            let place = "\(name) line \(index + 1)"
            let fields = lines[index].split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw .malformedResponse("\(place): \(fields.count) fields, but the header has \(header.count)")
            }
            let row = Row(fields: fields, columns: columns)
            do throws(MarketDataError) {
                switch kind {
                case .bars: contents.bars.append(try bar(row))
                case .quotes: contents.quotes.append(try quote(row))
                }
            } catch {
                guard case .malformedResponse(let reason) = error else { throw error }
                throw .malformedResponse("\(place): \(reason)")
            }
        }
        return contents
    }

    /// Which kind of file the header names, and where each column is; every required column must be
    /// present and nothing unknown, so a misspelt optional column is not silently dropped.
    private static func parseHeader(_ header: [String], at place: String) throws(MarketDataError) -> (Kind, [String: Int]) {
        let names = Set(header)
        let kind: Kind
        if names.contains("bid") || names.contains("ask") {
            kind = .quotes
        } else if names.contains("open") || names.contains("close") {
            kind = .bars
        } else {
            throw .malformedResponse(
                "\(place): header '\(header.joined(separator: ","))' is neither bars (\(Kind.bars.required.joined(separator: ",")))"
                    + " nor quotes (\(Kind.quotes.required.joined(separator: ",")))")
        }
        guard names.count == header.count else { throw .malformedResponse("\(place): a column is named twice") }
        let missing = kind.required.filter { !names.contains($0) }
        guard missing.isEmpty else { throw .malformedResponse("\(place): missing column(s) \(missing.joined(separator: ", "))") }
        let unknown = header.filter { !kind.required.contains($0) && !kind.optional.contains($0) }
        guard unknown.isEmpty else { throw .malformedResponse("\(place): unknown column(s) \(unknown.joined(separator: ", "))") }
        return (kind, Dictionary(uniqueKeysWithValues: header.enumerated().map { ($0.element, $0.offset) }))
    }

    private static func bar(_ row: Row) throws(MarketDataError) -> Bar {
        Bar(
            symbol: try row.symbol(), start: try row.instant("timestamp"), open: try row.decimal("open"), high: try row.decimal("high"),
            low: try row.decimal("low"), close: try row.decimal("close"), volume: try row.count("volume"),
            tradeCount: try row.optional("trade_count") { column throws(MarketDataError) in try row.count(column) },
            vwap: try row.optional("vwap") { column throws(MarketDataError) in try row.decimal(column) }
        )
    }

    private static func quote(_ row: Row) throws(MarketDataError) -> Quote {
        Quote(
            symbol: try row.symbol(), bid: try row.decimal("bid"), ask: try row.decimal("ask"), bidSize: try row.count("bid_size"),
            askSize: try row.count("ask_size"), timestamp: try row.instant("timestamp")
        )
    }
}
