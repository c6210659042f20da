import Foundation
import MBTDomain
import Testing

@testable import MBTMarketData

/// The fast reader of replay bar files must give exactly what the full decoder gives for every
/// file it takes, and leave every other file to the decoder (docs/replay-format.md).
@Suite("Replay bars scanner")
struct ReplayBarsScannerTests {
    /// Random multi-symbol bar files, written in the many ways JSON allows: key order, whitespace,
    /// optional fields absent or null, prices with up to eight decimals (rounded half to even past
    /// six), fractional-second timestamps, a minute recorded twice, symbols out of order.
    @Test func everyFileTheScannerTakesReadsAsTheDecoderReadsIt() throws {
        var compared = 0
        for seed in 1...200 as ClosedRange<UInt64> {
            var random = SplitMix64(seed: seed)
            let text = Self.barsFile(&random)
            let data = Data(text.utf8)
            let scanned = try #require(ReplayBarsScanner.bars(in: data), "seed \(seed): the scanner refused a plain bars file:\n\(text)")
            let decoded = try ReplayJSONFile.decoded(data, name: "bars.json").bars
            #expect(scanned == decoded, "seed \(seed)")
            compared += scanned.count
        }
        #expect(compared > 1_000, "the files hold bars to compare")
    }

    /// What the scanner leaves to the decoder, which then reads it (or names the fault) as before.
    @Test(arguments: [
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":1e2,"h":1,"l":1,"c":1,"v":1}]}}"#,
        #"{"bars":{"A\u0041PL":[{"t":"2026-03-20T13:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1}]}}"#,
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1,"x":2}]}}"#,
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":1,"o":2,"h":1,"l":1,"c":1,"v":1}]}}"#,
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":"1","h":1,"l":1,"c":1,"v":1}]}}"#,
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":01,"h":1,"l":1,"c":1,"v":1}]}}"#,
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1.5}]}}"#,
        #"{"bars":{"AAPL":[{"t":"2026-03-20T13:30:00Z","o":1,"h":1,"l":1,"c":1}]}}"#,
        #"{"bars":[{"t":"2026-03-20T13:30:00Z","o":1,"h":1,"l":1,"c":1,"v":1}],"symbol":"AAPL"}"#,
        #"{"bars":{"AAPL":[]},"quotes":{}}"#,
        #"{"bars":{"AAPL":[]}} trailing"#,
        #"{"bars":{"AAPL":[],"AAPL":[]}}"#,
    ])
    func anythingElseIsLeftToTheDecoder(_ text: String) {
        let data = Data(text.utf8)
        #expect(ReplayBarsScanner.bars(in: data) == nil)
        let viaRead = Result(catching: { () throws(MarketDataError) in try ReplayJSONFile.read(data, name: "f.json").bars })
        let viaDecoder = Result(catching: { () throws(MarketDataError) in try ReplayJSONFile.decoded(data, name: "f.json").bars })
        #expect(viaRead == viaDecoder)
    }

    /// Timestamps the direct reading takes give the instant the general parse gives; others it
    /// leaves to the general parse.
    @Test(arguments: [
        "2026-03-20T13:30:00Z", "2024-02-29T23:59:59Z", "2026-03-20T13:30:00.5Z", "2026-03-20T13:30:00.123456Z",
        "2022-08-17T10:09:34.055031265Z", "1999-12-31T00:00:00.000001Z",
    ])
    func directTimestampsMatchTheGeneralParse(_ text: String) throws {
        let direct = try #require(RFC3339.parseUTC(text))
        #expect(direct == RFC3339.parseAnyOffset(text))
    }

    @Test(arguments: ["2026-02-30T13:30:00Z", "2026-03-20T24:00:00Z", "2026-03-20T13:30:60Z", "2026-03-20 13:30:00Z", "2026-03-20T09:30:00-04:00", "yesterday"])
    func otherTimestampsAreLeftToTheGeneralParse(_ text: String) {
        #expect(RFC3339.parseUTC(text) == nil)
        #expect(RFC3339.parse(text) == RFC3339.parseAnyOffset(text))
    }

    // MARK: - Generated files

    static func barsFile(_ random: inout SplitMix64) -> String {
        let symbols = ["MSFT", "AAPL", "BRK.B", "SPY", "Z"].filter { _ in random.next() % 4 != 0 }
        let space = { (random: inout SplitMix64) -> String in ["", " ", "\n  ", "\t"][Int(random.next() % 4)] }
        var series: [String] = []
        for symbol in symbols {
            var bars: [String] = []
            var minute = Int(random.next() % 30)
            for _ in 0..<Int(random.next() % 6) {
                minute += Int(random.next() % 3)  // 0: the same minute recorded again
                bars.append(bar(minute: minute, &random, space))
            }
            series.append("\(space(&random))\"\(symbol)\"\(space(&random)):[\(bars.joined(separator: ",\(space(&random))"))]")
        }
        var top = ["\"bars\":{\(series.joined(separator: ","))}"]
        if random.next() % 2 == 0 { top.append(random.next() % 2 == 0 ? "\"next_page_token\":null" : "\"next_page_token\":\"QUFQTA==\"") }
        if random.next() % 2 == 0 { top.reverse() }
        return "{\(space(&random))\(top.joined(separator: ",\(space(&random))"))\(space(&random))}\(space(&random))"
    }

    private static func bar(minute: Int, _ random: inout SplitMix64, _ space: (inout SplitMix64) -> String) -> String {
        let seconds = 1_774_013_400 + minute * 60
        var time = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
        switch random.next() % 8 {
        case 0, 1: time = String(time.dropLast()) + "." + String(random.next() % 1_000_000_000) + "Z"
        case 2:  // New York's offset, which the general parse reads
            time = String(Date(timeIntervalSince1970: TimeInterval(seconds - 4 * 3600)).formatted(.iso8601).dropLast()) + "-04:00"
        default: break
        }
        var fields = [
            "\"t\":\"\(time)\"", "\"o\":\(price(&random))", "\"h\":\(price(&random))", "\"l\":\(price(&random))",
            "\"c\":\(price(&random))", "\"v\":\(random.next() % 100_000)",
        ]
        switch random.next() % 3 {
        case 0: fields.append("\"n\":\(random.next() % 900)")
        case 1: fields.append("\"n\":null")
        default: break
        }
        switch random.next() % 3 {
        case 0: fields.append("\"vw\":\(price(&random))")
        case 1: fields.append("\"vw\":null")
        default: break
        }
        for index in fields.indices.reversed() {
            fields.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        return "{\(fields.map { $0.replacingOccurrences(of: ":", with: "\(space(&random)):\(space(&random))", options: [], range: $0.range(of: "\":")) }.joined(separator: ","))}"
    }

    /// A price with zero to eight decimals, its whole part sometimes 0.
    private static func price(_ random: inout SplitMix64) -> String {
        let whole = random.next() % 5 == 0 ? "0" : String(1 + random.next() % 999)
        let decimals = Int(random.next() % 9)
        guard decimals > 0 else { return whole }
        let fraction = (0..<decimals).map { _ in String(random.next() % 10) }.joined()
        return "\(whole).\(fraction)"
    }
}
