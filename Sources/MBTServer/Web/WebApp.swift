import Hummingbird
import MBTDomain
import MBTStorage
import MBTTrading

/// The web app (docs/web-app.md): pages rendered on the server at `/`, signed in with a password
/// and a session cookie, calling the same services as the JSON API. Its routes sit in a group of
/// their own whose middleware (gate, security headers, errors as HTML, session) touches no `/api`
/// route.
struct WebApp {
    let gate: TradingGate
    let settings: WebSettings
    let database: any DatabaseClient
    let account: AccountRoutes
    let status: StatusRoutes
    let tax: TaxRoutes
    let jobs: JobRoutes
    let orderService: OrderService
    let paperReset: PaperResetRoutes
    let ironCondor: IronCondorRoutes
    let calendar: NYSECalendar
    let clock: any MarketClock

    func register(on router: Router<AppRequestContext>) {
        let pages = WebPages(gate: gate)
        router.add(middleware: WebNotFoundMiddleware(pages: pages))
        let sessions = WebSessionStore(database: database)
        let group = router.group()
            .add(middleware: WebSecurityHeadersMiddleware())
            .add(middleware: WebErrorMiddleware(pages: pages))
            .add(middleware: WebGateMiddleware(gate: gate))
            .add(middleware: WebSessionMiddleware(sessions: sessions, settings: settings))
        group.get("/") { _, context -> Response in
            WebPages.redirect(to: context.webSession == nil ? "/login" : "/portfolio")
        }
        WebAssets().register(on: group)
        SignInRoutes(users: UserStore(database: database), sessions: sessions, settings: settings, pages: pages).register(on: group)
        PortfolioPage(
            account: account, status: status, snapshots: SnapshotStore(database: database), lots: TaxLotStore(database: database),
            orders: OrderStore(database: database), strategies: StrategyStore(database: database), goLive: settings.goLive, clock: clock,
            pages: pages
        ).register(on: group)
        TradePage(
            service: orderService, orders: OrderStore(database: database), account: account, marketData: orderService.marketData,
            calendar: calendar, ironCondor: ironCondor, pages: pages
        ).register(on: group)
        ReplacePage(service: orderService, orders: OrderStore(database: database), pages: pages).register(on: group)
        AdminJobsPage(jobs: jobs, pages: pages).register(on: group)
        AdminResetPage(
            reset: paperReset, accounts: AccountStore(database: database), positions: PositionStore(database: database),
            orders: OrderStore(database: database), pages: pages
        ).register(on: group)
        HistoryPage(
            orders: OrderStore(database: database), lots: TaxLotStore(database: database), strategies: StrategyStore(database: database),
            tax: tax, clock: clock, pages: pages
        ).register(on: group)
    }
}
