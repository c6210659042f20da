/// Picks the lots a closing event consumes: FIFO, LIFO, HIFO or specific identification.
///
/// FIFO is the IRS default when no lot is identified (Reg. 1.1012-1(c)(1)). Order is by actual
/// acquisition (trade date, then sequence), not by wash-adjusted holding periods; HIFO compares
/// wash-adjusted basis per unit (`tax-rules.md` §4), exactly, by cross-multiplying. For short lots
/// "highest" means the highest opening price per unit, which likewise realises the least gain.
/// Average cost is not offered: it is only for fund shares (Reg. 1.1012-1(e)).
enum LotSelector {
    struct Pick: Sendable, Equatable {
        var id: TaxLotID
        var quantity: Decimal6
    }

    /// The lots to close, or `nil` when the lots available to `method` hold less than `quantity`.
    static func pick(
        _ quantity: Decimal6, side: PositionSide, method: TaxLotMethod, lotIds: [Int64], in book: LotBook
    ) -> [Pick]? {
        guard book.quantity(side) >= quantity else { return nil }
        switch method {
        case .fifo: return inOrder(quantity, side: side, reversed: false, in: book)
        case .lifo: return inOrder(quantity, side: side, reversed: true, in: book)
        case .hifo: return highestFirst(quantity, side: side, in: book)
        case .specificId: return specific(quantity, side: side, origins: lotIds, in: book)
        }
    }

    /// What the named lots hold on `side`.
    static func available(side: PositionSide, origins: [Int64], in book: LotBook) -> Decimal6 {
        let wanted = Set(origins)
        return book.lots.values.reduce(Decimal6.zero) { total, lot in
            lot.side == side && wanted.contains(lot.id.origin) ? total + lot.quantity : total
        }
    }

    private static func inOrder(_ quantity: Decimal6, side: PositionSide, reversed: Bool, in book: LotBook) -> [Pick] {
        var picks: [Pick] = []
        var remaining = quantity
        book.visitInOrder(reversed: reversed) { lot in
            guard lot.side == side else { return true }
            let taken = min(remaining, lot.quantity)
            picks.append(Pick(id: lot.id, quantity: taken))
            remaining = remaining - taken
            return remaining.isPositive
        }
        return picks
    }

    /// Scans for the costliest remaining lot, one pass per pick, without copying the book; a sale
    /// that needs many lots sorts the rest once instead.
    private static func highestFirst(_ quantity: Decimal6, side: PositionSide, in book: LotBook) -> [Pick] {
        var picks: [Pick] = []
        var taken = Set<TaxLotID>()
        var remaining = quantity
        while remaining.isPositive && picks.count < 8 {
            var best: TaxLot?
            for lot in book.lots.values where lot.side == side && !taken.contains(lot.id) {
                if let current = best, !costsMore(lot, current) { continue }
                best = lot
            }
            guard let lot = best else { return picks }
            let amount = min(remaining, lot.quantity)
            picks.append(Pick(id: lot.id, quantity: amount))
            taken.insert(lot.id)
            remaining = remaining - amount
        }
        guard remaining.isPositive else { return picks }
        let rest = book.lots.values.filter { $0.side == side && !taken.contains($0.id) }.sorted(by: costsMore)
        for lot in rest where remaining.isPositive {
            let amount = min(remaining, lot.quantity)
            picks.append(Pick(id: lot.id, quantity: amount))
            remaining = remaining - amount
        }
        return picks
    }

    /// Higher adjusted basis per unit first; equal ones in acquisition order.
    static func costsMore(_ a: TaxLot, _ b: TaxLot) -> Bool {
        let left = Int128(a.adjustedBasis.micros) * Int128(b.quantity.micros)
        let right = Int128(b.adjustedBasis.micros) * Int128(a.quantity.micros)
        return left != right ? left > right : a.order < b.order
    }

    private static func specific(_ quantity: Decimal6, side: PositionSide, origins: [Int64], in book: LotBook) -> [Pick]? {
        var seen = Set<Int64>()
        let ordered = origins.filter { seen.insert($0).inserted }
        var byOrigin: [Int64: [TaxLot]] = [:]
        for lot in book.lots.values where lot.side == side && seen.contains(lot.id.origin) {
            byOrigin[lot.id.origin, default: []].append(lot)
        }
        var picks: [Pick] = []
        var remaining = quantity
        for origin in ordered {
            for lot in (byOrigin[origin] ?? []).sorted(by: { $0.order < $1.order }) where remaining.isPositive {
                let taken = min(remaining, lot.quantity)
                picks.append(Pick(id: lot.id, quantity: taken))
                remaining = remaining - taken
            }
        }
        return remaining.isPositive ? nil : picks
    }
}
