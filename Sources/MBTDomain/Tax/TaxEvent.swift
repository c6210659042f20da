/// One fill (or option lifecycle event) as the tax engine sees it: the input stream it is rebuilt from.
///
/// Events are applied in order of trade date, then `sequence`; a fill's full timestamp becomes its
/// sequence, and in a trades file the row number does. Settlement is T+0, so the trade date is also
/// the settlement date and no separate date is carried.
public struct TaxEvent: Sendable, Hashable {
    /// What happened. Buys and sells are explicit about opening or closing, so a fill never
    /// silently flips a long position short.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Opens (or adds to) a long position.
        case buy
        /// Closes long lots.
        case sell
        /// Opens (or adds to) a short position: short stock, or writing an option.
        case sellShort = "sell_short"
        /// Closes short lots.
        case buyToCover = "buy_to_cover"
        /// The holder exercises long option contracts.
        case exercise
        /// Short option contracts are assigned.
        case assign
        /// Option contracts expire worthless, long or short.
        case expire
        /// A stock split: the open lots of the symbol are rescaled so that together they hold
        /// `quantity` (the position after the split). Each lot keeps its total basis, wash-sale
        /// adjustment and dates; a split is not a sale (Pub 550, "Stock splits"). `price` is ignored.
        case split

        /// Whether the action consumes existing lots (and so takes a lot method).
        public var closesLots: Bool { self != .buy && self != .sellShort && self != .split }
    }

    /// Stable identity of the fill; lots opened by this event are named after it (``TaxLotID/origin``),
    /// and specific-identification orders refer to lots by it.
    public var id: Int64
    public var date: MarketDate
    /// Execution order within `date`; `(date, sequence)` must be unique across the stream.
    public var sequence: Int64
    public var action: Action
    /// A stock ticker or an OCC option symbol.
    public var symbol: String
    /// Shares, or contracts for an option; positive.
    public var quantity: Decimal6
    /// Per share, including for options (an option premium of 2.50 is 250.00 per contract). For
    /// exercise and assignment it is the underlying's price, used only by cash-settled index
    /// options (their settlement value); physically settled options deliver at the strike. Ignored
    /// for expiry.
    public var price: Decimal6
    /// Commissions and fees for the whole fill; see ``TaxPolicy/includeFees``.
    public var fees: Decimal6
    /// Overrides the account's default lot method for this closing event.
    public var lotMethod: TaxLotMethod?
    /// Specific identification: the origins (opening event ids) of the lots to close, in order.
    /// Non-empty implies ``TaxLotMethod/specificId``.
    public var lotIds: [Int64]

    public init(
        id: Int64, date: MarketDate, sequence: Int64, action: Action, symbol: String, quantity: Decimal6,
        price: Decimal6, fees: Decimal6 = .zero, lotMethod: TaxLotMethod? = nil, lotIds: [Int64] = []
    ) {
        self.id = id
        self.date = date
        self.sequence = sequence
        self.action = action
        self.symbol = symbol
        self.quantity = quantity
        self.price = price
        self.fees = fees
        self.lotMethod = lotMethod
        self.lotIds = lotIds
    }

    /// The position of the event in the stream.
    var key: EventKey { EventKey(day: Int32(date.daysSinceEpoch), sequence: sequence) }
}

/// Where an event sits in the stream: trade date, then sequence within the date.
struct EventKey: Sendable, Hashable, Comparable {
    var day: Int32
    var sequence: Int64

    static func < (lhs: EventKey, rhs: EventKey) -> Bool {
        (lhs.day, lhs.sequence) < (rhs.day, rhs.sequence)
    }
}
