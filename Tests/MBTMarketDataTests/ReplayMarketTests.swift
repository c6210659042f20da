import Foundation
import MBTDomain
import MBTMarketData
import Testing

@Suite("Replay market")
struct ReplayMarketTests {
    /// 2026-03-20 13:30:00 UTC, the open (09:30 New York).
    static let open = Date(timeIntervalSince1970: 1_774_013_400)

    static func at(_ minutes: Double) -> Date { open.addingTimeInterval(minutes * 60) }

    static func market(_ recording: ReplayRecording, at instant: Date) -> any MarketDataProvider {
        ReplayMarket(recording: recording, clock: FixedClock(instant))
    }

    /// A fresh directory holding `files` (name → content), removed when `body` returns.
    static func withDirectory<T>(_ files: [String: String], _ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, content) in files {
            try Data(content.utf8).write(to: directory.appendingPathComponent(name))
        }
        return try body(directory)
    }

    static func load(_ files: [String: String]) throws -> ReplayRecording {
        try withDirectory(files) { try ReplayRecording.load(directory: $0) }
    }

    /// The error loading `files` fails with.
    static func loadError(_ files: [String: String]) throws -> MarketDataError? {
        try withDirectory(files) { directory in
            #expect(throws: MarketDataError.self) { try ReplayRecording.load(directory: directory) }
        }
    }

    static let barsJSON = """
        {"bars":{"AAPL":[
          {"t":"2026-03-20T13:30:00Z","o":172.7,"h":173.05,"l":172.5,"c":172.9,"v":12345,"n":321,"vw":172.81234},
          {"t":"2026-03-20T13:31:00Z","o":172.9,"h":173.2,"l":172.85,"c":173.1,"v":2000,"n":40,"vw":173.0}
        ],"MSFT":[
          {"t":"2026-03-20T13:30:00Z","o":410.1,"h":410.5,"l":409.9,"c":410.2,"v":500}
        ]},"next_page_token":null}
        """

    static let quotesJSON = """
        {"quotes":{"AAPL":[
          {"t":"2026-03-20T13:30:00.123456789Z","ax":"V","ap":172.75,"as":3,"bx":"V","bp":172.7,"bs":2,"c":["R"],"z":"C"},
          {"t":"2026-03-20T13:31:00Z","ap":173.15,"as":1,"bp":173.1,"bs":4}
        ]},"next_page_token":null}
        """

    static let barsCSV = """
        symbol,timestamp,open,high,low,close,volume,trade_count,vwap
        AAPL,2026-03-20T13:30:00Z,172.7,173.05,172.5,172.9,12345,321,172.81234
        AAPL,2026-03-20T13:31:00Z,172.9,173.2,172.85,173.1,2000,40,173.0
        MSFT,2026-03-20T13:30:00Z,410.1,410.5,409.9,410.2,500,,

        """

    // Columns in another order than documented: the header decides.
    static let quotesCSV = """
        timestamp,symbol,bid,bid_size,ask,ask_size
        2026-03-20T13:30:00.123456789Z,AAPL,172.7,2,172.75,3
        2026-03-20T13:31:00Z,AAPL,173.1,4,173.15,1
        """

    @Test func jsonAndCSVLoadIntoTheSameValues() async throws {
        let fromJSON = try Self.load(["bars.json": Self.barsJSON, "quotes.json": Self.quotesJSON])
        let fromCSV = try Self.load(["bars.csv": Self.barsCSV, "quotes.csv": Self.quotesCSV])
        let late = Self.at(60)
        let jsonMarket = Self.market(fromJSON, at: late)
        let csvMarket = Self.market(fromCSV, at: late)

        let jsonBars = try await (jsonMarket.minuteBars(["AAPL", "MSFT"], from: Self.open, to: late))
        let csvBars = try await (csvMarket.minuteBars(["AAPL", "MSFT"], from: Self.open, to: late))
        #expect(jsonBars == csvBars)
        #expect(
            jsonBars["AAPL"]?.first
                == Bar(
                    symbol: "AAPL", start: Self.open, open: "172.7", high: "173.05", low: "172.5", close: "172.9", volume: 12345,
                    tradeCount: 321, vwap: "172.81234"))
        #expect(jsonBars["MSFT"]?.first?.tradeCount == nil)
        #expect(jsonBars["MSFT"]?.first?.vwap == nil)

        // The first quote as of 13:30:30 carries the nanosecond timestamp, kept to the microsecond.
        let early = Self.at(0.5)
        let jsonQuote = try await (Self.market(fromJSON, at: early).latestQuotes(["AAPL"]))["AAPL"]
        let csvQuote = try await (Self.market(fromCSV, at: early).latestQuotes(["AAPL"]))["AAPL"]
        #expect(jsonQuote == csvQuote)
        #expect(jsonQuote?.bid == "172.7")
        #expect(jsonQuote?.ask == "172.75")
        #expect(jsonQuote?.bidSize == 2)
        #expect(jsonQuote?.askSize == 3)
        let offset = try #require(jsonQuote?.timestamp.timeIntervalSince(Self.open))
        #expect(abs(offset - 0.123456) < 0.000_001)
        #expect(fromJSON.firstInstant == Self.open)
        #expect(fromCSV.firstInstant == Self.open)
    }

    @Test func singleSymbolAndLatestShapesAreAccepted() async throws {
        let recording = try Self.load([
            "aapl-bars.json":
                #"{"bars":[{"t":"2026-03-20T13:30:00Z","o":1.5,"h":1.5,"l":1.5,"c":1.5,"v":1}],"symbol":"AAPL","next_page_token":null}"#,
            "latest.json": #"{"quotes":{"MSFT":{"t":"2026-03-20T13:30:05Z","ap":410.3,"as":1,"bp":410.2,"bs":1}}}"#,
            "nvda-quotes.json": #"{"quotes":[{"t":"2026-03-20T13:30:06Z","ap":120.5,"as":1,"bp":120.4,"bs":1}],"symbol":"NVDA"}"#,
        ])
        let market = Self.market(recording, at: Self.at(5))
        #expect(try await (market.minuteBars(["AAPL"], from: Self.open, to: Self.at(5)))["AAPL"]?.map(\.close) == ["1.5"])
        let quotes = try await (market.latestQuotes(["MSFT", "NVDA"]))
        #expect(quotes["MSFT"]?.bid == "410.2")
        #expect(quotes["NVDA"]?.ask == "120.5")
    }

    @Test func latestQuoteFollowsTheClock() async throws {
        let recording = ReplayRecording(
            quotes: [
                Quote(symbol: "AAPL", bid: "101", ask: "101.02", bidSize: 1, askSize: 1, timestamp: Self.at(1)),
                Quote(symbol: "AAPL", bid: "100", ask: "100.02", bidSize: 1, askSize: 1, timestamp: Self.at(0)),
                Quote(symbol: "AAPL", bid: "102", ask: "102.02", bidSize: 1, askSize: 1, timestamp: Self.at(2)),
            ], bars: [])
        func bid(at instant: Date) async throws -> Decimal6? {
            try await (Self.market(recording, at: instant).latestQuotes(["AAPL", "ZZZZ"]))["AAPL"]?.bid
        }
        #expect(try await bid(at: Self.at(-0.01)) == nil)
        #expect(try await bid(at: Self.at(0)) == "100")
        #expect(try await bid(at: Self.at(1.5)) == "101")
        #expect(try await bid(at: Self.at(2)) == "102")
        #expect(try await bid(at: Self.at(600)) == "102")
        #expect(try await (Self.market(recording, at: Self.at(600)).latestQuotes(["ZZZZ"])).isEmpty)
    }

    static func bar(_ minute: Double, close: Decimal6 = "10", symbol: String = "AAPL") -> Bar {
        Bar(symbol: symbol, start: at(minute), open: close, high: close, low: close, close: close, volume: 100)
    }

    @Test func barsRespectTheRangeAndHideUnfinishedMinutes() async throws {
        let recording = ReplayRecording(quotes: [], bars: [Self.bar(3), Self.bar(1), Self.bar(0), Self.bar(2)])
        func starts(now: Date, from: Double, to: Double) async throws -> [Date]? {
            try await (Self.market(recording, at: now).minuteBars(["AAPL", "MSFT"], from: Self.at(from), to: Self.at(to)))["AAPL"]?
                .map(\.start)
        }
        // At 13:32:30 the 13:32 bar is still forming: only 13:30 and 13:31 are known.
        #expect(try await starts(now: Self.at(2.5), from: 0, to: 60) == [Self.at(0), Self.at(1)])
        #expect(try await starts(now: Self.at(2), from: 0, to: 60) == [Self.at(0), Self.at(1)])
        #expect(try await starts(now: Self.at(0.99), from: 0, to: 60) == nil)
        // `to` is exclusive, `from` inclusive; the result is sorted whatever order the bars were given in.
        #expect(try await starts(now: Self.at(60), from: 1, to: 3) == [Self.at(1), Self.at(2)])
        #expect(try await starts(now: Self.at(60), from: 0, to: 60) == [Self.at(0), Self.at(1), Self.at(2), Self.at(3)])
        #expect(try await starts(now: Self.at(60), from: 3.5, to: 60) == nil)
    }

    @Test func quotesAreSynthesizedFromCompletedBars() async throws {
        let recording = ReplayRecording(
            quotes: [Quote(symbol: "AAPL", bid: "172", ask: "172.02", bidSize: 5, askSize: 5, timestamp: Self.at(5))],
            bars: [Self.bar(0, close: "410.25", symbol: "MSFT"), Self.bar(1, close: "410.5", symbol: "MSFT"), Self.bar(0, close: "9")])

        let before = try await (Self.market(recording, at: Self.at(0.99)).latestQuotes(["MSFT", "AAPL"]))
        #expect(before.isEmpty)

        let quotes = try await (Self.market(recording, at: Self.at(1.5)).latestQuotes(["MSFT", "AAPL"]))
        // The 13:31 bar is not finished at 13:31:30, so the quote comes from the 13:30 bar.
        #expect(
            quotes["MSFT"] == Quote(symbol: "MSFT", bid: "410.24", ask: "410.26", bidSize: 1, askSize: 1, timestamp: Self.at(1)))
        #expect(quotes["MSFT"]?.unusableReason(at: Self.at(1.5), maxAge: 60) == nil)
        // A symbol with recorded quotes is never synthesized, even before its first quote.
        #expect(quotes["AAPL"] == nil)
    }

    static let optionQuotesCSV = """
        symbol,timestamp,bid,ask,bid_size,ask_size
        AAPL260320P00150000,2026-03-20T13:30:00Z,1.2,1.25,10,12
        AAPL260320C00150000,2026-03-20T13:30:00Z,3.1,3.2,5,6
        AAPL260320C00145000,2026-03-20T13:30:01Z,7.0,7.15,5,6
        AAPL260320C00150000,2026-03-20T13:31:00Z,3.3,3.4,5,6
        AAPL260417C00150000,2026-03-20T13:30:00Z,5.0,5.2,1,1
        AAPL260320C00155000,2026-03-20T14:00:00Z,1.0,1.1,1,1
        SPXW260320C05000000,2026-03-20T13:30:00Z,20.0,20.5,1,1
        AAPL,2026-03-20T13:30:00Z,172.7,172.75,1,1
        """

    @Test func optionChainAndQuotesComeFromRecordedOptionQuotes() async throws {
        let recording = try Self.load(["options.csv": Self.optionQuotesCSV])
        let market = Self.market(recording, at: Self.at(0.5))
        let expiry = try #require(MarketDate(iso: "2026-03-20"))

        let chain = try await (market.optionChain(underlying: "AAPL", expiry: expiry))
        // Calls then puts, by strike; the 155 call is first quoted at 14:00, after now, so it is not listed yet.
        #expect(chain.map(\.symbol.description) == ["AAPL260320C00145000", "AAPL260320C00150000", "AAPL260320P00150000"])
        #expect(chain.map { $0.quote?.bid } == ["7", "3.1", "1.2"])
        #expect(chain.allSatisfy { $0.delta == nil && $0.gamma == nil && $0.theta == nil && $0.vega == nil && $0.impliedVolatility == nil })

        // The index's chain includes its weeklies.
        #expect(try await (market.optionChain(underlying: "SPX", expiry: expiry)).map(\.symbol.description) == ["SPXW260320C05000000"])

        let call = try OptionSymbol(parsing: "AAPL260320C00150000")
        let unquoted = try OptionSymbol(parsing: "AAPL260320C00155000")
        #expect(
            try await (market.latestOptionQuotes([call, unquoted])) == [
                call: Quote(
                    symbol: "AAPL260320C00150000", bid: "3.1", ask: "3.2", bidSize: 5, askSize: 6, timestamp: Self.open)
            ])
        let later = Self.market(recording, at: Self.at(120))
        #expect(try await (later.latestOptionQuotes([call]))[call]?.bid == "3.3")
        #expect(try await (later.optionChain(underlying: "AAPL", expiry: expiry)).count == 4)

        // Option quotes are not stock quotes, and the stock row in the same file is.
        let stock = try await (market.latestQuotes(["AAPL", "AAPL260320C00150000"]))
        #expect(stock.keys.sorted() == ["AAPL"])
    }

    @Test func optionQuotesGivenInCodeAreIndexedToo() async throws {
        let contract = try OptionSymbol(parsing: "MSFT260320P00400000")
        let quote = Quote(symbol: contract.description, bid: "2", ask: "2.1", bidSize: 1, askSize: 1, timestamp: Self.open)
        let recording = ReplayRecording(quotes: [], bars: [], optionQuotes: [quote])
        #expect(try await (Self.market(recording, at: Self.at(1)).latestOptionQuotes([contract])) == [contract: quote])
        #expect(recording.firstInstant == Self.open)
        #expect(ReplayRecording(quotes: [], bars: []).firstInstant == nil)
    }

    @Test func aMalformedCSVRowNamesTheFileAndLine() throws {
        let csv = """
            symbol,timestamp,open,high,low,close,volume
            AAPL,2026-03-20T13:30:00Z,172.7,173.05,172.5,172.9,12345

            AAPL,2026-03-20T13:31:00Z,172.9,173.2,17x.85,173.1,2000
            """
        let error = try Self.loadError(["good.json": Self.barsJSON, "day1.csv": csv])
        guard case .malformedResponse(let reason) = error else {
            Issue.record("expected malformedResponse, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("day1.csv line 4: low: "))
        #expect(reason.contains("17x.85"))

        let short = try Self.loadError(["q.csv": "symbol,timestamp,bid,ask,bid_size,ask_size\nAAPL,2026-03-20T13:30:00Z,1,2,3\n"])
        #expect(short == .malformedResponse("q.csv line 2: 5 fields, but the header has 6"))
        let badTime = try Self.loadError(["q.csv": "symbol,timestamp,bid,ask,bid_size,ask_size\nAAPL,13:30,1,2,3,4\n"])
        #expect(badTime?.description.contains("q.csv line 2: timestamp: '13:30'") == true)
        let badOption = try Self.loadError([
            "q.csv": "symbol,timestamp,bid,ask,bid_size,ask_size\nAAPL260230C00150000,2026-03-20T13:30:00Z,1,2,3,4\n"
        ])
        #expect(badOption?.description.contains("q.csv line 2: symbol: option expiry '260230'") == true)
        let typo = try Self.loadError(["b.csv": "symbol,timestamp,open,high,low,close,volume,vwapp\n"])
        #expect(typo == .malformedResponse("b.csv line 1: unknown column(s) vwapp"))
        let missing = try Self.loadError(["b.csv": "symbol,timestamp,open,high,low,volume\n"])
        #expect(missing == .malformedResponse("b.csv line 1: missing column(s) close"))
    }

    @Test func anUnknownJSONShapeFailsClearly() throws {
        let error = try Self.loadError(["trades.json": #"{"trades":{"AAPL":[]},"next_page_token":null}"#])
        #expect(
            error
                == .malformedResponse(
                    "trades.json: not a recognised Alpaca response (expected a top-level \"bars\", \"quotes\" or \"corporate_actions\" key; "
                        + "found next_page_token, trades)"))

        let badField = try Self.loadError([
            "bars.json": #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":"1.5","h":1,"l":1,"c":1,"v":1}]}}"#
        ])
        #expect(badField == .malformedResponse("bars.json: bars.AAPL[0].o: expected a number"))
        let notJSON = try Self.loadError(["x.json": "symbol,timestamp"])
        #expect(notJSON?.description.contains("x.json: ") == true)
        let badTime = try Self.loadError(["q.json": #"{"quotes":{"AAPL":{"t":"yesterday","ap":1,"as":1,"bp":1,"bs":1}}}"#])
        #expect(badTime == .malformedResponse("q.json: quotes.AAPL[0]: timestamp 'yesterday'"))
    }

    @Test func anEmptyOrMissingDirectoryFailsClearly() throws {
        let empty = try Self.loadError(["notes.txt": "hello"])
        #expect(empty?.description.contains("holds no .json or .csv files") == true)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("replay-missing-\(UUID().uuidString)")
        #expect(throws: MarketDataError.self) { try ReplayRecording.load(directory: missing) }
    }

    @Test func decimalsStayExact() async throws {
        // 0.1 + 0.2 is not 0.3 in binary floating point, and 9999999999.999999 has more digits than a Double keeps.
        let recording = try Self.load([
            "q.json": #"{"quotes":{"XYZ":[{"t":"2026-03-20T13:30:00Z","ap":0.2,"as":1,"bp":0.1,"bs":1}]}}"#,
            "b.json":
                #"{"bars":{"BIG":[{"t":"2026-03-20T13:30:00Z","o":9999999999.999999,"h":9999999999.999999,"l":0.000001,"c":0.3,"v":1}]}}"#,
            "q.csv": "symbol,timestamp,bid,ask,bid_size,ask_size\nABC,2026-03-20T13:30:00Z,0.1,0.2,1,1\n",
        ])
        let market = Self.market(recording, at: Self.at(5))
        let quotes = try await (market.latestQuotes(["XYZ", "ABC"]))
        for symbol in ["XYZ", "ABC"] {
            let quote = try #require(quotes[symbol])
            #expect(quote.bid.micros == 100_000)
            #expect(quote.ask.micros == 200_000)
            #expect(quote.bid + quote.ask == "0.3")
        }
        let bar = try #require(try await (market.minuteBars(["BIG"], from: Self.open, to: Self.at(5)))["BIG"]?.first)
        #expect(bar.open.micros == 9_999_999_999_999_999)
        #expect(bar.low.micros == 1)
        #expect(bar.close.micros == 300_000)
    }

    @Test func corporateActionsComeFromTheRecording() async throws {
        let json = """
            {"corporate_actions":{
              "cash_dividends":[{"id":"d1","symbol":"AAPL","rate":0.26,"ex_date":"2026-03-23","payable_date":"2026-03-30"}],
              "forward_splits":[{"id":"s1","symbol":"NVDA","new_rate":10,"old_rate":1,"ex_date":"2026-03-21"}]
            },"next_page_token":null}
            """
        let recording = try Self.load(["corporate_actions.json": json, "bars.json": Self.barsJSON])
        let market = Self.market(recording, at: Self.open)
        let from = try #require(MarketDate(iso: "2026-03-20"))
        let through = try #require(MarketDate(iso: "2026-03-31"))
        let all = try await (market.corporateActions(from: from, through: through, symbols: []))
        #expect(all.map(\.id) == ["s1", "d1"])
        #expect(
            all.last
                == .cashDividend(
                    id: "d1", symbol: "AAPL", rate: "0.26", exDate: MarketDate(iso: "2026-03-23")!,
                    payableDate: MarketDate(iso: "2026-03-30")))
        #expect(try await (market.corporateActions(from: from, through: through, symbols: ["AAPL"])).map(\.id) == ["d1"])
        #expect(try await (market.corporateActions(from: from, through: from, symbols: [])).isEmpty)
        #expect(
            try await
                (Self.market(ReplayRecording(quotes: [], bars: []), at: Self.open).corporateActions(
                    from: from, through: through, symbols: [])).isEmpty)
    }
}
