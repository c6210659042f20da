import ArgumentParser
import Foundation
import Logging
import MBTDomain
import MBTMarketData

/// Which market `serve` trades against, and its clock.
struct MarketOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// Alpaca when its keys are set, else the simulated market.
        case auto
        case alpaca
        case simulated
        case replay
    }

    @Option(help: "Market data: auto (Alpaca when its keys are set, else simulated), alpaca, simulated or replay.")
    var market: Kind = .auto
    @Option(help: "Directory of recorded bars and quotes for --market replay (see docs/replay-format.md).")
    var replayDir: String?
    @Option(help: "Simulated/replay clock start, e.g. 2026-03-20T13:30:00Z (default: now, or the recording's first instant).")
    var clockStart: String?
    @Option(help: "Simulated/replay clock speed: market seconds per real second.")
    var clockSpeed: Double = 1
    @Option(help: "Seed of the simulated market.")
    var seed: UInt64 = 1
    @Option(help: "Alpaca Market Data base URL.")
    var alpacaURL = "https://data.alpaca.markets"
    @Option(help: "Alpaca Trading API base URL, for the list of tradable assets (the same keys).")
    var alpacaTradingURL = "https://paper-api.alpaca.markets"
    @Option(help: "Alpaca stock feed: iex or sip.")
    var alpacaFeed = "iex"

    func validate() throws {
        guard clockSpeed > 0, clockSpeed <= 100_000 else { throw ValidationError("--clock-speed must be between 0 and 100000") }
        if let clockStart, (try? Date(clockStart, strategy: .iso8601)) == nil {
            throw ValidationError("--clock-start must be an RFC 3339 instant such as 2026-03-20T13:30:00Z")
        }
        guard ["iex", "sip"].contains(alpacaFeed) else { throw ValidationError("--alpaca-feed must be iex or sip") }
        if market == .replay, replayDir == nil { throw ValidationError("--market replay needs --replay-dir") }
    }

    /// The provider and clock these options describe.
    func make(environment: [String: String], logger: Logger) throws -> (any MarketDataProvider, any MarketClock) {
        let credentials: AlpacaCredentials?
        do {
            credentials = try AlpacaCredentials.fromEnvironment(environment)
        } catch {
            throw CommandFailure(error)
        }
        switch (market, credentials) {
        case (.alpaca, nil):
            throw CommandFailure("--market alpaca needs \(AlpacaCredentials.keyVariable) and \(AlpacaCredentials.secretVariable)")
        case (.alpaca, let credentials?), (.auto, let credentials?):
            guard clockStart == nil, clockSpeed == 1 else {
                throw CommandFailure("--clock-start and --clock-speed apply to the simulated and replay markets only")
            }
            var configuration = AlpacaMarketDataClient.Configuration()
            configuration.baseURL = alpacaURL
            configuration.tradingBaseURL = alpacaTradingURL
            configuration.stockFeed = alpacaFeed == "sip" ? .sip : .iex
            return (AlpacaMarketDataClient(credentials: credentials, configuration: configuration, logger: logger), SystemClock())
        case (.simulated, _), (.auto, nil):
            let clock = SimulatedClock(start: startInstant(default: Date()), speed: clockSpeed)
            return (SimulatedMarket(seed: seed, clock: clock), clock)
        case (.replay, _):
            let recording: ReplayRecording
            do {
                recording = try ReplayRecording.load(directory: URL(fileURLWithPath: replayDir ?? "."))
            } catch {
                throw CommandFailure(error)
            }
            let clock = SimulatedClock(start: startInstant(default: recording.firstInstant ?? Date()), speed: clockSpeed)
            return (ReplayMarket(recording: recording, clock: clock), clock)
        }
    }

    private func startInstant(default fallback: Date) -> Date {
        clockStart.flatMap { try? Date($0, strategy: .iso8601) } ?? fallback
    }
}
