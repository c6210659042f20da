import Foundation
import MBTDomain

/// A recorded stretch of market data (a day, or several), indexed so a ``ReplayMarket`` can answer
/// "what was known at instant t" for any t without scanning.
///
/// Quotes whose symbol has the shape of an OCC option symbol are option quotes wherever they come
/// from, so one rule decides it for files and for values built in code alike.
public struct ReplayRecording: Sendable {
    /// Where the option chain of an underlying on one expiry is filed.
    struct ChainKey: Hashable, Sendable {
        let underlying: String
        let expiry: MarketDate
    }

    let quotes: [String: ReplaySeries<Quote>]
    let bars: [String: ReplaySeries<Bar>]
    let optionQuotes: [OptionSymbol: ReplaySeries<Quote>]
    /// Contracts per underlying and expiry, ordered by right, strike, then root (as a chain is served).
    let chains: [ChainKey: [OptionSymbol]]
    /// Ordered by ex-date, symbol, id, as the live client returns them.
    let corporateActions: [CorporateAction]

    /// Every stock symbol with bars or quotes in the recording.
    var stockSymbols: Set<String> { Set(quotes.keys).union(bars.keys) }

    /// The earliest quote timestamp or bar start, so a replay clock can start where the data does.
    public let firstInstant: Date?

    /// A recording from values in memory.
    ///
    /// Quotes for OCC-shaped symbols in `quotes` count as option quotes. Every quote in
    /// `optionQuotes` must carry a valid OCC symbol; anything else is a programming error and traps,
    /// because ``load(directory:)`` checks files before they get here. Two bars of one symbol with
    /// the same start are one minute recorded twice; the later one given wins.
    public init(quotes: [Quote], bars: [Bar], optionQuotes: [Quote] = [], corporateActions: [CorporateAction] = []) {
        for quote in optionQuotes where !OptionSymbol.isOptionSymbol(quote.symbol) {
            preconditionFailure("replay option quote for '\(quote.symbol)', which is not an OCC option symbol")
        }
        var stockQuotes: [String: [Quote]] = [:]
        var contractQuotes: [OptionSymbol: [Quote]] = [:]
        var contracts: [String: OptionSymbol] = [:]  // parsed once per symbol, not once per quote
        for quote in quotes + optionQuotes {
            guard OptionSymbol.isOptionSymbol(quote.symbol) else {
                stockQuotes[quote.symbol, default: []].append(quote)
                continue
            }
            if contracts[quote.symbol] == nil {
                do {
                    contracts[quote.symbol] = try OptionSymbol(parsing: quote.symbol)
                } catch {
                    preconditionFailure("replay option quote: \(error)")
                }
            }
            contractQuotes[contracts[quote.symbol]!, default: []].append(quote)
        }

        var chains: [ChainKey: [OptionSymbol]] = [:]
        for contract in contractQuotes.keys {
            // Filed under the root and, for index weeklies (SPXW), under the index too, as Alpaca's
            // chain of SPX includes SPXW.
            let names = Set([contract.root, IndexOptionRoots.underlyingIndex(ofRoot: contract.root)])
            for name in names { chains[ChainKey(underlying: name, expiry: contract.expiry), default: []].append(contract) }
        }

        self.quotes = stockQuotes.mapValues { ReplaySeries($0) }
        self.bars = Dictionary(grouping: bars, by: \.symbol).mapValues { ReplaySeries($0).keepingLastPerInstant() }
        self.optionQuotes = contractQuotes.mapValues { ReplaySeries($0) }
        self.chains = chains.mapValues { contracts in
            contracts.sorted { ($0.right.rawValue, $0.strike, $0.root) < ($1.right.rawValue, $1.strike, $1.root) }
        }
        self.corporateActions = corporateActions.sorted { ($0.exDate, $0.symbol, $0.id) < ($1.exDate, $1.symbol, $1.id) }

        let firsts =
            self.quotes.values.compactMap(\.first?.timestamp) + self.bars.values.compactMap(\.first?.start)
            + self.optionQuotes.values.compactMap(\.first?.timestamp)
        self.firstInstant = firsts.min()
    }

    /// Loads every `*.json` and `*.csv` file in `directory` (not its subdirectories, and not hidden
    /// files), recognising each by its content or header; the formats are in `docs/replay-format.md`.
    ///
    /// Files are read in name order, which decides which of two bars for the same minute wins. Any
    /// unreadable file, unknown shape or bad row fails the whole load, naming the file (and line),
    /// because a replay that silently skipped data would quietly price fills differently.
    public static func load(directory: URL) throws(MarketDataError) -> ReplayRecording {
        let entries: [URL]
        do {
            entries = try FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        } catch {
            throw .invalidRequest("replay directory \(directory.path) cannot be read: \(error.localizedDescription)")
        }
        let files =
            entries
            .filter { ["json", "csv"].contains($0.pathExtension.lowercased()) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else { throw .invalidRequest("replay directory \(directory.path) holds no .json or .csv files") }

        var contents = ReplayFileContents()
        for file in files { contents.append(try ReplayFileContents.read(file)) }
        return ReplayRecording(quotes: contents.quotes, bars: contents.bars, corporateActions: contents.corporateActions)
    }

    /// The bars of one recording file (`*.json` in Alpaca's multi-symbol shape, or `*.csv`; the
    /// formats are in `docs/replay-format.md`), for a benchmark that takes its workload from a file.
    public static func bars(inFile file: URL) throws(MarketDataError) -> [Bar] {
        guard ["json", "csv"].contains(file.pathExtension.lowercased()) else {
            throw .invalidRequest("\(file.path): a bars file must be .json or .csv")
        }
        return try ReplayFileContents.read(file).bars
    }
}

/// What one file (or all files so far) held, before indexing.
struct ReplayFileContents: Sendable {
    var quotes: [Quote] = []
    var bars: [Bar] = []
    var corporateActions: [CorporateAction] = []

    /// One `*.json` or `*.csv` file's contents, every failure naming the file.
    static func read(_ file: URL) throws(MarketDataError) -> ReplayFileContents {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .invalidRequest("replay file \(file.path) cannot be read: \(error.localizedDescription)")
        }
        let name = file.lastPathComponent
        return file.pathExtension.lowercased() == "json" ? try ReplayJSONFile.read(data, name: name) : try ReplayCSVFile.read(data, name: name)
    }

    mutating func append(_ other: ReplayFileContents) {
        quotes += other.quotes
        bars += other.bars
        corporateActions += other.corporateActions
    }
}

extension ReplayFileContents {
    /// Checks that an OCC-shaped quote symbol is a real contract, so a typo in a recording is reported
    /// where it is instead of trapping in ``ReplayRecording/init(quotes:bars:optionQuotes:corporateActions:)``.
    static func checkOptionSymbol(_ symbol: String, at place: String) throws(MarketDataError) {
        guard OptionSymbol.isOptionSymbol(symbol) else { return }
        do {
            _ = try OptionSymbol(parsing: symbol)
        } catch {
            throw .malformedResponse("\(place): \(error.description)")
        }
    }
}
