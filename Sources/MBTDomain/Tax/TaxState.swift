/// The tax engine's state for one account: open lots, closed lots, wash sales, review notes.
///
/// Events are applied one at a time in stream order, by the order engine's post-fill hook as
/// fills happen or by ``TaxEngine/run(_:yearEndMarks:)`` in a full rebuild; both go through
/// ``apply(_:)``, so applying events one by one always gives the state a rebuild gives. An event
/// touches only the lot book of its symbol and the wash-sale index of its family (see
/// ``WashFamily``), never a scan of all lots. An event that is refused changes nothing.
public struct TaxState: Sendable, Equatable {
    public let policy: TaxPolicy
    /// The lot method for closing events that name none.
    public let defaultMethod: TaxLotMethod
    /// Open lots per symbol.
    var books: [String: LotBook] = [:]
    /// Wash-sale windows per family (a symbol, or an underlying; ``TaxPolicy/IdentityMode``).
    var families: [String: WashFamily] = [:]
    /// Closed lots in the order they were closed. A later purchase can still change a loss sale's
    /// disallowed amount (the 30 days after it), and when ``TaxPolicy/closedBeforeLossCanReplace``
    /// is on an earlier disposition can be split and its basis raised.
    public internal(set) var dispositions: [Disposition] = []
    public internal(set) var washSales: [WashSaleMatch] = []
    public internal(set) var reviews: [TaxReview] = []
    /// The last event (or year-end mark) applied.
    var last: EventKey?

    public init(policy: TaxPolicy = .default, defaultMethod: TaxLotMethod = .fifo) {
        self.policy = policy
        self.defaultMethod = defaultMethod
    }

    /// Every open lot, by symbol, then in acquisition order.
    public var openLots: [TaxLot] {
        books.keys.sorted().flatMap { books[$0]!.lotsInOrder }
    }

    /// The open lots of one symbol in acquisition order.
    public func openLots(symbol: String) -> [TaxLot] {
        books[symbol]?.lotsInOrder ?? []
    }

    /// How many lots are open.
    public var openLotCount: Int {
        books.values.reduce(0) { $0 + $1.lots.count }
    }

    /// Applies one event after every event applied so far.
    public mutating func apply(_ event: TaxEvent) throws(TaxEngineError) {
        if let last, event.key <= last { throw .outOfOrder(event: event.id) }
        try Self.validateAmounts(event)
        let instrument = try instrument(for: event)
        switch event.action {
        case .buy: try open(event, instrument, side: .long)
        case .sellShort: try open(event, instrument, side: .short)
        case .sell: try close(event, instrument, side: .long)
        case .buyToCover: try close(event, instrument, side: .short)
        case .expire: try expire(event, instrument)
        case .exercise: try settle(event, instrument, side: .long)
        case .assign: try settle(event, instrument, side: .short)
        }
        last = event.key
    }

    // MARK: - Opening and closing

    private mutating func open(_ event: TaxEvent, _ instrument: TaxInstrument, side: PositionSide) throws(TaxEngineError) {
        let opposite: PositionSide = side == .long ? .short : .long
        if let book = books[event.symbol], book.quantity(opposite).isPositive {
            throw .oppositePositionOpen(event: event.id, symbol: event.symbol, open: opposite)
        }
        let gross = try Self.amount(event.price, event.quantity, instrument.multiplier, event: event.id)
        let fees = fees(of: event)
        openLot(event, instrument, side: side, quantity: event.quantity, amount: side == .long ? gross + fees : gross - fees)
    }

    private mutating func close(_ event: TaxEvent, _ instrument: TaxInstrument, side: PositionSide) throws(TaxEngineError) {
        let gross = try Self.amount(event.price, event.quantity, instrument.multiplier, event: event.id)
        let picks = try pick(event, side: side, method: try method(for: event))
        let fees = fees(of: event)
        closeLots(picks, event, instrument, side: side, amount: side == .long ? gross - fees : gross + fees)
    }

    /// Worthless expiry closes at zero: a long lot's loss is its premium, a short lot's gain is
    /// the premium it brought in (Pub 550 Table 4-1).
    private mutating func expire(_ event: TaxEvent, _ instrument: TaxInstrument) throws(TaxEngineError) {
        guard instrument.option != nil else { throw .notAnOption(event: event.id, symbol: event.symbol) }
        let side: PositionSide = (books[event.symbol]?.shortQuantity.isPositive ?? false) ? .short : .long
        let picks = try pick(event, side: side, method: try method(for: event))
        let fees = fees(of: event)
        closeLots(picks, event, instrument, side: side, amount: side == .long ? .zero - fees : fees)
    }

    /// Opens a lot named after the event and lets it replace open wash-sale losses.
    mutating func openLot(_ event: TaxEvent, _ instrument: TaxInstrument, side: PositionSide, quantity: Decimal6, amount: Decimal6) {
        let lot = TaxLot(
            id: TaxLotID(origin: event.id), symbol: instrument.symbol, side: side, quantity: quantity, basis: amount,
            acquired: event.date, section1256: instrument.isSection1256, order: LotOrderKey(event: event.key, part: 0))
        books[instrument.symbol, default: LotBook(instrument: instrument)].add(lot)
        if !instrument.isSection1256 { washAfterAcquisition(of: lot, instrument) }
    }

