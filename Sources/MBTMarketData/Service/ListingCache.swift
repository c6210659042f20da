import Foundation
import MBTDomain

/// The market's universe and the contracts of its option chains, as the order path asks for them:
/// read from the provider at most once per `timeToLive` of market time, since they change daily
/// at most. A failed read is not cached.
actor ListingCache {
    private let timeToLive: TimeInterval
    private var stocks: (symbols: Set<String>, readAt: Date)?
    private var chains: [ChainKey: (contracts: Set<OptionSymbol>, readAt: Date)] = [:]

    struct ChainKey: Hashable {
        let underlying: String
        let expiry: MarketDate
    }

    init(timeToLive: TimeInterval) {
        self.timeToLive = timeToLive
    }

    func stocks(now: Date, read: @Sendable () async throws -> Set<String>) async throws -> Set<String> {
        if let stocks, now.timeIntervalSince(stocks.readAt) < timeToLive { return stocks.symbols }
        let symbols = try await read()
        stocks = (symbols, now)
        return symbols
    }

    func contracts(
        _ key: ChainKey, now: Date, read: @Sendable () async throws -> Set<OptionSymbol>
    ) async throws -> Set<OptionSymbol> {
        if let chain = chains[key], now.timeIntervalSince(chain.readAt) < timeToLive { return chain.contracts }
        let contracts = try await read()
        // Chains of passed expiries are never asked for again; keep the cache to the live ones.
        chains = chains.filter { $0.key.expiry >= MarketDate(containing: now) }
        chains[key] = (contracts, now)
        return contracts
    }
}
