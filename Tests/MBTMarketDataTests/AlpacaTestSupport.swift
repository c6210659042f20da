import Foundation
import Logging
import MBTDomain
import MBTFakeAlpaca
import MBTMarketData
import Synchronization

/// Runs a real ``AlpacaMarketDataClient`` against the fake server, capturing everything it logs.
enum AlpacaHarness {
    static let t0 = Date(timeIntervalSince1970: 1_774_013_400)  // 2026-03-20 13:30:00 UTC

    static func run<T: Sendable>(
        state: FakeAlpacaState = FakeAlpacaState(),
        credentials: AlpacaCredentials? = nil,
        configure: @Sendable (inout AlpacaMarketDataClient.Configuration) -> Void = { _ in },
        _ body: @Sendable (AlpacaMarketDataClient, FakeAlpacaState, LogCapture) async throws -> T
    ) async throws -> T {
        let capture = LogCapture()
        let keyID = state.keyID
        let secret = state.secret
        return try await FakeAlpacaServer.run(state) { baseURL in
            var configuration = AlpacaMarketDataClient.Configuration()
            configuration.baseURL = baseURL
            configuration.tradingBaseURL = baseURL
            configuration.initialBackoff = .milliseconds(5)
            configuration.maximumBackoff = .milliseconds(40)
            configure(&configuration)
            let client = AlpacaMarketDataClient(
                credentials: credentials ?? AlpacaCredentials(keyID: keyID, secret: secret), configuration: configuration,
                logger: capture.logger)
            return try await body(client, state, capture)
        }
    }

    static func quote(_ symbol: String, bid: Decimal6, ask: Decimal6, at time: Date = t0) -> Quote {
        Quote(symbol: symbol, bid: bid, ask: ask, bidSize: 3, askSize: 4, timestamp: time)
    }

    static func bar(_ symbol: String, minute: Int, close: Decimal6) -> Bar {
        Bar(
            symbol: symbol, start: t0.addingTimeInterval(TimeInterval(minute * 60)), open: close, high: close + 1, low: close - 1,
            close: close, volume: 100, tradeCount: 7, vwap: close)
    }
}

/// Collects every log line a logger writes, with its metadata.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "capture") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var all: [String] { lines.withLock { $0 } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
        }
    }
}
