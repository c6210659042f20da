/// The tax engine's state for one account: open lots, closed lots, wash sales, review notes.
///
/// Events are applied one at a time in stream order, by the order engine's post-fill hook as
/// fills happen or by ``TaxEngine/run(_:yearEndMarks:)`` in a full rebuild; both go through
/// ``apply(_:)``, so applying events one by one always gives the state a rebuild gives. An event
/// touches only the lot book of its symbol and the wash-sale index of its family (see
/// ``WashFamily``), never a scan of all lots. Symbols are interned to small integers on first
/// sight, so after that one lookup an event works with array positions, not string keys. An event
/// that is refused changes nothing.
public struct TaxState: Sendable, Equatable {
    public let policy: TaxPolicy
    /// The lot method for closing events that name none.
    public let defaultMethod: TaxLotMethod
    /// Symbol → its index in `instruments`, `books` and `familyOfSymbol`.
    var symbolIndex: [String: Int32] = [:]
    var instruments: [TaxInstrument] = []
    /// Open lots per symbol index.
    var books: [LotBook] = []
    /// The wash-sale family (``TaxPolicy/IdentityMode``) of each symbol index.
    var familyOfSymbol: [Int32] = []
    /// Family key (a symbol, or an underlying) → its index in `families`.
    var familyIndex: [String: Int32] = [:]
    var families: [WashFamily] = []
    /// Closed lots in the order they were closed. A later purchase can still change a loss sale's
    /// disallowed amount (the 30 days after it), and when ``TaxPolicy/closedBeforeLossCanReplace``
    /// is on an earlier disposition can be split and its basis raised.
    public internal(set) var dispositions = ChunkedStore<Disposition>()
    public internal(set) var washSales = ChunkedStore<WashSaleMatch>()
    public internal(set) var reviews: [TaxReview] = []
    /// The last event (or year-end mark) applied.
    var last: EventKey?

    public init(policy: TaxPolicy = .default, defaultMethod: TaxLotMethod = .fifo) {
        self.policy = policy
        self.defaultMethod = defaultMethod
    }

    /// Every open lot, by symbol, then in acquisition order.
    public var openLots: [TaxLot] {
        symbolIndex.sorted { $0.key < $1.key }.flatMap { books[Int($0.value)].lotsInOrder }
    }

    /// The open lots of one symbol in acquisition order.
    public func openLots(symbol: String) -> [TaxLot] {
        symbolIndex[symbol].map { books[Int($0)].lotsInOrder } ?? []
    }

    /// How many lots are open.
    public var openLotCount: Int {
        books.reduce(0) { $0 + $1.lots.count }
    }

    /// Applies one event after every event applied so far.
    public mutating func apply(_ event: TaxEvent) throws(TaxEngineError) {
        if let last, event.key <= last { throw .outOfOrder(event: event.id) }
        try Self.validateAmounts(event)
        let interned = (symbols: instruments.count, families: families.count)
        do {
            let symbol = try intern(event.symbol, event: event.id)
            switch event.action {
            case .buy: try open(event, symbol, side: .long)
            case .sellShort: try open(event, symbol, side: .short)
            case .sell: try close(event, symbol, side: .long)
            case .buyToCover: try close(event, symbol, side: .short)
            case .expire: try expire(event, symbol)
            case .exercise: try settle(event, symbol, side: .long)
            case .assign: try settle(event, symbol, side: .short)
            case .split: try split(event, symbol)
            }
        } catch {
            forgetSymbols(after: interned)
            throw error
        }
        last = event.key
    }

    // MARK: - Symbols

    /// The index of `symbol`, classifying it the first time it is seen.
    mutating func intern(_ symbol: String, event: Int64) throws(TaxEngineError) -> Int {
        if let known = symbolIndex[symbol] { return Int(known) }
        guard let instrument = TaxInstrument(symbol: symbol) else { throw .invalidSymbol(event: event, symbol: symbol) }
        return intern(instrument)
    }

    mutating func intern(_ instrument: TaxInstrument) -> Int {
        if let known = symbolIndex[instrument.symbol] { return Int(known) }
        let index = Int32(instruments.count)
        symbolIndex[instrument.symbol] = index
        instruments.append(instrument)
        books.append(LotBook())
        let key = policy.identityMode == .sameSymbol ? instrument.symbol : instrument.underlying
        if let family = familyIndex[key] {
            familyOfSymbol.append(family)
        } else {
            familyIndex[key] = Int32(families.count)
            familyOfSymbol.append(Int32(families.count))
            families.append(WashFamily())
        }
        return Int(index)
    }

    /// Undoes the interning a refused event did, so that it changes nothing at all.
    private mutating func forgetSymbols(after interned: (symbols: Int, families: Int)) {
        while instruments.count > interned.symbols {
            symbolIndex[instruments.removeLast().symbol] = nil
            books.removeLast()
            familyOfSymbol.removeLast()
        }
        if families.count > interned.families {
            families.removeLast(families.count - interned.families)
            familyIndex = familyIndex.filter { $0.value < interned.families }
        }
    }

    // MARK: - Opening and closing

