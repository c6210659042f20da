import Foundation
import Logging
import MBTDomain
import MBTMarketData
import Synchronization
import Testing

@Suite("Market data service: cache, coalescing, access log")
struct MarketDataServiceTests {
    static let t0 = Date(timeIntervalSince1970: 1_774_013_400)

    @Test func concurrentRequestsShareOneUpstreamCallAndEachUserGetsARow() async throws {
        let provider = CountingProvider(delay: .milliseconds(100))
        let recorder = MemoryRecorder()
        let service = MarketDataService(provider: provider, clock: FixedClock(Self.t0), accessLog: recorder.makeBuffer())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for user in 1...10 {
                group.addTask {
                    let quotes = try await service.quotes(["AAPL"], for: [Int64(user)])
                    #expect(quotes["AAPL"]?.bid == 100)
                }
            }
            try await group.waitForAll()
        }
        await service.accessLog.flush()
        #expect(provider.quoteCalls == 1)
        let rows = recorder.rows
        #expect(rows.count == 10)
        #expect(Set(rows.map(\.userId)) == Set(1...10))
        #expect(rows.allSatisfy { $0.symbol == "AAPL" && $0.dataType == .quote && $0.source == "counting" && $0.fetchedAt == Self.t0 })
    }

    @Test func cachedQuotesExpireByTheMarketClock() async throws {
        let provider = CountingProvider()
        let clock = SettableClock(Self.t0)
        let recorder = MemoryRecorder()
        let service = MarketDataService(provider: provider, clock: clock, accessLog: recorder.makeBuffer(), quoteTimeToLive: 1)
        _ = try await service.quotes(["AAPL"], for: [1])
        _ = try await service.quotes(["AAPL"], for: [2])
        #expect(provider.quoteCalls == 1)
        clock.advance(by: 1.5)
        _ = try await service.quotes(["AAPL"], for: [3])
        #expect(provider.quoteCalls == 2)
        await service.accessLog.flush()
        #expect(recorder.rows.map(\.userId) == [1, 2, 3])
    }

    @Test func onlySymbolsServedAreLogged() async throws {
        let recorder = MemoryRecorder()
        let service = MarketDataService(provider: CountingProvider(), clock: FixedClock(Self.t0), accessLog: recorder.makeBuffer())
        let quotes = try await service.quotes(["AAPL", "UNKNOWN"], for: [7, 8])
        #expect(quotes.keys.sorted() == ["AAPL"])
        await service.accessLog.flush()
        #expect(recorder.rows.count == 2)
        #expect(recorder.rows.allSatisfy { $0.symbol == "AAPL" })
    }

    @Test func barsAndChainsAreLoggedPerUserWithTheirType() async throws {
        let recorder = MemoryRecorder()
        let service = MarketDataService(provider: CountingProvider(), clock: FixedClock(Self.t0), accessLog: recorder.makeBuffer())
        _ = try await service.minuteBars(["AAPL", "MSFT"], from: Self.t0, to: Self.t0.addingTimeInterval(60), for: [1, 2, 2])
        _ = try await service.optionChain(underlying: "AAPL", expiry: MarketDate(year: 2026, month: 3, day: 20)!, for: [3])
        await service.accessLog.flush()
        let bars = recorder.rows.filter { $0.dataType == .bar }
        #expect(bars.count == 4)
        #expect(Set(bars.map { "\($0.userId)\($0.symbol)" }) == ["1AAPL", "1MSFT", "2AAPL", "2MSFT"])
        #expect(recorder.rows.filter { $0.dataType == .chain }.map(\.userId) == [3])
    }

    @Test func aFailedFetchIsNotCachedAndReachesTheCaller() async throws {
        let provider = CountingProvider()
        provider.failNext(MarketDataError.upstreamUnavailable("down"))
        let recorder = MemoryRecorder()
        let service = MarketDataService(provider: provider, clock: FixedClock(Self.t0), accessLog: recorder.makeBuffer())
        await #expect(throws: MarketDataError.upstreamUnavailable("down")) { try await service.quotes(["AAPL"], for: [1]) }
        let quotes = try await service.quotes(["AAPL"], for: [1])
        #expect(quotes["AAPL"] != nil)
        #expect(provider.quoteCalls == 2)
    }

    @Test func aFailedLogWriteIsRetriedNotDropped() async throws {
        let recorder = MemoryRecorder()
        recorder.failWrites = 1
        let buffer = recorder.makeBuffer()
        await buffer.append([MarketDataAccess(userId: 1, symbol: "AAPL", dataType: .quote, fetchedAt: Self.t0, source: "x")])
        await buffer.flush()
        #expect(recorder.rows.isEmpty)
        #expect(await buffer.pendingCount == 1)
        await buffer.flush()
        #expect(recorder.rows.count == 1)
    }

    @Test func fullBatchesAreWrittenWithoutWaitingForAFlush() async throws {
        let recorder = MemoryRecorder(batchSize: 3)
        let rows = (1...7).map { MarketDataAccess(userId: Int64($0), symbol: "AAPL", dataType: .quote, fetchedAt: Self.t0, source: "x") }
        let buffer = recorder.makeBuffer()
        for row in rows { await buffer.append([row]) }
        #expect(recorder.rows.count == 6)
        #expect(recorder.writes == 2)
    }
}

