import Foundation
import Hummingbird
import MBTDomain
import MBTMarketData
import MBTStorage

/// `/v2/watchlists`: the caller's named lists of assets in Alpaca's shape (docs/alpaca-api.md,
/// "Watchlists"), kept by ``WatchlistStore``. A list's id is a UUID derived from its row id like an
/// order's; another user's list is not found. Symbols must be what the market trades (a listed
/// stock or option contract); each appears once per list, in the order added.
struct AlpacaWatchlistRoutes {
    let watchlists: WatchlistStore
    let accounts: AccountStore
    let marketData: MarketDataService

    static let maximumNameLength = 64
    static let maximumSymbols = 1_000

    func register(on routes: inout RouteRegistrar) {
        routes.on(.get, "/v2/watchlists") { _, context in
            let user = try context.requireUser()
            let account = try await accountId(user)
            return AlpacaResponse(.array(try await watchlists.list(userId: user.id).map { Self.body($0, account: account, assets: false) }))
        }
        routes.on(.post, "/v2/watchlists") { request, context in
            let user = try context.requireUser()
            let fields = try await AlpacaFields.read(request, context: context)
            let name = try Self.name(try fields.required("name", fields.string))
            let symbols = try await validated(try fields.strings("symbols") ?? [])
            let list = try await stored { try await watchlists.create(userId: user.id, name: name, symbols: symbols, at: now) }
            return AlpacaResponse(Self.body(try found(list), account: try await accountId(user), assets: true))
        }
        // One list by its id, or by its name as Alpaca's `:by_name` routes find it.
        for path in ["/v2/watchlists/{watchlist_id}", "/v2/watchlists:by_name"] {
            routes.on(.get, path) { request, context in
                let user = try context.requireUser()
                let list = try found(try await watchlists.watchlist(id: try await id(request, context, user: user), userId: user.id))
                return AlpacaResponse(Self.body(list, account: try await accountId(user), assets: true))
            }
            routes.on(.put, path) { request, context in
                let user = try context.requireUser()
                return try await update(id: try await id(request, context, user: user), request: request, context: context, user: user)
            }
            routes.on(.post, path) { request, context in
                let user = try context.requireUser()
                let id = try await id(request, context, user: user)
                let fields = try await AlpacaFields.read(request, context: context)
                let symbol = try await validated([try fields.required("symbol", fields.string)])[0]
                let list = try await stored { try await watchlists.add(symbol, to: id, userId: user.id, at: now) }
                return AlpacaResponse(Self.body(try found(list), account: try await accountId(user), assets: true))
            }
            routes.on(.delete, path) { request, context in
                let user = try context.requireUser()
                guard try await watchlists.delete(id: try await id(request, context, user: user), userId: user.id) else {
                    throw Self.notFound
                }
                return AlpacaResponse.noContent
            }
        }
        routes.on(.delete, "/v2/watchlists/{watchlist_id}/{symbol}") { _, context in
            let user = try context.requireUser()
            let id = try Self.id(context)
            let symbol = (context.parameters.get("symbol") ?? "").uppercased()
            let list = try await stored { try await watchlists.remove(symbol, from: id, userId: user.id, at: now) }
            return AlpacaResponse(Self.body(try found(list), account: try await accountId(user), assets: true))
        }
    }

    static let notFound = AlpacaError.notFound("watchlist not found")

    /// Renames the list and/or replaces its symbols.
    func update(id: Int64, request: Request, context: AppRequestContext, user: User) async throws -> AlpacaResponse {
        let fields = try await AlpacaFields.read(request, context: context)
        let name = try fields.string("name").map(Self.name)
        var symbols: [String]?
        if let asked = try fields.strings("symbols") { symbols = try await validated(asked) }
        guard name != nil || symbols != nil else { throw AlpacaError.validation("send name or symbols (or both) to update a watchlist") }
        let list = try await stored { try await watchlists.update(id: id, userId: user.id, name: name, symbols: symbols, at: now) }
        return AlpacaResponse(Self.body(try found(list), account: try await accountId(user), assets: true))
    }

