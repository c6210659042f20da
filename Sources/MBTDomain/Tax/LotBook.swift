/// The open lots of one symbol, indexed for the lot methods and for wash-sale splits.
///
/// Lots live in a dictionary by id; `order` lists ids in acquisition order for FIFO and LIFO.
/// Closed lots leave their entry behind and are skipped, then dropped from either end as FIFO and
/// LIFO pass them, or all at once when they outnumber the open ones, so every operation is
/// amortised O(1) apart from the scan a method needs. New lots always come last (events arrive in
/// order); a wash-sale split inserts its part next to its parent, which is near the end because
/// replacements are at most 30 days old. Each operation looks a lot up once.
struct LotBook: Sendable, Equatable {
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
    /// HIFO's index, built the first time HIFO closes lots here and kept current after that, so
    /// each HIFO pick costs O(log n) rather than a scan of the book. A cache, not part of equality.
    private var costIndex: CostHeap?

    static func == (lhs: LotBook, rhs: LotBook) -> Bool {
        lhs.lots == rhs.lots && lhs.order == rhs.order && lhs.head == rhs.head && lhs.stale == rhs.stale
            && lhs.longQuantity == rhs.longQuantity && lhs.shortQuantity == rhs.shortQuantity && lhs.partsIssued == rhs.partsIssued
    }

    private struct Entry: Sendable, Equatable {
        var key: LotOrderKey
        var id: TaxLotID
    }

    var isEmpty: Bool { lots.isEmpty }

    func quantity(_ side: PositionSide) -> Decimal6 { side == .long ? longQuantity : shortQuantity }

    /// Adds a newly opened lot; it must be later than every lot already here.
    mutating func add(_ lot: TaxLot) {
        precondition(order.last.map { $0.key < lot.order } ?? true, "lots must be added in acquisition order")
        lots[lot.id] = lot
        order.append(Entry(key: lot.order, id: lot.id))
        adjustQuantity(lot.side, by: lot.quantity)
        costIndex?.push(lot)
    }

    /// Changes an open lot in place (year-end marks).
    mutating func update(_ id: TaxLotID, _ change: (inout TaxLot) -> Void) {
        guard var lot = lots[id] else { return }
        change(&lot)
        lots[id] = lot
        costIndex?.push(lot)
    }

    /// Removes `quantity` from a lot and returns it as a lot of its own with its exact share of
    /// the amounts; the lot closes when nothing is left.
    mutating func take(_ id: TaxLotID, quantity: Decimal6) -> TaxLot {
        let index = lots.index(forKey: id)!
        let whole = lots.values[index]
        adjustQuantity(whole.side, by: .zero - quantity)
        guard quantity < whole.quantity else {
            lots.remove(at: index)
            stale += 1
            compact()
            return whole
        }
        let piece = lots.values[index].cut(quantity, as: id, order: whole.order)
        costIndex?.push(lots.values[index])
        return piece
    }

    /// Makes `part` units of a lot (all of it when `nil`) a wash-sale replacement: the disallowed
    /// loss is added and the holding period moved. A part is split off as a new lot, whose id is
    /// returned; the parent keeps the rest, still available as a replacement.
    mutating func absorb(_ id: TaxLotID, part: Decimal6?, adjustment: Decimal6, adjustedDay: Int32) -> TaxLotID {
        let index = lots.index(forKey: id)!
        guard let part else {
            lots.values[index].washSaleAdjustment = lots.values[index].washSaleAdjustment + adjustment
            lots.values[index].adjustedDay = adjustedDay
            lots.values[index].isWashReplacement = true
            costIndex?.push(lots.values[index])
            return id
        }
        let number = (partsIssued[id.origin] ?? 0) + 1
        partsIssued[id.origin] = number
        let newID = TaxLotID(origin: id.origin, part: number)
        let key = LotOrderKey(event: lots.values[index].order.event, part: number)
        var piece = lots.values[index].cut(part, as: newID, order: key)
        piece.washSaleAdjustment = piece.washSaleAdjustment + adjustment
        piece.adjustedDay = adjustedDay
        piece.isWashReplacement = true
        costIndex?.push(lots.values[index])
        costIndex?.push(piece)
        lots[newID] = piece  // may rehash: `index` is not used after this
        order.insert(Entry(key: key, id: newID), at: insertionIndex(for: key))
        return newID
    }

    /// A stock split: the open lots on `side` are rescaled so that together they hold `total`,
    /// each the difference of rounded running totals (``ProRata``) so the parts add up exactly.
    /// Totals (basis, adjustments) and dates stay; only the per-unit amounts change, uniformly,
    /// so the cost order of the lots stays too (the HIFO index is rebuilt on next use).
    mutating func rescale(_ side: PositionSide, to total: Decimal6) {
        let whole = quantity(side)
        var done = Decimal6.zero
        for entry in order[head...] {
            guard let lot = lots[entry.id], lot.side == side else { continue }
            lots[entry.id]?.quantity = ProRata.slice(of: total, from: done, count: lot.quantity, whole: whole)
            done = done + lot.quantity
        }
        adjustQuantity(side, by: total - whole)
        costIndex = nil
    }

    /// HIFO: picks lots on `side` highest adjusted basis per unit first, removing them from the
    /// index (the caller closes them at once; a partly closed lot is pushed back by ``take(_:quantity:)``).
    mutating func takeHighestCost(_ quantity: Decimal6, side: PositionSide) -> [LotSelector.Pick] {
        if costIndex == nil { costIndex = CostHeap(lots.values) }
        var picks: [LotSelector.Pick] = []
        var picked = Set<TaxLotID>()
        var remaining = quantity
        while remaining.isPositive, let top = costIndex!.top {
            costIndex!.popTop()
            // A lot marked back to an earlier basis can have two current entries: take it once.
            guard let lot = lots[top.id], top.matches(lot), lot.side == side, picked.insert(lot.id).inserted else { continue }
            let amount = min(remaining, lot.quantity)
            picks.append(LotSelector.Pick(id: lot.id, quantity: amount))
            remaining = remaining - amount
        }
        return picks
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

    /// First index after every entry ordered at or before `key`, searched from the end, where
    /// split parts (of lots at most 30 days old) go.
    private func insertionIndex(for key: LotOrderKey) -> Int {
        var index = order.count
        while index > head, key < order[index - 1].key { index -= 1 }
        return index
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
