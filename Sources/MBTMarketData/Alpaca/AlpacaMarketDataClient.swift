import AsyncHTTPClient
import Foundation
import Logging
import MBTDomain
import NIOCore
import NIOHTTP1

/// Alpaca Market Data API over HTTP: latest stock and option quotes, one-minute bars, option
/// chains and corporate actions.
///
/// Rate-limit aware (``RateLimitPacer``); 429 and 5xx answers and transport failures are retried
/// with bounded exponential back-off and jitter; every request has a deadline. Credentials travel
/// only in request headers.
public struct AlpacaMarketDataClient: MarketDataProvider {
    public struct Configuration: Sendable {
        public enum StockFeed: String, Sendable { case iex, sip }
        public enum OptionFeed: String, Sendable { case indicative, opra }

        public var baseURL: String = "https://data.alpaca.markets"
        /// Alpaca's Trading API, for the asset list (the same keys work for both).
        public var tradingBaseURL: String = "https://paper-api.alpaca.markets"
        public var stockFeed: StockFeed = .iex
        public var optionFeed: OptionFeed = .indicative
        /// The deadline of one HTTP request.
        public var requestTimeout: Duration = .seconds(10)
        /// Retries after the first attempt, for 429, 5xx and transport failures.
        public var maximumRetries = 4
        public var initialBackoff: Duration = .milliseconds(250)
        public var maximumBackoff: Duration = .seconds(8)
        /// Below this many remaining calls, wait for the rate-limit reset.
        public var lowRemainingThreshold = 10
        /// Symbols per request; longer lists are split.
        public var symbolsPerRequest = 100

        public init() {}
    }

    public let source = "alpaca"
    public let configuration: Configuration
    private let credentials: AlpacaCredentials
    private let http: HTTPClient
    private let pacer: RateLimitPacer
    private let logger: Logger

    public init(credentials: AlpacaCredentials, configuration: Configuration = .init(), http: HTTPClient = .shared, logger: Logger) {
        self.credentials = credentials
        self.configuration = configuration
        self.http = http
        self.logger = logger
        self.pacer = RateLimitPacer(threshold: configuration.lowRemainingThreshold, maximumWait: 60)
    }

    // MARK: - MarketDataProvider

    /// Active, tradable US equities from the Trading API's `/v2/assets`.
    public func tradableStocks() async throws -> Set<String> {
        let assets = try await get(
            "/v2/assets", [("status", "active"), ("asset_class", "us_equity")], as: [AlpacaWire.Asset].self,
            baseURL: configuration.tradingBaseURL)
        return Set(assets.filter(\.tradable).map(\.symbol))
    }

    public func latestQuotes(_ symbols: [String]) async throws -> [String: Quote] {
        var quotes: [String: Quote] = [:]
        for chunk in chunks(symbols) {
            let page = try await get(
                "/v2/stocks/quotes/latest", [("symbols", chunk.joined(separator: ",")), ("feed", configuration.stockFeed.rawValue)],
                as: AlpacaWire.LatestQuotes.self)
            for (symbol, wire) in page.quotes { quotes[symbol] = try AlpacaWire.quote(wire, symbol: symbol) }
        }
        return quotes
    }

