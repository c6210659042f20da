/// Lots by adjusted basis per unit, highest first: HIFO's index.
///
/// Entries are snapshots; a lot that changes (partly sold, absorbs a wash-sale loss, is marked
/// at year end) gets a fresh entry, and an entry that no longer matches its lot is dropped when it
/// reaches the top. Units are compared exactly, by cross-multiplying, and equal costs go in
/// acquisition order.
struct CostHeap: Sendable {
    struct Entry: Sendable {
        var cost: Decimal6
        var quantity: Decimal6
        var order: LotOrderKey
        var id: TaxLotID

        init(_ lot: TaxLot) {
            cost = lot.adjustedBasis
            quantity = lot.quantity
            order = lot.order
            id = lot.id
        }

        func matches(_ lot: TaxLot) -> Bool { lot.adjustedBasis == cost && lot.quantity == quantity }

        func ranksAbove(_ other: Entry) -> Bool {
            let left = Int128(cost.micros) * Int128(other.quantity.micros)
            let right = Int128(other.cost.micros) * Int128(quantity.micros)
            return left != right ? left > right : order < other.order
        }
    }

    private var entries: [Entry]

    init(_ lots: some Sequence<TaxLot>) {
        entries = lots.map(Entry.init)
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    var top: Entry? { entries.first }

    mutating func push(_ lot: TaxLot) {
        entries.append(Entry(lot))
        siftUp(entries.count - 1)
    }

    mutating func popTop() {
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        if !entries.isEmpty { siftDown(0) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].ranksAbove(entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var best = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < entries.count && entries[child].ranksAbove(entries[best]) {
                best = child
            }
            if best == parent { return }
            entries.swapAt(parent, best)
            parent = best
        }
    }
}
