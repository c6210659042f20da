import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage

/// `GET /v2/assets`, `/v2/assets/{symbol_or_asset_id}` and `/v2/options/contracts`: the market's
/// universe as Alpaca lists it (docs/alpaca-api.md, "Assets"). What trades is what the order path
/// accepts: the market's tradable stocks and its listed option contracts.
struct AlpacaAssetRoutes {
    let marketData: MarketDataService
    let calendar: NYSECalendar
    let positions: PositionStore

    static let defaultContractLimit = 100
    static let maximumContractLimit = 10_000

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/assets") { request, context in
            _ = try context.requireUser()
            let query = AlpacaQuery(request)
            let status = try query.choice("status", ["active", "inactive"]) ?? "active"
            let assetClass = try query.choice("asset_class", ["us_equity", "us_option", "crypto"]) ?? "us_equity"
            guard status == "active", assetClass == "us_equity" else { return AlpacaResponse(.array([])) }
            return AlpacaResponse(.array(try await marketData.tradableStocks().sorted().map(Self.stock)))
        }
        routes.on(.get, "/v2/assets/{symbol_or_asset_id}") { _, context in
            _ = try context.requireUser()
            let key = (context.parameters.get("symbol_or_asset_id") ?? "").uppercased()
            let stocks = try await marketData.tradableStocks()
            if stocks.contains(key) { return AlpacaResponse(Self.stock(key)) }
            if let uuid = UUID(uuidString: key), let symbol = stocks.first(where: { AlpacaIdentifier.asset($0) == uuid }) {
                return AlpacaResponse(Self.stock(symbol))
            }
            if let contract = try? OptionSymbol(parsing: key),
                try await marketData.listedContracts(underlying: contract.root, expiry: contract.expiry).contains(contract)
            {
                return AlpacaResponse(Self.option(contract))
            }
            throw AlpacaError.notFound("asset not found")
        }
        // One contract by its OCC symbol. Its asset id is a name-based UUID that cannot be read
        // back without the symbol, so an id is only found among the caller's own positions.
        routes.on(.get, "/v2/options/contracts/{symbol_or_id}") { _, context in
            let user = try context.requireUser()
            let key = (context.parameters.get("symbol_or_id") ?? "").uppercased()
            var symbol = key
            if let uuid = UUID(uuidString: key) {
                let held = try await positions.openPositions(userId: user.id).map(\.symbol)
                guard let match = held.first(where: { AlpacaIdentifier.asset($0) == uuid }) else {
                    throw AlpacaError.notFound("option contract not found: look a contract up by its symbol")
                }
                symbol = match
            }
            guard let contract = try? OptionSymbol(parsing: symbol),
                try await marketData.listedContracts(underlying: contract.root, expiry: contract.expiry).contains(contract)
            else {
                throw AlpacaError.notFound("option contract \(symbol.prefix(32)) not found")
            }
            return AlpacaResponse(Self.contract(contract))
        }
        routes.on(.get, "/v2/options/contracts") { request, context in
            _ = try context.requireUser()
            let query = AlpacaQuery(request)
            guard let underlyings = query.symbols("underlying_symbols") else {
                throw AlpacaError.validation("underlying_symbols is required, e.g. underlying_symbols=AAPL")
            }
            guard underlyings.count <= 100 else { throw AlpacaError.validation("at most 100 underlying_symbols per request") }
            let filter = try AlpacaContractFilter(query, today: MarketDate(containing: marketData.clock.now()))
            let limit = try query.integer("limit", in: 1...Self.maximumContractLimit) ?? Self.defaultContractLimit
            let offset = try query.pageOffset()
            var contracts: [OptionSymbol] = []
            for day in filter.expiries(calendar) {
                for underlying in underlyings {
                    contracts += try await marketData.listedContracts(underlying: underlying, expiry: day)
                }
            }
            let matching = contracts.filter(filter.matches)
                .sorted()
            let page = matching.dropFirst(offset).prefix(limit)
            let next = offset + page.count < matching.count ? AlpacaValue.string("\(offset + page.count)") : .null
            return AlpacaResponse(.object(["option_contracts": .array(page.map(Self.contract)), "next_page_token": next]))
        }
    }

    static func stock(_ symbol: String) -> AlpacaValue {
        .object([
            "id": .string(AlpacaIdentifier.text(AlpacaIdentifier.asset(symbol))),
            "class": .string("us_equity"),
            "exchange": .string(""),
            "symbol": .string(symbol),
            "name": .string(symbol),
            "status": .string("active"),
            "tradable": .bool(true),
            "marginable": .bool(false),
            "shortable": .bool(true),
            "easy_to_borrow": .bool(true),
            "fractionable": .bool(true),
            "attributes": .array([]),
        ])
    }

    static func option(_ contract: OptionSymbol) -> AlpacaValue {
        .object([
            "id": .string(AlpacaIdentifier.text(AlpacaIdentifier.asset(contract.description))),
            "class": .string("us_option"),
            "exchange": .string(""),
            "symbol": .string(contract.description),
            "name": .string(name(contract)),
            "status": .string("active"),
            "tradable": .bool(true),
            "marginable": .bool(false),
            "shortable": .bool(false),
            "easy_to_borrow": .bool(false),
            "fractionable": .bool(false),
            "attributes": .array([]),
        ])
    }

    static func contract(_ contract: OptionSymbol) -> AlpacaValue {
        .object([
            "id": .string(AlpacaIdentifier.text(AlpacaIdentifier.asset(contract.description))),
            "symbol": .string(contract.description),
            "name": .string(name(contract)),
            "status": .string("active"),
            "tradable": .bool(true),
            "expiration_date": .string(contract.expiry.description),
            "root_symbol": .string(contract.root),
            "underlying_symbol": .string(contract.root),
            "underlying_asset_id": .string(AlpacaIdentifier.text(AlpacaIdentifier.asset(contract.root))),
            "type": .string(contract.right == .call ? "call" : "put"),
            "style": .string("american"),
            "strike_price": .decimal(contract.strike),
            "multiplier": .string("\(OptionSymbol.contractMultiplier)"),
            "size": .string("\(OptionSymbol.contractMultiplier)"),
            "open_interest": .null,
            "open_interest_date": .null,
            "close_price": .null,
            "close_price_date": .null,
        ])
    }

    /// `AAPL Mar 20 2026 175 Call`, as Alpaca names contracts.
    static func name(_ contract: OptionSymbol) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let expiry = contract.expiry
        return "\(contract.root) \(months[expiry.month - 1]) \(String(format: "%02d", expiry.day)) \(expiry.year) "
            + "\(AlpacaFormat.decimal(contract.strike)) \(contract.right == .call ? "Call" : "Put")"
    }
}
