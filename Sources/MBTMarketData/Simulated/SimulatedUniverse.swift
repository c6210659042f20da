import Foundation
import MBTDomain

/// One symbol the simulated market quotes, with the few numbers its random walk and its options need.
public struct SimulatedInstrument: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case stock
        case etf
        /// A computed level, not a market: quoted with no spread and no size, traded only through options.
        case index
    }

    public let symbol: String
    public let kind: Kind
    /// The median price the walk reverts to in log space, roughly the real price when the list was made.
    public let basePrice: Decimal6
    /// Annualised volatility of log returns: drives the walk and is the options' implied volatility.
    public let volatility: Decimal6
    /// Continuous yield for option pricing; stocks and ETFs above zero also pay quarterly cash dividends.
    public let dividendYield: Decimal6

    /// The key of every draw of the path: the stable hash of the symbol itself, except for an index
    /// defined as a fixed fraction of another (XSP is SPX/10), which takes that one's draws so the
    /// two can never disagree.
    let pathKey: UInt64
    /// `basePrice` as a double, for the path's model arithmetic.
    let baseValue: Double
    /// Standard deviation of one trading day's log return.
    let dailyDeviation: Double

    init(_ symbol: String, _ kind: Kind, price: Decimal6, volatility: Decimal6, yield: Decimal6 = .zero, follows: String? = nil) {
        self.symbol = symbol
        self.kind = kind
        self.basePrice = price
        self.volatility = volatility
        self.dividendYield = yield
        self.pathKey = SimulatedNoise.stableHash(follows ?? symbol)
        self.baseValue = Double(price.micros) / Double(Decimal6.microsPerUnit)
        self.dailyDeviation =
            Double(volatility.micros) / Double(Decimal6.microsPerUnit) / SimulatedPricePath.tradingDaysPerYear.squareRoot()
    }
}

extension SimulatedMarket {
    /// Liquid US stocks and ETFs and the four cash-settled indexes with options here, at prices,
    /// volatilities and yields close to the real ones in 2025. Fixed in code so that a seed names one
    /// market forever; adding a symbol does not change any other symbol's path.
    public static let universe: [SimulatedInstrument] = [
        // Stocks
        SimulatedInstrument("AAPL", .stock, price: "230", volatility: "0.25", yield: "0.0045"),
        SimulatedInstrument("MSFT", .stock, price: "450", volatility: "0.22", yield: "0.0075"),
        SimulatedInstrument("NVDA", .stock, price: "180", volatility: "0.45", yield: "0.0003"),
        SimulatedInstrument("AMZN", .stock, price: "220", volatility: "0.30"),
        SimulatedInstrument("GOOGL", .stock, price: "200", volatility: "0.28", yield: "0.004"),
        SimulatedInstrument("META", .stock, price: "700", volatility: "0.35", yield: "0.003"),
        SimulatedInstrument("TSLA", .stock, price: "350", volatility: "0.55"),
        SimulatedInstrument("JPM", .stock, price: "280", volatility: "0.22", yield: "0.02"),
        SimulatedInstrument("V", .stock, price: "340", volatility: "0.20", yield: "0.007"),
        SimulatedInstrument("MA", .stock, price: "560", volatility: "0.21", yield: "0.005"),
        SimulatedInstrument("XOM", .stock, price: "110", volatility: "0.24", yield: "0.035"),
        SimulatedInstrument("CVX", .stock, price: "155", volatility: "0.24", yield: "0.043"),
        SimulatedInstrument("UNH", .stock, price: "320", volatility: "0.30", yield: "0.027"),
        SimulatedInstrument("JNJ", .stock, price: "170", volatility: "0.16", yield: "0.03"),
        SimulatedInstrument("PG", .stock, price: "155", volatility: "0.16", yield: "0.027"),
        SimulatedInstrument("HD", .stock, price: "380", volatility: "0.22", yield: "0.024"),
        SimulatedInstrument("KO", .stock, price: "68", volatility: "0.15", yield: "0.03"),
        SimulatedInstrument("PEP", .stock, price: "145", volatility: "0.17", yield: "0.038"),
        SimulatedInstrument("COST", .stock, price: "950", volatility: "0.20", yield: "0.005"),
        SimulatedInstrument("NFLX", .stock, price: "110", volatility: "0.38"),
        SimulatedInstrument("AMD", .stock, price: "160", volatility: "0.50"),
        SimulatedInstrument("INTC", .stock, price: "24", volatility: "0.45"),
        SimulatedInstrument("BAC", .stock, price: "48", volatility: "0.25", yield: "0.022"),
        SimulatedInstrument("WMT", .stock, price: "100", volatility: "0.18", yield: "0.009"),
        SimulatedInstrument("DIS", .stock, price: "115", volatility: "0.27", yield: "0.009"),
        SimulatedInstrument("F", .stock, price: "11", volatility: "0.35", yield: "0.05"),
        // ETFs
        SimulatedInstrument("SPY", .etf, price: "650", volatility: "0.16", yield: "0.012"),
        SimulatedInstrument("QQQ", .etf, price: "580", volatility: "0.20", yield: "0.006"),
        SimulatedInstrument("IWM", .etf, price: "230", volatility: "0.22", yield: "0.011"),
        SimulatedInstrument("DIA", .etf, price: "460", volatility: "0.15", yield: "0.015"),
        SimulatedInstrument("TLT", .etf, price: "90", volatility: "0.14", yield: "0.04"),
        SimulatedInstrument("GLD", .etf, price: "330", volatility: "0.15"),
        // Indexes: cash-settled options only; the yield is the index's, for pricing, and is never paid.
        SimulatedInstrument("SPX", .index, price: "6500", volatility: "0.16", yield: "0.013"),
        SimulatedInstrument("XSP", .index, price: "650", volatility: "0.16", yield: "0.013", follows: "SPX"),
        SimulatedInstrument("NDX", .index, price: "23000", volatility: "0.20", yield: "0.007"),
        SimulatedInstrument("RUT", .index, price: "2300", volatility: "0.22", yield: "0.012"),
    ]

    /// The universe by symbol, built once: every lookup is a hash probe.
    static let instruments: [String: SimulatedInstrument] = Dictionary(uniqueKeysWithValues: universe.map { ($0.symbol, $0) })
}
