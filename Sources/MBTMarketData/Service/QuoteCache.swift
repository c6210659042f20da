import Foundation
import MBTDomain

/// A short-lived cache of latest quotes with request coalescing: concurrent requests for the same
/// symbols share one upstream call, and a quote younger than `timeToLive` (by the market clock) is
/// served without one.
actor QuoteCache {
    private struct Entry {
        let quote: Quote
        let fetchedAt: Date
    }

    private let timeToLive: TimeInterval
    private var entries: [String: Entry] = [:]
    private var inFlight: [String: Task<[String: Quote], any Error>] = [:]

    init(timeToLive: TimeInterval) {
        self.timeToLive = timeToLive
    }

    /// The quotes of `symbols` as of `now`, fetching the missing ones with `fetch` (once, however
    /// many callers ask at the same time). Symbols the source does not know are absent.
    func quotes(
        _ symbols: [String],
        now: Date,
        fetch: @escaping @Sendable ([String]) async throws -> [String: Quote]
    ) async throws -> [String: Quote] {
        var result: [String: Quote] = [:]
        var missing: [String] = []
        var awaiting: [String: Task<[String: Quote], any Error>] = [:]
        for symbol in Set(symbols) {
            if let entry = entries[symbol], now.timeIntervalSince(entry.fetchedAt) < timeToLive {
                result[symbol] = entry.quote
            } else if let task = inFlight[symbol] {
                awaiting[symbol] = task
            } else {
                missing.append(symbol)
            }
        }
        if !missing.isEmpty {
            let task = Task { try await fetch(missing) }
            for symbol in missing { inFlight[symbol] = task }
            for symbol in missing { awaiting[symbol] = task }
        }
        for (symbol, task) in awaiting {
            let fetched: [String: Quote]
            do {
                fetched = try await task.value
            } catch {
                if inFlight[symbol] == task { inFlight[symbol] = nil }
                throw error
            }
            if inFlight[symbol] == task {
                inFlight[symbol] = nil
                for (fetchedSymbol, quote) in fetched where entries[fetchedSymbol].map({ $0.fetchedAt <= now }) ?? true {
                    entries[fetchedSymbol] = Entry(quote: quote, fetchedAt: now)
                }
            }
            if let quote = fetched[symbol] { result[symbol] = quote }
        }
        return result
    }
}
