import Foundation

/// One day's regular trading window on the exchange, as absolute instants so that callers compare
/// it with clock readings without redoing New York time-zone and daylight-saving arithmetic.
public struct TradingSession: Sendable, Hashable {
    public let date: MarketDate
    public let open: Date
    public let close: Date
    /// Early-close days (13:00 New York) shorten the window; jobs that run "at the close" must
    /// follow `close`, not a fixed 16:00.
    public let isEarlyClose: Bool

    public init(date: MarketDate, open: Date, close: Date, isEarlyClose: Bool) {
        self.date = date
        self.open = open
        self.close = close
        self.isEarlyClose = isEarlyClose
    }

    /// Half-open, `[open, close)`: the opening instant trades, the closing instant already belongs
    /// to the closed market, so consecutive checks never see two states at one instant.
    public func contains(_ instant: Date) -> Bool {
        open <= instant && instant < close
    }
}
