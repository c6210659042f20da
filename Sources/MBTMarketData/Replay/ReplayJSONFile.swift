import Foundation
import MBTDomain

/// A saved Alpaca Market Data response, in any of the shapes a replay accepts: bars (multi- or
/// single-symbol), quotes (historical arrays or latest objects, multi- or single-symbol) and
/// corporate actions. Numbers go through ``AlpacaWire``'s `Decimal` fields, never `Double`.
struct ReplayJSONFile: Decodable {
    /// A file that is JSON but none of the accepted shapes; kept apart from decoding errors so the
    /// message can say what was expected.
    struct UnknownShape: Error {
        let keys: [String]
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }

        static let bars = Key("bars")
        static let quotes = Key("quotes")
        static let symbol = Key("symbol")
        static let corporateActions = Key("corporate_actions")
    }

    var bars: [String: [AlpacaWire.WireBar]] = [:]
    /// In file order within each symbol; symbols in name order, so loading is deterministic.
    var quotes: [(symbol: String, wire: AlpacaWire.WireQuote)] = []
    var corporateActions: AlpacaWire.CorporateActions.Groups?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let known = [Key.bars, .quotes, .corporateActions].filter { container.contains($0) }
        guard !known.isEmpty else { throw UnknownShape(keys: container.allKeys.map(\.stringValue).sorted()) }

        if container.contains(.bars) {
            if (try? container.nestedUnkeyedContainer(forKey: .bars)) != nil {
                // Single-symbol endpoint: {"bars":[…],"symbol":"AAPL"}.
                bars[try container.decode(String.self, forKey: .symbol)] = try container.decode(
                    [AlpacaWire.WireBar].self, forKey: .bars)
            } else {
                bars = try AlpacaWire.Bars(from: decoder).bars ?? [:]
            }
        }
        if container.contains(.quotes) {
            if var list = try? container.nestedUnkeyedContainer(forKey: .quotes) {
                // Single-symbol historical endpoint: {"quotes":[…],"symbol":"AAPL"}.
                let symbol = try container.decode(String.self, forKey: .symbol)
                while !list.isAtEnd { quotes.append((symbol, try list.decode(AlpacaWire.WireQuote.self))) }
            } else {
                let bySymbol = try container.nestedContainer(keyedBy: Key.self, forKey: .quotes)
                for key in bySymbol.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                    if var list = try? bySymbol.nestedUnkeyedContainer(forKey: key) {
                        while !list.isAtEnd { quotes.append((key.stringValue, try list.decode(AlpacaWire.WireQuote.self))) }
                    } else {
                        quotes.append((key.stringValue, try bySymbol.decode(AlpacaWire.WireQuote.self, forKey: key)))
                    }
                }
            }
        }
        if container.contains(.corporateActions) {
            corporateActions = try AlpacaWire.CorporateActions(from: decoder).corporateActions
        }
    }

    /// The domain values in `data`, with every failure naming the file. The bars shape written plainly goes through ``ReplayBarsScanner``, everything else (and
    /// every error) through the decoder.
    static func read(_ data: Data, name: String) throws(MarketDataError) -> ReplayFileContents {
        if let bars = ReplayBarsScanner.bars(in: data) { return ReplayFileContents(bars: bars) }
        return try decoded(data, name: name)
    }

    /// The domain values in `data` read through `JSONDecoder`, every shape accepted.
    static func decoded(_ data: Data, name: String) throws(MarketDataError) -> ReplayFileContents {
        let file: ReplayJSONFile
        do {
            file = try JSONDecoder().decode(ReplayJSONFile.self, from: data)
        } catch let error as UnknownShape {
            throw .malformedResponse(
                "\(name): not a recognised Alpaca response (expected a top-level \"bars\", \"quotes\" or \"corporate_actions\" key; "
                    + "found \(error.keys.isEmpty ? "none" : error.keys.joined(separator: ", ")))")
        } catch let error as DecodingError {
            throw .malformedResponse("\(name): \(describe(error))")
        } catch {
            throw .malformedResponse("\(name): \(error)")
        }

        var contents = ReplayFileContents()
        do throws(MarketDataError) {
            for (symbol, wires) in file.bars.sorted(by: { $0.key < $1.key }) {
                for (index, wire) in wires.enumerated() {
                    contents.bars.append(
                        try located("bars.\(symbol)[\(index)]") { () throws(MarketDataError) in try AlpacaWire.bar(wire, symbol: symbol) })
                }
            }
            var positions: [String: Int] = [:]
            for (symbol, wire) in file.quotes {
                let index = positions[symbol, default: 0]
                positions[symbol] = index + 1
                let place = "quotes.\(symbol)[\(index)]"
                try ReplayFileContents.checkOptionSymbol(symbol, at: place)
                contents.quotes.append(try located(place) { () throws(MarketDataError) in try AlpacaWire.quote(wire, symbol: symbol) })
            }
            if let groups = file.corporateActions {
                contents.corporateActions = try AlpacaWire.corporateActions(groups)
            }
        } catch {
            throw prefixed(error, with: name)
        }
        return contents
    }

    private static func located<T>(_ place: String, _ body: () throws(MarketDataError) -> T) throws(MarketDataError) -> T {
        do throws(MarketDataError) {
            return try body()
        } catch {
            throw prefixed(error, with: place)
        }
    }

    private static func prefixed(_ error: MarketDataError, with place: String) -> MarketDataError {
        guard case .malformedResponse(let reason) = error else { return error }
        return .malformedResponse("\(place): \(reason)")
    }

    /// A decoding error as a path and a reason (`bars.AAPL[2].c: expected a number`), since the
    /// default description is a paragraph of Swift types.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
            return text.isEmpty ? "top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type == Decimal.self ? "a number" : "\(type)")"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type == Decimal.self ? "a number" : "\(type)"), found null"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return "\(path(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
