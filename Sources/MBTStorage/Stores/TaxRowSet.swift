/// A user's tax rows (or a subset of them), keyed by their stable keys: what is stored, or what
/// the engine's state says should be. Two sets compare without the tables' surrogate ids.
public struct TaxRowSet: Sendable, Equatable {
    public var lots: [String: TaxLotRecord]
    public var dispositions: [Int64: TaxDispositionRecord]
    public var washSales: [Int64: WashSaleRecord]

    public init(
        lots: [String: TaxLotRecord] = [:], dispositions: [Int64: TaxDispositionRecord] = [:], washSales: [Int64: WashSaleRecord] = [:]
    ) {
        self.lots = lots
        self.dispositions = dispositions
        self.washSales = washSales
    }
}

/// What turns one row set into another: rows to write (inserted, or updated in place so the
/// foreign keys pointing at them stay) and keys to delete.
public struct TaxRowChanges: Sendable, Equatable {
    public var lots: [TaxLotRecord] = []
    public var dispositions: [TaxDispositionRecord] = []
    public var washSales: [WashSaleRecord] = []
    public var removedLots: [String] = []
    public var removedDispositions: [Int64] = []
    public var removedWashSales: [Int64] = []

    public init() {}

    /// The changes from `old` to `new`; both must cover the same keys (a whole user, or the same
    /// subset), since a key missing from `new` means "delete".
    public init(from old: TaxRowSet, to new: TaxRowSet) {
        lots = Self.changed(old.lots, new.lots).sorted { $0.lotKey < $1.lotKey }
        dispositions = Self.changed(old.dispositions, new.dispositions).sorted { $0.seq < $1.seq }
        washSales = Self.changed(old.washSales, new.washSales).sorted { $0.seq < $1.seq }
        removedLots = old.lots.keys.filter { new.lots[$0] == nil }.sorted()
        removedDispositions = old.dispositions.keys.filter { new.dispositions[$0] == nil }.sorted()
        removedWashSales = old.washSales.keys.filter { new.washSales[$0] == nil }.sorted()
    }

    public var isEmpty: Bool { rowsWritten == 0 && rowsDeleted == 0 }
    public var rowsWritten: Int { lots.count + dispositions.count + washSales.count }
    public var rowsDeleted: Int { removedLots.count + removedDispositions.count + removedWashSales.count }

    private static func changed<Key: Hashable, Row: Equatable>(_ old: [Key: Row], _ new: [Key: Row]) -> [Row] {
        new.compactMap { key, row in old[key] == row ? nil : row }
    }
}