    /// Closes the picked lots, spreading `amount` (net proceeds of a long sale, or the full cost
    /// of covering a short) over them by quantity, then checks the losses for wash sales.
    mutating func closeLots(
        _ picks: [LotSelector.Pick], _ event: TaxEvent, _ instrument: TaxInstrument, side: PositionSide, amount: Decimal6
    ) {
        let total = picks.reduce(Decimal6.zero) { $0 + $1.quantity }
        let first = dispositions.count
        var done = Decimal6.zero
        for pick in picks {
            let piece = books[instrument.symbol]!.take(pick.id, quantity: pick.quantity)
            let share = ProRata.slice(of: amount, from: done, count: pick.quantity, whole: total)
            done = done + pick.quantity
            dispositions.append(Self.disposition(of: piece, share: share, event: event))
        }
        removeBookIfDone(instrument)
        washAfterSale(dispositions: first..<dispositions.count, instrument)
    }

    static func disposition(of piece: TaxLot, share: Decimal6, event: TaxEvent) -> Disposition {
        let isLong = piece.side == .long
        return Disposition(
            symbol: piece.symbol, lotId: piece.id, eventId: event.id, side: piece.side, quantity: piece.quantity,
            acquired: piece.acquired, adjustedAcquired: piece.adjustedAcquired, sold: event.date,
            proceeds: isLong ? share : piece.basis,
            basis: isLong ? piece.basis + piece.washSaleAdjustment : share + piece.washSaleAdjustment,
            washSaleAdjustment: piece.washSaleAdjustment, washSaleDisallowed: .zero, section1256: piece.section1256,
            isYearEndMark: false, closedAt: event.key, lotOrder: piece.order, wasWashReplacement: piece.isWashReplacement)
    }

    /// Option books go when empty (contracts expire); stock books stay, to keep their classification.
    mutating func removeBookIfDone(_ instrument: TaxInstrument) {
        if instrument.option != nil, books[instrument.symbol]?.isEmpty == true { books[instrument.symbol] = nil }
    }

    // MARK: - Validation (before anything changes)

    func pick(_ event: TaxEvent, side: PositionSide, method: TaxLotMethod) throws(TaxEngineError) -> [LotSelector.Pick] {
        let book = books[event.symbol]
        let open = book?.quantity(side) ?? .zero
        guard let book, open >= event.quantity else {
            throw .insufficientPosition(event: event.id, symbol: event.symbol, side: side, requested: event.quantity, open: open)
        }
        guard let picks = LotSelector.pick(event.quantity, side: side, method: method, lotIds: event.lotIds, in: book) else {
            let available = LotSelector.available(side: side, origins: event.lotIds, in: book)
            throw .specificLotsInsufficient(
                event: event.id, symbol: event.symbol, lotIds: event.lotIds, requested: event.quantity, available: available)
        }
        return picks
    }

    func method(for event: TaxEvent) throws(TaxEngineError) -> TaxLotMethod {
        if !event.lotIds.isEmpty { return .specificId }
        let method = event.lotMethod ?? defaultMethod
        if method == .specificId { throw .missingLotIds(event: event.id) }
        return method
    }

    func instrument(for event: TaxEvent) throws(TaxEngineError) -> TaxInstrument {
        if let known = books[event.symbol]?.instrument { return known }
        guard let instrument = TaxInstrument(symbol: event.symbol) else {
            throw .invalidSymbol(event: event.id, symbol: event.symbol)
        }
        return instrument
    }

    func fees(of event: TaxEvent) -> Decimal6 { policy.includeFees ? event.fees : .zero }

    /// The largest quantity, so that contracts × 100 shares still fits a ``Decimal6``.
    static let maximumQuantity = Decimal6(micros: Decimal6.storageLimitMicros / OptionSymbol.contractMultiplier)

    static func validateAmounts(_ event: TaxEvent) throws(TaxEngineError) {
        guard event.quantity.isPositive, event.quantity <= maximumQuantity else {
            throw .invalidAmount(event: event.id, field: "quantity", value: event.quantity)
        }
        guard !event.price.isNegative else { throw .invalidAmount(event: event.id, field: "price", value: event.price) }
        guard !event.fees.isNegative else { throw .invalidAmount(event: event.id, field: "fees", value: event.fees) }
    }

    /// `price × quantity × multiplier`, rounded half-even to six decimals once per event; the
    /// parts are then spread over lots exactly (``ProRata``).
    static func amount(_ price: Decimal6, _ quantity: Decimal6, _ multiplier: Int64, event: Int64) throws(TaxEngineError) -> Decimal6 {
        do {
            return try price.multiplied(by: multiplier).multiplied(by: quantity)
        } catch {
            throw .overflow(event: event)
        }
    }
}
