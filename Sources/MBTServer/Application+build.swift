import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading
import NIOCore
import ServiceLifecycle

/// What the HTTP application is built from; tests pass their own.
public struct AppDependencies: Sendable {
    public var database: any DatabaseClient
    public var gate: TradingGate
    public var marketData: MarketDataService
    public var calendar: NYSECalendar
    public var logger: Logger
    /// This process's bar loop, shown by `GET /api/trading/status`; `nil` when it runs none.
    public var barLoop: BarLoopMonitor?
    public var barLoopSettings: BarLoopSettings
    /// The post-fill hook of every fill path (orders, bar loop), so they share its cache of tax books.
    public var taxLedger: TaxLedger
    /// The last bar closes the bar loop saw: every path marks positions with them when no quote is at hand.
    public var barCloses = BarCloseBook()
    /// Requests per minute each key may send to `/v2` (Alpaca's limit is 200).
    public var alpacaRateLimit = 200
    /// Requests per minute per bearer token on the MBT API; nil: no limit.
    public var apiRateLimit: Int?
    /// The web app's session lifetimes and sign-in limits.
    public var webSettings = WebSettings.standard

    /// The one source of "now": the market data service's clock.
    public var clock: any MarketClock { marketData.clock }

    public init(
        database: any DatabaseClient, gate: TradingGate, marketData: MarketDataService, calendar: NYSECalendar = NYSECalendar(),
        logger: Logger, barLoop: BarLoopMonitor? = nil, barLoopSettings: BarLoopSettings = .standard
    ) {
        self.database = database
        self.gate = gate
        self.marketData = marketData
        self.calendar = calendar
        self.logger = logger
        self.barLoop = barLoop
        self.barLoopSettings = barLoopSettings
        self.taxLedger = TaxLedger(database: database, logger: logger)
    }
}

/// The router with every middleware and route; tests drive it through HummingbirdTesting.
/// `timings` (benchmarks only) records how long each request took in the server.
public func buildRouter(_ dependencies: AppDependencies, timings: RequestTimings? = nil) -> Router<AppRequestContext> {
    PrometheusMetrics.install()
    let router = Router(context: AppRequestContext.self)
    if let timings { router.add(middleware: RequestTimingMiddleware(timings: timings)) }
    // Requests by route pattern, method and status, and their durations (Hummingbird's own metrics).
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: TradingGateMiddleware(gate: dependencies.gate))
    router.add(
        middleware: AuthenticationMiddleware(
            users: UserStore(database: dependencies.database),
            limiter: dependencies.apiRateLimit.map { RateLimiter(limit: $0, database: dependencies.database, logger: dependencies.logger) })
    )
    router.add(
        middleware: AlpacaMiddleware(
            gate: dependencies.gate,
            authentication: AlpacaAuthentication(
                keys: APIKeyStore(database: dependencies.database), users: UserStore(database: dependencies.database)),
            limiter: RateLimiter(limit: dependencies.alpacaRateLimit, database: dependencies.database, logger: dependencies.logger)))

    var routes = RouteRegistrar(router: router)
    HealthRoutes(database: dependencies.database).register(on: &routes)
    OpenAPIRoutes().register(on: &routes)
    let valuer = PortfolioValuer(
        positions: PositionStore(database: dependencies.database), marketData: dependencies.marketData, barCloses: dependencies.barCloses)
    let accountRoutes = AccountRoutes(accounts: AccountStore(database: dependencies.database), valuer: valuer, clock: dependencies.clock)
    accountRoutes.register(on: &routes)
    MarketRoutes(marketData: dependencies.marketData, calendar: dependencies.calendar).register(on: &routes)
    let taxLedger = dependencies.taxLedger
    let orderService = OrderService(
        database: dependencies.database, marketData: dependencies.marketData, calendar: dependencies.calendar, postFillHook: taxLedger,
        barCloses: dependencies.barCloses)
    OrderRoutes(service: orderService, orders: OrderStore(database: dependencies.database), valuer: valuer).register(on: &routes)
    ExerciseRoutes(service: orderService).register(on: &routes)
    let ironCondor = IronCondorRoutes(service: orderService, orders: OrderStore(database: dependencies.database))
    ironCondor.register(on: &routes)
    let taxRoutes = TaxRoutes(ledger: taxLedger, lots: TaxLotStore(database: dependencies.database), clock: dependencies.clock)
    taxRoutes.register(on: &routes)
    ActivityRoutes(activities: ActivityStore(database: dependencies.database)).register(on: &routes)
    let statusRoutes = StatusRoutes(
        watermarks: BarWatermarkStore(database: dependencies.database), monitor: dependencies.barLoop,
        settings: dependencies.barLoopSettings, clock: dependencies.clock, calendar: dependencies.calendar
    )
    statusRoutes.register(on: &routes)
    let jobRoutes = JobRoutes(
        runs: JobRunStore(database: dependencies.database), clock: dependencies.clock, calendar: dependencies.calendar)
    jobRoutes.register(on: &routes)
    StrategyRoutes(
        strategies: StrategyStore(database: dependencies.database), roll: CoveredCallRoll(orders: orderService), clock: dependencies.clock
    )
    .register(on: &routes)
    let paperReset = PaperResetRoutes(
        service: AccountReset(database: dependencies.database, postFillHook: taxLedger), users: UserStore(database: dependencies.database),
        clock: dependencies.clock)
    paperReset.register(on: &routes)
    MetricsRoutes().register(on: &routes)
    PrivacyRoutes(database: dependencies.database, users: UserStore(database: dependencies.database), clock: dependencies.clock)
        .register(on: &routes)
    AlpacaRoutes(
        orderService: orderService, database: dependencies.database, valuer: valuer, marketData: dependencies.marketData,
        calendar: dependencies.calendar
    ).register(on: &routes)
    routes.finish()
    WebApp(
        gate: dependencies.gate, settings: dependencies.webSettings, database: dependencies.database, account: accountRoutes,
        status: statusRoutes, tax: taxRoutes, jobs: jobRoutes, orderService: orderService, paperReset: paperReset,
        ironCondor: ironCondor, calendar: dependencies.calendar, clock: dependencies.clock
    ).register(on: router)
    return router
}

