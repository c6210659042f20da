import MBTDomain

/// Builds event streams for tax-engine tests: rows in execution order, ids and sequences from 1.
struct TaxTrades {
    private(set) var events: [TaxEvent] = []

    /// Adds a row and returns its id (lots it opens are named after it).
    @discardableResult
    mutating func add(
        _ date: String, _ action: TaxEvent.Action, _ symbol: String, _ quantity: Decimal6, _ price: Decimal6,
        fees: Decimal6 = .zero, method: TaxLotMethod? = nil, lots: [Int64] = []
    ) -> Int64 {
        let id = Int64(events.count + 1)
        events.append(
            TaxEvent(
                id: id, date: taxDay(date), sequence: id, action: action, symbol: symbol, quantity: quantity, price: price, fees: fees,
                lotMethod: method, lotIds: lots))
        return id
    }

    func run(
        _ policy: TaxPolicy = .default, method: TaxLotMethod = .fifo, marks: [Int: [String: Decimal6]] = [:]
    ) throws -> TaxState {
        try TaxEngine(policy: policy, defaultMethod: method).run(events, yearEndMarks: marks)
    }
}

func taxDay(_ iso: String) -> MarketDate {
    guard let date = MarketDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
    return date
}

extension TaxState {
    /// Dispositions of one symbol in sale order.
    func closed(_ symbol: String) -> [Disposition] { dispositionsInSaleOrder.filter { $0.symbol == symbol } }

    /// Sum of gains after wash-sale disallowance.
    var totalGain: Decimal6 { dispositions.reduce(.zero) { $0 + $1.gain } }

    /// Sum of disallowed losses.
    var totalDisallowed: Decimal6 { dispositions.reduce(.zero) { $0 + $1.washSaleDisallowed } }
}
