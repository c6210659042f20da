/// The open lots of one symbol, indexed for the lot methods and for wash-sale splits.
///
/// Lots live in a dictionary by id; `order` lists ids in acquisition order for FIFO and LIFO.
/// Closed lots leave their entry behind and are skipped, then dropped from either end as FIFO and
/// LIFO pass them, or all at once when they outnumber the open ones, so every operation is
/// amortised O(1) apart from the scan a method needs. New lots always come last (events arrive in
/// order); a wash-sale split inserts its part next to its parent, which is near the end because
/// replacements are at most 30 days old.
struct LotBook: Sendable, Equatable {
    let instrument: TaxInstrument
    private(set) var lots: [TaxLotID: TaxLot] = [:]
    private var order: [Entry] = []
    /// Entries before `head` are all closed.
    private var head = 0
    /// Closed entries at or after `head`.
    private var stale = 0
    private(set) var longQuantity: Decimal6 = .zero
    private(set) var shortQuantity: Decimal6 = .zero
    /// The highest part number given out per origin, for naming split parts.
    private var partsIssued: [Int64: Int32] = [:]

    private struct Entry: Sendable, Equatable {
        var key: LotOrderKey
        var id: TaxLotID
    }

    init(instrument: TaxInstrument) {
        self.instrument = instrument
    }

    var isEmpty: Bool { lots.isEmpty }

    func quantity(_ side: PositionSide) -> Decimal6 { side == .long ? longQuantity : shortQuantity }

    /// Adds a newly opened lot; it must be later than every lot already here.
    mutating func add(_ lot: TaxLot) {
        precondition(order.last.map { $0.key < lot.order } ?? true, "lots must be added in acquisition order")
        lots[lot.id] = lot
        order.append(Entry(key: lot.order, id: lot.id))
        adjustQuantity(lot.side, by: lot.quantity)
    }

    /// Changes an open lot in place (wash-sale adjustments, year-end marks).
    mutating func update(_ id: TaxLotID, _ change: (inout TaxLot) -> Void) {
        change(&lots[id]!)
    }

    /// Removes `quantity` from a lot and returns it as a lot of its own with its exact share of
    /// the amounts; the lot closes when nothing is left.
    mutating func take(_ id: TaxLotID, quantity: Decimal6) -> TaxLot {
        let lot = lots[id]!
        adjustQuantity(lot.side, by: -quantity)
        guard quantity < lot.quantity else {
            lots[id] = nil
            stale += 1
            compact()
            return lot
        }
        return lots[id]!.cut(quantity, as: id, order: lot.order)
    }

    /// Splits `quantity` off a lot as a new part and returns the part's id; the parent keeps the rest.
    mutating func split(_ id: TaxLotID, quantity: Decimal6) -> TaxLotID {
        let part = (partsIssued[id.origin] ?? 0) + 1
        partsIssued[id.origin] = part
        let newID = TaxLotID(origin: id.origin, part: part)
        let parentOrder = lots[id]!.order
        let key = LotOrderKey(event: parentOrder.event, part: part)
        let piece = lots[id]!.cut(quantity, as: newID, order: key)
        lots[newID] = piece
        order.insert(Entry(key: key, id: newID), at: insertionIndex(for: key))
        return newID
    }

    /// Visits open lots in acquisition order (or the reverse) until `body` returns `false`.
    func visitInOrder(reversed: Bool, _ body: (TaxLot) -> Bool) {
        if reversed {
            for index in stride(from: order.count - 1, through: head, by: -1) {
                guard let lot = lots[order[index].id] else { continue }
                if !body(lot) { return }
            }
        } else {
            for index in head..<order.count {
                guard let lot = lots[order[index].id] else { continue }
                if !body(lot) { return }
            }
        }
    }

    /// Open lots in acquisition order.
    var lotsInOrder: [TaxLot] {
        var result: [TaxLot] = []
        result.reserveCapacity(lots.count)
        visitInOrder(reversed: false) {
            result.append($0)
            return true
        }
        return result
    }

    private mutating func adjustQuantity(_ side: PositionSide, by delta: Decimal6) {
        if side == .long { longQuantity = longQuantity + delta } else { shortQuantity = shortQuantity + delta }
    }

    /// First index after every entry ordered at or before `key`.
    private func insertionIndex(for key: LotOrderKey) -> Int {
        var low = head
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if order[middle].key <= key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Drops closed entries from both ends, and rebuilds the list when closed entries dominate.
    private mutating func compact() {
        while head < order.count, lots[order[head].id] == nil {
            head += 1
            stale -= 1
        }
        while order.count > head, let last = order.last, lots[last.id] == nil {
            order.removeLast()
            stale -= 1
        }
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if stale > 64 && stale > lots.count {
            order = order[head...].filter { lots[$0.id] != nil }
            head = 0
            stale = 0
        } else if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
