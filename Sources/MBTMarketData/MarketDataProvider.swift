import Foundation
import MBTDomain

/// Everything the engine asks of a market: live (Alpaca), simulated or replayed. The engine calls
/// only this, so all three share one code path.
public protocol MarketDataProvider: Sendable {
    /// The name recorded in the access log: `alpaca`, `simulated` or `replay`.
    var source: String { get }

    /// The stock and ETF symbols the market lists for trading (its universe), whether or not it
    /// quotes them right now. Options are listed by their chains; indexes trade only through options.
    func tradableStocks() async throws -> Set<String>

    /// The latest quote of each symbol; symbols the source does not know are absent.
    func latestQuotes(_ symbols: [String]) async throws -> [String: Quote]

    /// One-minute bars with `start` in `[from, to)`, oldest first, per symbol.
    func minuteBars(_ symbols: [String], from: Date, to: Date) async throws -> [String: [Bar]]

    /// The contracts of `underlying` expiring on `expiry`, with quotes and greeks where the source
    /// has them, ordered by right then strike.
    func optionChain(underlying: String, expiry: MarketDate) async throws -> [OptionChainEntry]

    /// The latest quote of each option contract; contracts the source does not know are absent.
    func latestOptionQuotes(_ symbols: [OptionSymbol]) async throws -> [OptionSymbol: Quote]

    /// The quotes of stocks and option contracts (keyed by the symbols asked for) as they stood at
    /// `instant`, at or before now: how resting multi-leg orders are judged at each minute missed
    /// while the server was down. `nil` when the source keeps no quote history (Alpaca serves
    /// latest quotes only).
    func quotes(_ symbols: [String], at instant: Date) async throws -> [String: Quote]?

    /// Cash dividends and splits with an ex-date in `[from, through]`; all symbols when `symbols` is empty.
    func corporateActions(from: MarketDate, through: MarketDate, symbols: [String]) async throws -> [CorporateAction]
}