    private mutating func open(_ event: TaxEvent, _ symbol: Int, side: PositionSide) throws(TaxEngineError) {
        let opposite: PositionSide = side == .long ? .short : .long
        if books[symbol].quantity(opposite).isPositive {
            throw .oppositePositionOpen(event: event.id, symbol: event.symbol, open: opposite)
        }
        let gross = try Self.amount(event.price, event.quantity, instruments[symbol].multiplier, event: event.id)
        let fees = fees(of: event)
        openLot(event, symbol, side: side, quantity: event.quantity, amount: side == .long ? gross + fees : gross - fees)
    }

    private mutating func close(_ event: TaxEvent, _ symbol: Int, side: PositionSide) throws(TaxEngineError) {
        let gross = try Self.amount(event.price, event.quantity, instruments[symbol].multiplier, event: event.id)
        let method = try method(for: event)
        let picks = try pick(event, symbol, side: side, method: method)
        let fees = fees(of: event)
        closeLots(picks, event, symbol, side: side, amount: side == .long ? gross - fees : gross + fees)
    }

    /// Rescales the open lots of a split stock to the position's new quantity.
    private mutating func split(_ event: TaxEvent, _ symbol: Int) throws(TaxEngineError) {
        guard instruments[symbol].option == nil else { throw .notAStock(event: event.id, symbol: event.symbol) }
        let side: PositionSide = books[symbol].shortQuantity.isPositive ? .short : .long
        guard books[symbol].quantity(side).isPositive else { throw .noOpenLots(event: event.id, symbol: event.symbol) }
        books[symbol].rescale(side, to: event.quantity)
    }

    /// Worthless expiry closes at zero: a long lot's loss is its premium, a short lot's gain is
    /// the premium it brought in (Pub 550 Table 4-1).
    private mutating func expire(_ event: TaxEvent, _ symbol: Int) throws(TaxEngineError) {
        guard instruments[symbol].option != nil else { throw .notAnOption(event: event.id, symbol: event.symbol) }
        let side: PositionSide = books[symbol].shortQuantity.isPositive ? .short : .long
        let method = try method(for: event)
        let picks = try pick(event, symbol, side: side, method: method)
        let fees = fees(of: event)
        closeLots(picks, event, symbol, side: side, amount: side == .long ? .zero - fees : fees)
    }

    /// Opens a lot named after the event and lets it replace open wash-sale losses.
    mutating func openLot(_ event: TaxEvent, _ symbol: Int, side: PositionSide, quantity: Decimal6, amount: Decimal6) {
        let instrument = instruments[symbol]
        let lot = TaxLot(
            id: TaxLotID(origin: event.id), symbol: instrument.symbol, side: side, quantity: quantity, basis: amount,
            acquired: event.date, section1256: instrument.isSection1256, order: LotOrderKey(event: event.key, part: 0))
        books[symbol].add(lot)
        if !instrument.isSection1256 { washAfterAcquisition(of: lot, symbol) }
    }

    /// Closes the picked lots, spreading `amount` (net proceeds of a long sale, or the full cost
    /// of covering a short) over them by quantity, then checks the losses for wash sales.
    mutating func closeLots(_ picks: [LotSelector.Pick], _ event: TaxEvent, _ symbol: Int, side: PositionSide, amount: Decimal6) {
        let total = picks.reduce(Decimal6.zero) { $0 + $1.quantity }
        let first = dispositions.count
        var done = Decimal6.zero
        for pick in picks {
            let piece = books[symbol].take(pick.id, quantity: pick.quantity)
            let share = ProRata.slice(of: amount, from: done, count: pick.quantity, whole: total)
            done = done + pick.quantity
            dispositions.append(Self.disposition(of: piece, share: share, event: event))
        }
        releaseBookIfEmpty(symbol)
        washAfterSale(dispositions: first..<dispositions.count, symbol)
    }

    static func disposition(of piece: TaxLot, share: Decimal6, event: TaxEvent) -> Disposition {
        let isLong = piece.side == .long
        return Disposition(
            symbol: piece.symbol, lotId: piece.id, eventId: event.id, side: piece.side, quantity: piece.quantity,
            acquiredDay: piece.acquiredDay, adjustedDay: piece.adjustedDay, soldDay: event.key.day,
            proceeds: isLong ? share : piece.basis,
            basis: isLong ? piece.basis + piece.washSaleAdjustment : share + piece.washSaleAdjustment,
            washSaleAdjustment: piece.washSaleAdjustment, washSaleDisallowed: .zero, section1256: piece.section1256,
            isYearEndMark: false, closedAt: event.key, lotOrder: piece.order, wasWashReplacement: piece.isWashReplacement)
    }

    /// An empty book gives back its storage (option contracts expire and are never traded again).
    mutating func releaseBookIfEmpty(_ symbol: Int) {
        if books[symbol].isEmpty { books[symbol] = LotBook() }
    }

    // MARK: - Validation (before anything changes)

    /// The lots the event closes; the last check before anything changes (HIFO takes its picks
    /// out of the book's cost index).
    mutating func pick(_ event: TaxEvent, _ symbol: Int, side: PositionSide, method: TaxLotMethod) throws(TaxEngineError) -> [LotSelector
        .Pick]
    {
        let open = books[symbol].quantity(side)
        guard open >= event.quantity else {
            throw .insufficientPosition(event: event.id, symbol: event.symbol, side: side, requested: event.quantity, open: open)
        }
        guard let picks = LotSelector.pick(event.quantity, side: side, method: method, lotIds: event.lotIds, in: &books[symbol]) else {
            let available = LotSelector.available(side: side, origins: event.lotIds, in: books[symbol])
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