/// The whole service: the HTTP server plus the long-running `services` (the database pool first,
/// so graceful shutdown stops HTTP before the database). `onListening` is told the port once the
/// server accepts connections (the one the system picked when `port` is 0); `timings` as for
/// ``buildRouter(_:timings:)``.
public func buildApplication(
    _ dependencies: AppDependencies,
    host: String,
    port: Int,
    services: [any Service] = [],
    timings: RequestTimings? = nil,
    requestReadLimit: TimeAmount = ServerLimits.requestRead,
    responseLimit: TimeAmount = ServerLimits.response,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let stream = AlpacaTradeStream(
        keys: APIKeyStore(database: dependencies.database), users: UserStore(database: dependencies.database),
        events: OrderEventStore(database: dependencies.database), orders: OrderStore(database: dependencies.database),
        positions: PositionStore(database: dependencies.database))
    let gate = dependencies.gate
    var app = Application(
        router: buildRouter(dependencies, timings: timings),
        server: HTTPServerBuilder { responder in
            let channel = HTTP1WebSocketUpgradeChannel(responder: responder, configuration: ServerLimits.channel) { request, _, logger in
                // Alpaca's trade-updates stream (docs/alpaca-api.md); any other path stays plain HTTP.
                guard request.path?.split(separator: "?").first == "/stream", gate.refusal(for: .read) == nil else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in try await stream.handle(inbound, outbound, logger: logger) }
            }
            return RequestDeadlineGuardChannel(inner: channel, limits: .init(read: requestReadLimit, response: responseLimit))
        },
        configuration: .init(address: .hostname(host, port: port), serverName: "mbt"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
        logger: dependencies.logger
    )
    app.addServices(services)
    return app
}

/// Runs a ``DatabaseClient`` as a ServiceLifecycle service.
public struct DatabaseService: Service {
    public let database: any DatabaseClient

    public init(database: any DatabaseClient) {
        self.database = database
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await database.run()
        }
    }
}

/// Writes the market-data access log once a second, and whatever is left at shutdown.
public struct AccessLogFlushService: Service {
    public let buffer: AccessLogBuffer

    public init(buffer: AccessLogBuffer) {
        self.buffer = buffer
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            await buffer.flush()
        }
        await buffer.flush()
    }
}
