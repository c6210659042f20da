/// Picks the lots a closing event consumes: FIFO, LIFO, HIFO or specific identification.
///
/// FIFO is the IRS default when no lot is identified (Reg. 1.1012-1(c)(1)). Order is by actual
/// acquisition (trade date, then sequence), not by wash-adjusted holding periods; HIFO compares
/// wash-adjusted basis per unit (`tax-rules.md` §4), exactly, by cross-multiplying, through the
/// book's ``CostHeap``. For short lots "highest" means the highest net opening price per unit,
/// which likewise realises the least gain.
/// Average cost is not offered: it is only for fund shares (Reg. 1.1012-1(e)).
enum LotSelector {
    struct Pick: Sendable, Equatable {
        var id: TaxLotID
        var quantity: Decimal6
    }

    /// The lots to close, or `nil` when the lots available to `method` hold less than `quantity`.
    ///
    /// HIFO takes its picks out of the book's cost index, so the caller must close them (every
    /// check that can refuse the event comes before this call).
    static func pick(
        _ quantity: Decimal6, side: PositionSide, method: TaxLotMethod, lotIds: [Int64], in book: inout LotBook
    ) -> [Pick]? {
        guard book.quantity(side) >= quantity else { return nil }
        switch method {
        case .fifo: return inOrder(quantity, side: side, reversed: false, in: book)
        case .lifo: return inOrder(quantity, side: side, reversed: true, in: book)
        case .hifo: return book.takeHighestCost(quantity, side: side)
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
