import MBTDomain
import MBTStorage

/// The engine's state as the tax tables' rows: all of them, or just those a few fills can have
/// changed, so the hook compares and writes only those.
enum TaxRows {
    /// Which rows to build: lots (with their symbol, to find the open remainder), dispositions
    /// and wash sales (by their positions in the engine's lists).
    struct Keys: Sendable {
        var lots: [TaxLotID: String] = [:]
        var dispositions: Set<Int> = []
        var washSales: Set<Int> = []
    }

    /// Every row of `book`.
    static func all(of book: TaxBook) -> TaxRowSet {
        var keys = Keys()
        for lot in book.state.openLots { keys.lots[lot.id] = lot.symbol }
        for disposition in book.state.dispositions { keys.lots[disposition.lotId] = disposition.symbol }
        keys.dispositions = Set(book.state.dispositions.indices)
        keys.washSales = Set(book.state.washSales.indices)
        return rows(of: book, keys)
    }

    /// The rows of `keys` that exist in `book`.
    static func rows(of book: TaxBook, _ keys: Keys) -> TaxRowSet {
        let state = book.state
        var rows = TaxRowSet()
        var openBySymbol: [String: [TaxLotID: TaxLot]] = [:]
        for (id, symbol) in keys.lots {
            if openBySymbol[symbol] == nil {
                openBySymbol[symbol] = Dictionary(uniqueKeysWithValues: state.openLots(symbol: symbol).map { ($0.id, $0) })
            }
            let pieces = book.dispositionsByLot[id] ?? []
            let lastMethod = pieces.last.map { method(of: state.dispositions[$0], in: book) }
            let record = TaxLotRecord(
                id: id, open: openBySymbol[symbol]?[id], sold: pieces.map { state.dispositions[$0] }, lotMethod: lastMethod)
            if let record { rows.lots[record.lotKey] = record }
        }
        for index in keys.dispositions where index < state.dispositions.count {
            let disposition = state.dispositions[index]
            rows.dispositions[Int64(index)] = TaxDispositionRecord(
                seq: index, disposition: disposition, lotMethod: method(of: disposition, in: book))
        }
        for index in keys.washSales where index < state.washSales.count {
            let match = state.washSales[index]
            let acquired = book.acquired(match.replacementLot, symbol: match.replacementSymbol) ?? match.adjustedAcquired
            rows.washSales[Int64(index)] = WashSaleRecord(seq: index, match: match, replacementAcquired: acquired)
        }
        return rows
    }

    /// The keys whose rows can differ between `old` and `new`, where `new` is `old` after
    /// consuming fills in `symbols` (each with the rest of its underlying's symbols).
    ///
    /// What an event can change, by the engine's rules: open lots of its wash-sale family (opened,
    /// sold down, split or absorbing a loss), new dispositions and wash sales (both lists only
    /// grow), and the dispositions a new wash sale names (the loss it disallows and, under
    /// ``TaxPolicy/closedBeforeLossCanReplace``, an earlier sale it raises the basis of).
    static func changedKeys(from old: TaxBook, to new: TaxBook, symbols: Set<String>) -> Keys {
        var keys = Keys()
        let oldDispositions = old.state.dispositions.count
        keys.dispositions = Set(oldDispositions..<new.state.dispositions.count)
        keys.washSales = Set(old.state.washSales.count..<new.state.washSales.count)
        for index in keys.washSales {
            let match = new.state.washSales[index]
            keys.lots[match.replacementLot] = match.replacementSymbol
            if match.lossDisposition < oldDispositions { keys.dispositions.insert(match.lossDisposition) }
            if let earlier = match.replacementDisposition, earlier < oldDispositions { keys.dispositions.insert(earlier) }
        }
        for symbol in symbols {
            let before = Dictionary(uniqueKeysWithValues: old.state.openLots(symbol: symbol).map { ($0.id, $0) })
            let after = Dictionary(uniqueKeysWithValues: new.state.openLots(symbol: symbol).map { ($0.id, $0) })
            for (id, lot) in after where before[id] != lot { keys.lots[id] = symbol }
            for id in before.keys where after[id] == nil { keys.lots[id] = symbol }
        }
        for index in keys.dispositions {
            let disposition = new.state.dispositions[index]
            keys.lots[disposition.lotId] = disposition.symbol
        }
        return keys
    }

    /// The method the disposition's closing fill used (FIFO for a year-end mark, which has none).
    private static func method(of disposition: Disposition, in book: TaxBook) -> TaxLotMethod {
        book.methods[disposition.eventId] ?? .fifo
    }
}