    /// The list a request names: by the path's id, or by the `name` query of the `:by_name` routes.
    func id(_ request: Request, _ context: AppRequestContext, user: User) async throws -> Int64 {
        guard context.parameters.get("watchlist_id") == nil else { return try Self.id(context) }
        guard let name = AlpacaQuery(request).text("name") else { throw AlpacaError.validation("name is required, e.g. name=tech") }
        guard let id = try await watchlists.id(named: name, userId: user.id) else { throw Self.notFound }
        return id
    }

    var now: Date { marketData.clock.now() }

    /// The path's watchlist id: a malformed one is a 400 as for orders; a UUID that is not a
    /// watchlist's is simply not found.
    static func id(_ context: AppRequestContext) throws -> Int64 {
        let text = context.parameters.get("watchlist_id") ?? ""
        guard let uuid = UUID(uuidString: text) else { throw AlpacaError.badRequest("watchlist_id \(text.prefix(40)) is not a UUID") }
        guard let id = AlpacaIdentifier.rowId(uuid, kind: .watchlist) else { throw notFound }
        return id
    }

    static func name(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= maximumNameLength else {
            throw AlpacaError.validation("name must be 1 to \(maximumNameLength) characters")
        }
        return name
    }

    func found(_ list: WatchlistStore.Watchlist?) throws -> WatchlistStore.Watchlist {
        guard let list else { throw Self.notFound }
        return list
    }

    /// Upper-cased, each listed by the market, none twice.
    func validated(_ symbols: [String]) async throws -> [String] {
        guard symbols.count <= Self.maximumSymbols else {
            throw AlpacaError.validation("symbols holds at most \(Self.maximumSymbols) symbols")
        }
        let upper = symbols.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        if let twice = upper.first(where: { symbol in upper.filter { $0 == symbol }.count > 1 }) {
            throw AlpacaError.validation("symbols lists \(twice.prefix(32)) twice")
        }
        let stocks = try await marketData.tradableStocks()
        for symbol in upper where !stocks.contains(symbol) {
            guard let contract = try? OptionSymbol(parsing: symbol),
                try await marketData.listedContracts(underlying: contract.root, expiry: contract.expiry).contains(contract)
            else {
                throw AlpacaError.validation("symbol \(symbol.prefix(32)) is not an asset the market lists")
            }
        }
        return upper
    }

    /// The store's refusals in Alpaca's terms.
    func stored(_ write: () async throws -> WatchlistStore.Watchlist?) async throws -> WatchlistStore.Watchlist? {
        do {
            return try await write()
        } catch let failure as WatchlistStore.Failure {
            switch failure {
            case .duplicateName(let name): throw AlpacaError.validation("a watchlist named \(name) already exists")
            case .duplicateSymbol(let symbol): throw AlpacaError.validation("\(symbol) is already in the watchlist")
            case .missingSymbol(let symbol): throw AlpacaError.notFound("\(symbol) is not in the watchlist")
            }
        }
    }

    func accountId(_ user: User) async throws -> UUID {
        AlpacaIdentifier.uuid(.account, try await accounts.account(ofUser: user.id).id)
    }

    /// Alpaca's Watchlist; the list of watchlists leaves `assets` out, as Alpaca's does.
    static func body(_ list: WatchlistStore.Watchlist, account: UUID, assets: Bool) -> AlpacaValue {
        var fields: [String: AlpacaValue] = [
            "id": .string(AlpacaIdentifier.text(AlpacaIdentifier.uuid(.watchlist, list.id))),
            "account_id": .string(AlpacaIdentifier.text(account)), "name": .string(list.name),
            "created_at": .time(list.createdAt), "updated_at": .time(list.updatedAt),
        ]
        if assets {
            fields["assets"] = .array(
                list.symbols.map { symbol in
                    (try? OptionSymbol(parsing: symbol)).map(AlpacaAssetRoutes.option) ?? AlpacaAssetRoutes.stock(symbol)
                })
        }
        return .object(fields)
    }
}
