import Foundation
import MBTDomain
import MBTMarketData

/// What the fake Alpaca server knows and how it misbehaves; tests set it up and read what was asked.
public actor FakeAlpacaState {
    /// A response the next request gets instead of the normal one (consumed in order).
    public enum Scripted: Sendable {
        /// An error status with Alpaca's error body and optional headers.
        case status(Int, message: String = "scripted failure", headers: [String: String] = [:])
        /// Answer normally, but only after this long.
        case delay(Duration)
        /// A 200 whose body is not JSON.
        case garbage
    }

    /// One request as the server saw it.
    public struct Request: Sendable {
        public let path: String
        public let query: [String: String]
        public nonisolated let keyID: String?
        public nonisolated let secret: String?
        public let receivedAt: Date
    }

    public nonisolated let keyID: String
    public nonisolated let secret: String
    public var quotes: [String: Quote] = [:]
    public var optionQuotes: [String: Quote] = [:]
    public var bars: [String: [Bar]] = [:]
    public var chains: [String: [OptionChainEntry]] = [:]
    public var corporateActions: [CorporateAction] = []
    /// Symbol → tradable, as `/v2/assets` lists them.
    public var assets: [String: Bool] = [:]
    /// Entries per page of `/v2/stocks/bars` (Alpaca's is up to 10000); small values force paging.
    public var barsPageSize = 10_000
    /// The `X-RateLimit-Remaining` / `-Reset` headers sent with every response.
    public var rateLimitRemaining = 200
    public var rateLimitReset = Date(timeIntervalSince1970: 0)
    public private(set) var requests: [Request] = []
    private var script: [Scripted] = []

    public init(keyID: String = "test-key-id", secret: String = "test-secret-value") {
        self.keyID = keyID
        self.secret = secret
    }

    public func enqueue(_ responses: Scripted...) { script.append(contentsOf: responses) }

    public func setQuotes(_ quotes: [Quote]) { for quote in quotes { self.quotes[quote.symbol] = quote } }
    public func setOptionQuotes(_ quotes: [Quote]) { for quote in quotes { self.optionQuotes[quote.symbol] = quote } }
    public func setBars(_ bars: [Bar]) { for bar in bars { self.bars[bar.symbol, default: []].append(bar) } }
    public func setChain(_ underlying: String, _ entries: [OptionChainEntry]) { chains[underlying] = entries }
    public func setCorporateActions(_ actions: [CorporateAction]) { corporateActions = actions }
    public func setAssets(_ assets: [String: Bool]) { self.assets = assets }
    public func setBarsPageSize(_ size: Int) { barsPageSize = size }

    public func setRateLimit(remaining: Int, reset: Date) {
        rateLimitRemaining = remaining
        rateLimitReset = reset
    }

    func record(_ request: Request) -> Scripted? {
        requests.append(request)
        return script.isEmpty ? nil : script.removeFirst()
    }
}
