/// The wash-sale index of one family of substantially identical positions: everything a purchase
/// or a loss sale must look at, limited to the last 30 days.
///
/// A family is one symbol in ``TaxPolicy/IdentityMode/sameSymbol`` and one underlying (the stock
/// with its options) in ``TaxPolicy/IdentityMode/underlyingFamily``. Events arrive in date order,
/// so anything older than 30 days before the current event can never fall in a later event's
/// window and is dropped from the front; the windows stay small however many lots are open.
struct WashFamily: Sendable, Equatable {
    /// Lots opened in the last 30 days, in acquisition order: the replacements a loss sale made
    /// now can use (those still open and not yet used).
    var acquisitions = Window<Acquisition>()
    /// Loss sales of the last 30 days with shares not yet matched, in sale order: a purchase now
    /// washes them, earliest loss first.
    var pendingLosses = Window<PendingLoss>()
    /// Only with ``TaxPolicy/closedBeforeLossCanReplace``: lots acquired in the last 30 days and
    /// already sold at a gain, which a later loss sale may still use as replacements.
    var closedLots = Window<ClosedLot>()

    struct Acquisition: Sendable, Equatable {
        var order: LotOrderKey
        var day: Int32
        /// Symbol index.
        var symbol: Int32
        var id: TaxLotID
    }

    /// A loss sale (one sold lot's piece) whose loss is not yet fully disallowed.
    struct PendingLoss: Sendable, Equatable {
        var disposition: Int
        var saleDay: Int32
        var identity: WashIdentity
        var side: PositionSide
        var lossOrigin: Int64
        var lossOrder: LotOrderKey
        /// The sold lot's holding-period start, as a day number.
        var lossAdjustedDay: Int32
        /// The whole loss, positive.
        var loss: Decimal6
        /// Share equivalents sold, and how many of them have been matched.
        var shares: Decimal6
        var washed: Decimal6
        /// Proceeds per share, to judge whether a short put is in the money.
        var pricePerShare: Decimal6

        var remaining: Decimal6 { shares - washed }
        var saleDate: MarketDate { MarketDate(daysSinceEpoch: Int(saleDay)) }
    }

    struct ClosedLot: Sendable, Equatable {
        var order: LotOrderKey
        var day: Int32
        var disposition: Int
        var identity: WashIdentity
        var multiplier: Int64
        var side: PositionSide
        var origin: Int64
        /// Share equivalents still able to absorb a loss.
        var shares: Decimal6
    }

    /// Drops what no event on or after `today` can match.
    mutating func prune(today: Int32) {
        let horizon = today - 30
        acquisitions.dropFirst { $0.day < horizon }
        pendingLosses.dropFirst { $0.saleDay < horizon || !$0.remaining.isPositive }
        closedLots.dropFirst { $0.day < horizon || !$0.shares.isPositive }
    }
}

/// A queue that only grows at the back and shrinks at the front, without shifting on every drop.
struct Window<Element: Sendable & Equatable>: Sendable, Equatable {
    private var elements: [Element] = []
    private var head = 0

    var indices: Range<Int> { head..<elements.count }

    subscript(index: Int) -> Element {
        get { elements[index] }
        set { elements[index] = newValue }
    }

    mutating func append(_ element: Element) {
        elements.append(element)
    }

    mutating func dropFirst(while shouldDrop: (Element) -> Bool) {
        while head < elements.count, shouldDrop(elements[head]) { head += 1 }
        if head == elements.count {
            elements.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > elements.count {
            elements.removeFirst(head)
            head = 0
        }
    }
}

/// What decides whether one position is substantially identical to another, as small integers.
struct WashIdentity: Sendable, Equatable {
    /// Symbol index.
    var symbol: Int32
    /// Family index: the underlying in ``TaxPolicy/IdentityMode/underlyingFamily`` (it is only
    /// compared in that mode).
    var underlying: Int32
    /// Call or put for an option; `nil` for a stock.
    var right: OptionSymbol.Right?
    var strike: Decimal6?

    init(_ instrument: TaxInstrument, symbol: Int, family: Int32) {
        self.symbol = Int32(symbol)
        underlying = family
        right = instrument.option?.right
        strike = instrument.option?.strike
    }
}
