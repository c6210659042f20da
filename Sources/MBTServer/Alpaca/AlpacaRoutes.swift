import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// Every Alpaca-compatible route: the Trading API (`/v2`) over MBT's engine, and the market data
/// (`/v2/stocks`, `/v1beta1/options`, `/v1/corporate-actions`) from MBT's market (docs/alpaca-api.md).
struct AlpacaRoutes {
    let orderService: OrderService
    let database: any DatabaseClient
    let valuer: PortfolioValuer
    let marketData: MarketDataService
    let calendar: NYSECalendar

    func register(on routes: inout RouteRegistrar) {
        let orders = AlpacaOrderRoutes(service: orderService, orders: OrderStore(database: database))
        AlpacaAccountRoutes(accounts: AccountStore(database: database), valuer: valuer, clock: marketData.clock).register(on: &routes)
        orders.register(on: &routes)
        AlpacaPositionRoutes(valuer: valuer, orderRoutes: orders).register(on: &routes)
        AlpacaAssetRoutes(marketData: marketData, calendar: calendar, positions: PositionStore(database: database)).register(on: &routes)
        AlpacaCalendarRoutes(clock: marketData.clock, calendar: calendar).register(on: &routes)
        AlpacaActivityRoutes(activities: ActivityStore(database: database)).register(on: &routes)
        AlpacaPortfolioHistoryRoutes(accounts: AccountStore(database: database), clock: marketData.clock).register(on: &routes)
        AlpacaWatchlistRoutes(
            watchlists: WatchlistStore(database: database), accounts: AccountStore(database: database), marketData: marketData
        )
        .register(on: &routes)
        AlpacaStockDataRoutes(marketData: marketData, calendar: calendar).register(on: &routes)
        AlpacaStockHistoryRoutes(marketData: marketData, calendar: calendar).register(on: &routes)
        AlpacaOptionDataRoutes(marketData: marketData, calendar: calendar).register(on: &routes)
        AlpacaCorporateActionRoutes(marketData: marketData).register(on: &routes)
    }
}