/// A provider that knows AAPL and MSFT, counts its calls and can be told to fail.
final class CountingProvider: MarketDataProvider {
    let source = "counting"
    private let delay: Duration
    private let state = Mutex<(quoteCalls: Int, failure: (any Error)?)>((0, nil))

    init(delay: Duration = .zero) {
        self.delay = delay
    }

    var quoteCalls: Int { state.withLock { $0.quoteCalls } }

    func failNext(_ error: any Error) { state.withLock { $0.failure = error } }

    func tradableStocks() async throws -> Set<String> { ["AAPL", "MSFT"] }

    func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] {
        let failure = state.withLock { state -> (any Error)? in
            state.quoteCalls += 1
            defer { state.failure = nil }
            return state.failure
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        if let failure { throw failure }
        return Dictionary(
            uniqueKeysWithValues: symbols.filter { ["AAPL", "MSFT"].contains($0) }.map {
                ($0, Quote(symbol: $0, bid: 100, ask: "100.02", bidSize: 1, askSize: 1, timestamp: MarketDataServiceTests.t0))
            })
    }

    func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] {
        Dictionary(
            uniqueKeysWithValues: symbols.map { ($0, [Bar(symbol: $0, start: from, open: 1, high: 1, low: 1, close: 1, volume: 1)]) })
    }

    func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] {
        [OptionChainEntry(symbol: try OptionSymbol(root: underlying, expiry: expiry, right: .call, strike: 100), quote: nil)]
    }

    func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? { nil }
    func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] { [:] }

    func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] { [] }
}

/// Keeps access rows in memory; can be told to fail writes.
final class MemoryRecorder: MarketDataAccessRecorder {
    private let state = Mutex<(rows: [MarketDataAccess], failures: Int, writes: Int)>(([], 0, 0))
    let batchSize: Int

    init(batchSize: Int = 500) {
        self.batchSize = batchSize
    }

    func makeBuffer() -> AccessLogBuffer {
        AccessLogBuffer(recorder: self, batchSize: batchSize, logger: Logger(label: "test"))
    }

    var rows: [MarketDataAccess] { state.withLock { $0.rows } }
    var writes: Int { state.withLock { $0.writes } }

    var failWrites: Int {
        get { state.withLock { $0.failures } }
        set { state.withLock { $0.failures = newValue } }
    }

    func record(_ accesses: [MarketDataAccess]) async throws {
        try state.withLock { state in
            if state.failures > 0 {
                state.failures -= 1
                throw MarketDataError.upstreamUnavailable("disk full")
            }
            state.rows.append(contentsOf: accesses)
            state.writes += 1
        }
    }
}

/// A clock a test moves by hand.
final class SettableClock: MarketClock {
    private let instant: Mutex<Date>

    init(_ start: Date) {
        instant = Mutex(start)
    }

    func now() -> Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