    public func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]] {
        var bars: [String: [Bar]] = [:]
        for chunk in chunks(symbols) {
            var pageToken: String?
            repeat {
                var query = [
                    ("symbols", chunk.joined(separator: ",")), ("timeframe", "1Min"), ("start", RFC3339.format(from)),
                    ("end", RFC3339.format(to)), ("limit", "10000"), ("feed", configuration.stockFeed.rawValue), ("sort", "asc"),
                ]
                if let pageToken { query.append(("page_token", pageToken)) }
                let page = try await get("/v2/stocks/bars", query, as: AlpacaWire.Bars.self)
                for (symbol, wireBars) in page.bars ?? [:] {
                    for wire in wireBars {
                        let bar = try AlpacaWire.bar(wire, symbol: symbol)
                        if bar.start >= from && bar.start < to { bars[symbol, default: []].append(bar) }
                    }
                }
                pageToken = page.nextPageToken
            } while pageToken != nil
        }
        return bars.mapValues { $0.sorted { $0.start < $1.start } }
    }

    public func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry] {
        var entries: [OptionChainEntry] = []
        var pageToken: String?
        repeat {
            var query = [("feed", configuration.optionFeed.rawValue), ("expiration_date", expiry.description), ("limit", "1000")]
            if let pageToken { query.append(("page_token", pageToken)) }
            let page = try await get("/v1beta1/options/snapshots/\(underlying)", query, as: AlpacaWire.OptionSnapshots.self)
            for (text, snapshot) in page.snapshots ?? [:] {
                guard let symbol = try? OptionSymbol(parsing: text) else {
                    throw MarketDataError.malformedResponse("option symbol '\(text)'")
                }
                entries.append(
                    OptionChainEntry(
                        symbol: symbol,
                        quote: try snapshot.latestQuote.map { wire throws(MarketDataError) in try AlpacaWire.quote(wire, symbol: text) },
                        delta: try AlpacaWire.optional(snapshot.greeks?.delta, "delta"),
                        gamma: try AlpacaWire.optional(snapshot.greeks?.gamma, "gamma"),
                        theta: try AlpacaWire.optional(snapshot.greeks?.theta, "theta"),
                        vega: try AlpacaWire.optional(snapshot.greeks?.vega, "vega"),
                        rho: try AlpacaWire.optional(snapshot.greeks?.rho, "rho"),
                        impliedVolatility: try AlpacaWire.optional(snapshot.impliedVolatility, "impliedVolatility")
                    ))
            }
            pageToken = page.nextPageToken
        } while pageToken != nil
        return entries.sorted { ($0.symbol.right.rawValue, $0.symbol.strike) < ($1.symbol.right.rawValue, $1.symbol.strike) }
    }

    /// Alpaca has no option quote history, so minutes missed while down cannot be judged one by one.
    public func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]? { nil }

    public func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote] {
        var quotes: [OptionSymbol: Quote] = [:]
        for chunk in chunks(symbols.map(\.description)) {
            let page = try await get(
                "/v1beta1/options/quotes/latest", [("symbols", chunk.joined(separator: ",")), ("feed", configuration.optionFeed.rawValue)],
                as: AlpacaWire.LatestQuotes.self)
            for (text, wire) in page.quotes {
                guard let symbol = try? OptionSymbol(parsing: text) else {
                    throw MarketDataError.malformedResponse("option symbol '\(text)'")
                }
                quotes[symbol] = try AlpacaWire.quote(wire, symbol: text)
            }
        }
        return quotes
    }

    public func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction] {
        var actions: [CorporateAction] = []
        var pageToken: String?
        repeat {
            var query = [
                ("types", "cash_dividend,forward_split,reverse_split"), ("start", from.description), ("end", through.description),
                ("limit", "1000"),
            ]
            if !symbols.isEmpty { query.append(("symbols", symbols.joined(separator: ","))) }
            if let pageToken { query.append(("page_token", pageToken)) }
            let page = try await get("/v1/corporate-actions", query, as: AlpacaWire.CorporateActions.self)
            actions += try AlpacaWire.corporateActions(page.corporateActions)
            pageToken = page.nextPageToken
        } while pageToken != nil
        return actions.sorted { ($0.exDate, $0.symbol, $0.id) < ($1.exDate, $1.symbol, $1.id) }
    }

    // MARK: - HTTP

    private func chunks(_ symbols: [String]) -> [[String]] {
        stride(from: 0, to: symbols.count, by: configuration.symbolsPerRequest).map {
            Array(symbols[$0..<min($0 + configuration.symbolsPerRequest, symbols.count)])
        }
    }

    private func get<T: Decodable>(_ path: String, _ query: [(String, String)], as type: T.Type, baseURL: String? = nil) async throws -> T {
        var request = HTTPClientRequest(url: (baseURL ?? configuration.baseURL) + path + Self.queryString(query))
        request.headers.add(name: "APCA-API-KEY-ID", value: credentials.keyID)
        request.headers.add(name: "APCA-API-SECRET-KEY", value: credentials.secret)
        request.headers.add(name: "Accept", value: "application/json")

        var attempt = 0
        while true {
            try await pacer.waitForBudget()
            let outcome = await send(request)
            switch outcome {
            case .response(let status, let headers, let body):
                let remaining = headers.first(name: "X-RateLimit-Remaining").flatMap(Int.init)
                await pacer.observe(remaining: remaining, reset: Self.reset(headers))
                UpstreamMetrics.answered(path: path, status: Int(status.code), rateLimitRemaining: remaining)
                if status == .ok {
                    do {
                        return try JSONDecoder().decode(T.self, from: body)
                    } catch {
                        throw MarketDataError.malformedResponse("\(path) did not answer the expected JSON")
                    }
                }
                let failure = Self.failure(status: status, headers: headers, body: body, path: path)
                guard Self.isRetryable(status), attempt < configuration.maximumRetries else { throw failure }
                logger.warning("market data request will be retried", metadata: ["path": "\(path)", "status": "\(status.code)"])
            case .transportFailure(let reason):
                UpstreamMetrics.failed(path: path)
                guard attempt < configuration.maximumRetries else {
                    throw MarketDataError.upstreamUnavailable("\(path): \(reason) after \(attempt + 1) attempts")
                }
                logger.warning("market data request will be retried", metadata: ["path": "\(path)", "reason": "\(reason)"])
            }
            UpstreamMetrics.retried(path: path)
            try await Task.sleep(for: backoff(attempt: attempt))
            attempt += 1
        }
    }

    private enum Outcome {
        case response(HTTPResponseStatus, HTTPHeaders, Data)
        case transportFailure(String)
    }

    private func send(_ request: HTTPClientRequest) async -> Outcome {
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(configuration.requestTimeout.nanoseconds)))
            let body = try await response.body.collect(upTo: 32 * 1024 * 1024)
            return .response(response.status, response.headers, Data(body.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .transportFailure("timed out after \(configuration.requestTimeout)")
        } catch {
            // The error text names the host and path at most; credentials are in headers only.
            return .transportFailure("\(type(of: error))")
        }
    }

    /// Exponential back-off with ±50 % jitter, capped.
    private func backoff(attempt: Int) -> Duration {
        let exponential = configuration.initialBackoff * (1 << min(attempt, 16))
        let capped = min(exponential, configuration.maximumBackoff)
        return capped * Double.random(in: 0.5..<1.5)
    }

    private static func isRetryable(_ status: HTTPResponseStatus) -> Bool {
        status == .tooManyRequests || status.code >= 500
    }

    private static func reset(_ headers: HTTPHeaders) -> Date? {
        headers.first(name: "X-RateLimit-Reset").flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
    }

    private static func failure(status: HTTPResponseStatus, headers: HTTPHeaders, body: Data, path: String) -> MarketDataError {
        let message = (try? JSONDecoder().decode(AlpacaWire.ErrorBody.self, from: body))?.message ?? "HTTP \(status.code)"
        switch status.code {
        case 401, 403: return .unauthorized(message)
        case 404: return .unknownSymbol(path.split(separator: "/").last.map(String.init) ?? path)
        case 429: return .rateLimited(until: reset(headers))
        case 400, 422: return .invalidRequest("market data source rejected the request: \(message)")
        case 500...: return .upstreamUnavailable("\(path) answered HTTP \(status.code)")
        default: return .malformedResponse("\(path) answered HTTP \(status.code)")
        }
    }

    private static func queryString(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+,:")
        let encoded = items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }
        return encoded.isEmpty ? "" : "?" + encoded.joined(separator: "&")
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
