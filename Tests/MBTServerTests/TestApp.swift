import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MBTDomain
import MBTMarketData
import MBTServer
import MBTStorage
import MBTTestSupport
import MBTTrading
import NIOCore
import Testing

/// Builds the real application on a fresh test database and drives it through the router.
enum TestApp {
    /// Friday 2026-03-20, 10:00 New York time: a session is open.
    static let now = Date(timeIntervalSince1970: 1_774_015_200)
    static let expiry = MarketDate(year: 2026, month: 3, day: 20)!

    /// A small recorded market: two stocks with quotes and bars, one option chain.
    static let recording: ReplayRecording = {
        let t = now.addingTimeInterval(-600)
        let quotes = [
            Quote(symbol: "AAPL", bid: "172.60", ask: "172.70", bidSize: 3, askSize: 4, timestamp: now.addingTimeInterval(-1)),
            Quote(symbol: "MSFT", bid: "410.01", ask: "410.05", bidSize: 1, askSize: 2, timestamp: now.addingTimeInterval(-1)),
        ]
        let bars = (0..<10).map { minute in
            Bar(
                symbol: "AAPL", start: t.addingTimeInterval(Double(minute) * 60), open: 172, high: 173, low: 171, close: "172.5",
                volume: 100)
        }
        let call = try! OptionSymbol(root: "AAPL", expiry: expiry, right: .call, strike: 175)
        let put = try! OptionSymbol(root: "AAPL", expiry: expiry, right: .put, strike: 170)
        let optionQuotes = [
            Quote(symbol: call.description, bid: "1.10", ask: "1.20", bidSize: 5, askSize: 5, timestamp: now.addingTimeInterval(-1)),
            Quote(symbol: put.description, bid: "0.80", ask: "0.85", bidSize: 5, askSize: 5, timestamp: now.addingTimeInterval(-1)),
        ]
        return ReplayRecording(quotes: quotes, bars: bars, optionQuotes: optionQuotes)
    }()
    static let catalog = FeatureFlagCatalog(flags: [
        FeatureFlagCatalog.paperTrading: .init(
            description: "paper trading", risk: .high, defaults: [.development: true, .staging: false, .production: false])
    ])

    struct Fixture {
        let client: any TestClientProtocol
        let database: any DatabaseClient
        let environment: TestEnvironment
        let marketData: MarketDataService
    }

    static func run(
        deployment: DeploymentEnvironment = .development,
        migrated: Bool = true,
        provider: (any MarketDataProvider)? = nil,
        at instant: Date = now,
        database wrap: @escaping @Sendable (any DatabaseClient) -> any DatabaseClient = { $0 },
        alpacaRateLimit: Int = 200,
        apiRateLimit: Int? = nil,
        testing: TestingSetup = .router,
        webSettings: WebSettings = .standard,
        requestReadLimit: TimeAmount = ServerLimits.requestRead,
        _ body: @escaping @Sendable (Fixture) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(migrated: migrated) { fresh in
            let database = wrap(fresh)
            let environment = TestEnvironment()
            let gate = TradingGate(flags: catalog, deployment: deployment, environment: environment.processEnvironment)
            let clock = FixedClock(instant)
            let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger)
            let marketData = MarketDataService(
                provider: provider ?? ReplayMarket(recording: recording, clock: clock), clock: clock, accessLog: accessLog)
            var dependencies = AppDependencies(database: database, gate: gate, marketData: marketData, logger: TestDatabase.logger)
            dependencies.alpacaRateLimit = alpacaRateLimit
            dependencies.apiRateLimit = apiRateLimit
            dependencies.webSettings = webSettings
            let app = buildApplication(dependencies, host: "127.0.0.1", port: 0, requestReadLimit: requestReadLimit)
            try await app.test(testing) { client in
                try await body(Fixture(client: client, database: database, environment: environment, marketData: marketData))
            }
        }
    }
}

extension TestApp {
    /// Rate limits count in wall-clock minutes: a test that spends a budget starts early in one, so
    /// its requests share one window even on a slow machine.
    static func startEarlyInAWallClockMinute() async throws {
        let intoMinute = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        if intoMinute > 30 { try await Task.sleep(for: .seconds(60 - intoMinute)) }
    }
}

extension TestApp.Fixture {
    /// Creates a user and returns their bearer token.
    func user(_ name: String, role: UserRole = .user) async throws -> (User, String) {
        let created = try await UserStore(database: database).create(name: name, role: role, at: TestApp.now)
        return (created.user, created.token)
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any])
    }

    /// The `error.code` of an error response, checking the whole shape on the way.
    func errorCode() throws -> String {
        let error = try #require(try json()["error"] as? [String: Any])
        #expect(error.keys.sorted() == ["code", "message"])
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(headers[.contentType]?.hasPrefix("application/json") == true)
        return try #require(error["code"] as? String)
    }

    /// The `error.message` of an error response.
    func errorMessage() throws -> String {
        try #require((try json()["error"] as? [String: Any])?["message"] as? String)
    }
}
