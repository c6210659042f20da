/// A weekday on which the exchange does not trade, with its reason, so that a refused order or a
/// skipped job can tell the user why the market is shut rather than just that it is.
public struct ExchangeHoliday: Sendable, Hashable {
    /// Recurring holidays follow from the published rules and can be known for any future year;
    /// one-off closures (mourning, disasters) were decided at the time and exist only in a table.
    public enum Kind: Sendable, Hashable {
        case recurring
        case oneOff
    }

    public let name: String
    /// The day the exchange is actually closed: the observed date, which is not the nominal one
    /// when a fixed-date holiday falls on a weekend.
    public let date: MarketDate
    public let kind: Kind

    public init(name: String, date: MarketDate, kind: Kind) {
        self.name = name
        self.date = date
        self.kind = kind
    }
}
