import Foundation

/// One minute (or other interval) of trading in a symbol; `start` is the interval's left edge.
public struct Bar: Sendable, Hashable, Codable {
    public let symbol: String
    public let start: Date
    public let open: Decimal6
    public let high: Decimal6
    public let low: Decimal6
    public let close: Decimal6
    public let volume: Int64
    public let tradeCount: Int64?
    public let vwap: Decimal6?

    public init(
        symbol: String, start: Date, open: Decimal6, high: Decimal6, low: Decimal6, close: Decimal6, volume: Int64,
        tradeCount: Int64? = nil, vwap: Decimal6? = nil
    ) {
        self.symbol = symbol
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.tradeCount = tradeCount
        self.vwap = vwap
    }

    /// High is the highest and low the lowest of the four prices.
    public var isConsistent: Bool {
        low <= open && low <= close && high >= open && high >= close && low <= high
    }
}
