import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData

/// Alpaca's option market-data routes under `/v1beta1` (docs/alpaca-api.md, "Market data"): latest
/// quotes by contract and the chain's snapshots by underlying, from MBT's own market and
/// access-logged per user. alpaca-py takes all five greeks or none, so a snapshot carries
/// `greeks` when the market has all five for the contract (the simulated market's model does;
/// a replay recording has none) beside `impliedVolatility`.
struct AlpacaOptionDataRoutes {
    let marketData: MarketDataService
    let calendar: NYSECalendar

    static let maximumSymbols = 100
    static let defaultLimit = 100
    static let maximumLimit = 1_000

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v1beta1/options/quotes/latest") { request, context in
            let user = try context.requireUser()
            guard let texts = AlpacaQuery(request).symbols("symbols") else {
                throw AlpacaError.validation("symbols is required, e.g. symbols=AAPL260320C00175000")
            }
            guard texts.count <= Self.maximumSymbols else {
                throw AlpacaError.validation("at most \(Self.maximumSymbols) symbols per request")
            }
            let contracts = try texts.map { text in
                do { return try OptionSymbol(parsing: text) } catch {
                    throw AlpacaError.validation("\(text.prefix(30)) is not an OCC option symbol: \(error)")
                }
            }
            let quotes = try await marketData.optionQuotes(contracts, for: [user.id])
            var body: [String: AlpacaValue] = [:]
            for (contract, quote) in quotes { body[contract.description] = AlpacaMarketDataBody.quote(quote) }
            return AlpacaResponse(.object(["quotes": .object(body)]))
        }
        routes.on(.get, "/v1beta1/options/snapshots/{underlying_symbol}") { request, context in
            let user = try context.requireUser()
            let underlying = (context.parameters.get("underlying_symbol") ?? "").uppercased()
            if case .failure(let error) = MarketSymbol.normalize(underlying) { throw AlpacaError.validation(error.description) }
            let query = AlpacaQuery(request)
            let filter = try AlpacaContractFilter(query, today: MarketDate(containing: marketData.clock.now()))
            let limit = try query.integer("limit", in: 1...Self.maximumLimit) ?? Self.defaultLimit
            let offset = try query.pageOffset()
            var entries: [OptionChainEntry] = []
            for day in filter.expiries(calendar)
            where try await !marketData.listedContracts(underlying: underlying, expiry: day).isEmpty {
                entries += try await marketData.optionChain(underlying: underlying, expiry: day, for: [user.id])
            }
            let matching = entries.filter { filter.matches($0.symbol) }
                .sorted { $0.symbol < $1.symbol }
            let page = matching.dropFirst(offset).prefix(limit)
            var snapshots: [String: AlpacaValue] = [:]
            for entry in page {
                var fields: [String: AlpacaValue] = [:]
                if let quote = entry.quote { fields["latestQuote"] = AlpacaMarketDataBody.quote(quote) }
                if let volatility = entry.impliedVolatility { fields["impliedVolatility"] = .number(volatility) }
                if let greeks = Self.greeks(entry) { fields["greeks"] = greeks }
                snapshots[entry.symbol.description] = .object(fields)
            }
            let next = offset + page.count < matching.count ? AlpacaValue.string("\(offset + page.count)") : .null
            return AlpacaResponse(.object(["snapshots": .object(snapshots), "next_page_token": next]))
        }
    }

    /// `{delta, gamma, rho, theta, vega}` as numbers, or `nil` unless all five are known.
    static func greeks(_ entry: OptionChainEntry) -> AlpacaValue? {
        guard let delta = entry.delta, let gamma = entry.gamma, let rho = entry.rho, let theta = entry.theta, let vega = entry.vega
        else { return nil }
        return .object([
            "delta": .number(delta), "gamma": .number(gamma), "rho": .number(rho), "theta": .number(theta), "vega": .number(vega),
        ])
    }
}
