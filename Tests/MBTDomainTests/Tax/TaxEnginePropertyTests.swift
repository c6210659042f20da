import MBTDomain
import PropertyBased
import Testing

/// Properties of whole event streams: generated trading in a few symbols (long and short stock,
/// and calls on one of them), with fractional quantities and prices so every split rounds.
@Suite("Tax engine properties")
struct TaxEnginePropertyTests {
    /// One generated decision; ``TaxScript`` turns a list of them into a valid stream.
    struct Step: Sendable, CustomStringConvertible {
        var choice: Int
        var quantity: Int64
        var price: Int64
        var gap: Int
        var fee: Int64
        var symbol: Int

        var description: String { "(\(choice),\(quantity),\(price),\(gap),\(fee),\(symbol))" }
    }

    static let step = zip(
        Gen.int(in: 0...99), Gen.int64(in: 1_000_000...50_000_000), Gen.int64(in: 1_000_000...200_000_000), Gen.int(in: 0...12),
        Gen.int64(in: 0...3_000_000), Gen.int(in: 0...2)
    ).map { Step(choice: $0.0, quantity: $0.1, price: $0.2, gap: $0.3, fee: $0.4, symbol: $0.5) }

    static let steps = step.array(of: 1...40)

    static let policies: [TaxPolicy] = [
        .default,
        TaxPolicy(identityMode: .underlyingFamily),
        TaxPolicy(identityMode: .underlyingFamily, optionSeriesIdentity: .sameUnderlyingAndRight),
        TaxPolicy(holdingTackMethod: .replacement),
        TaxPolicy(earlierAcquiredCanReplace: false),
        TaxPolicy(closedBeforeLossCanReplace: true),
        TaxPolicy(includeFees: false),
    ]

    static let policy = Gen.int(in: 0...(policies.count - 1)).map { policies[$0] }
    static let method = Gen.int(in: 0...2).map { [TaxLotMethod.fifo, .lifo, .hifo][$0] }

    /// Once every position is closed, gains plus allowed losses equal cash in minus cash out
    /// (fees included per policy): wash sales only move losses, and no split loses a micro-unit.
    @Test func closedOutGainsEqualEconomicProfit() async {
        await propertyCheck(input: Self.steps, Self.policy, Self.method) { steps, policy, method in
            let events = TaxScript.events(steps, symbols: TaxScript.symbols, closeAll: true)
            let state = try TaxEngine(policy: policy, defaultMethod: method).run(events)
            #expect(state.openLots.isEmpty)
            #expect(state.totalGain == TaxScript.cashFlow(events, includeFees: policy.includeFees), "\(policy)")
            #expect(state.totalDisallowed >= .zero)
        }
    }

    /// Applying events one at a time, as the post-fill hook does, equals a full rebuild, also when
    /// a copy of the state is taken midway (value semantics: the copy carries on independently).
    @Test func incrementalEqualsRebuild() async {
        await propertyCheck(input: Self.steps, Self.policy, Self.method) { steps, policy, method in
            let events = TaxScript.events(steps, symbols: TaxScript.symbols, closeAll: false)
            let engine = TaxEngine(policy: policy, defaultMethod: method)
            let rebuilt = try engine.run(events)
            var incremental = engine.emptyState()
            var snapshot = incremental
            for (index, event) in events.enumerated() {
                try incremental.apply(event)
                if index == events.count / 2 { snapshot = incremental }
            }
            #expect(incremental == rebuilt)
            for event in events.dropFirst(events.count / 2 + 1) { try snapshot.apply(event) }
            #expect(snapshot == rebuilt)
        }
    }

    /// Two independent symbols traded on the same days: how their rows interleave within a date
    /// cannot matter, and does not (compared without the ids, which are row numbers).
    @Test func interleavingIndependentSymbolsDoesNotMatter() async {
        let bits = Gen.bool.array(of: 0...80)
        await propertyCheck(input: Self.steps, Self.steps, bits, Self.policy) { first, second, bits, policy in
            let a = TaxScript.events(
                first.map {
                    var s = $0; s.symbol = 0; return s
                }, symbols: TaxScript.symbols, closeAll: false)
            let b = TaxScript.events(
                second.map {
                    var s = $0; s.symbol = 2; return s
                }, symbols: TaxScript.symbols, closeAll: false)
            let one = TaxScript.merge(a, b, preferFirst: bits)
            let other = TaxScript.merge(a, b, preferFirst: bits.map { !$0 })
            let engine = TaxEngine(policy: policy)
            let left = try engine.run(one)
            let right = try engine.run(other)
            for symbol in ["AAA", "BBB"] {
                #expect(TaxScript.projection(left, symbol) == TaxScript.projection(right, symbol))
            }
        }
    }

    /// A refused event leaves the state exactly as it was.
    @Test func refusedEventsChangeNothing() async {
        await propertyCheck(input: Self.steps, Self.policy) { steps, policy in
            let events = TaxScript.events(steps, symbols: TaxScript.symbols, closeAll: false)
            var state = try TaxEngine(policy: policy).run(events)
            let before = state
            let last = events.last!.date.adding(days: 1)
            let oversell = TaxEvent(id: 999, date: last, sequence: 1, action: .sell, symbol: "AAA", quantity: "1000000", price: 1)
            let bogus = TaxEvent(id: 1000, date: last, sequence: 2, action: .buy, symbol: "not a symbol", quantity: 1, price: 1)
            #expect(throws: TaxEngineError.self) { try state.apply(oversell) }
            #expect(throws: TaxEngineError.self) { try state.apply(bogus) }
            #expect(state == before)
        }
    }
}

/// Turns generated steps into a valid event stream: never closes more than is open, never opens
/// one side while the other is open.
enum TaxScript {
    static let symbols = ["AAA", "AAA260116C00050000", "BBB"]

    static func events(_ steps: [TaxEnginePropertyTests.Step], symbols: [String], closeAll: Bool) -> [TaxEvent] {
        var position: [String: Decimal6] = [:]
        var date = taxDay("2024-01-02")
        var events: [TaxEvent] = []
        func add(
            _ action: TaxEvent.Action, _ symbol: String, _ quantity: Decimal6, _ step: TaxEnginePropertyTests.Step, method: TaxLotMethod?
        ) {
            let id = Int64(events.count + 1)
            events.append(
                TaxEvent(
                    id: id, date: date, sequence: id, action: action, symbol: symbol, quantity: quantity,
                    price: Decimal6(micros: step.price), fees: Decimal6(micros: step.fee), lotMethod: method))
            let signed = action == .buy || action == .buyToCover ? quantity : .zero - quantity
            position[symbol] = (position[symbol] ?? .zero) + signed
        }
        for step in steps {
            date = date.adding(days: step.gap)
            let symbol = symbols[step.symbol]
            let held = position[symbol] ?? .zero
            let quantity = Decimal6(micros: step.quantity)
            let method = [TaxLotMethod.fifo, .lifo, .hifo, nil][step.choice % 4]
            switch step.choice {
            case 0..<40:
                add(held.isNegative ? .sellShort : .buy, symbol, quantity, step, method: nil)
            case 40..<75 where held.isPositive:
                add(.sell, symbol, min(quantity, held), step, method: method)
            case 40..<75 where held.isNegative:
                add(.buyToCover, symbol, min(quantity, held.magnitude), step, method: method)
            case 40..<75:
                add(step.choice < 55 ? .sellShort : .buy, symbol, quantity, step, method: nil)
            default:
                if held.isPositive {
                    add(.sell, symbol, held, step, method: method)
                } else if held.isNegative {
                    add(.buyToCover, symbol, held.magnitude, step, method: method)
                } else {
                    add(.buy, symbol, quantity, step, method: nil)
                }
            }
        }
        if closeAll {
            date = date.adding(days: 1)
            for symbol in symbols {
                let held = position[symbol] ?? .zero
                let step = TaxEnginePropertyTests.Step(choice: 0, quantity: 0, price: 10_000_000, gap: 0, fee: 500_000, symbol: 0)
                if held.isPositive { add(.sell, symbol, held, step, method: nil) }
                if held.isNegative { add(.buyToCover, symbol, held.magnitude, step, method: nil) }
            }
        }
        return events
    }

    /// Cash in minus cash out, computed independently of the engine: each fill's gross is
    /// price × 100 (options) × quantity rounded half-even once, as a broker would.
    static func cashFlow(_ events: [TaxEvent], includeFees: Bool) -> Decimal6 {
        events.reduce(Decimal6.zero) { total, event in
            let multiplier: Int64 = event.symbol.count > 6 ? 100 : 1
            let gross = try! Decimal6(micros: event.price.micros * multiplier).multiplied(by: event.quantity)
            let fees = includeFees ? event.fees : .zero
            switch event.action {
            case .sell, .sellShort: return total + gross - fees
            default: return total - gross - fees
            }
        }
    }

    /// Two streams merged day by day; within a day the next row comes from `a` or `b` as the bits say.
    static func merge(_ a: [TaxEvent], _ b: [TaxEvent], preferFirst: [Bool]) -> [TaxEvent] {
        var merged: [TaxEvent] = []
        var i = 0
        var j = 0
        var bit = 0
        while i < a.count || j < b.count {
            let takeA: Bool
            if i == a.count {
                takeA = false
            } else if j == b.count {
                takeA = true
            } else if a[i].date != b[j].date {
                takeA = a[i].date < b[j].date
            } else {
                takeA = bit < preferFirst.count ? preferFirst[bit] : true
                bit += 1
            }
            var event = takeA ? a[i] : b[j]
            if takeA { i += 1 } else { j += 1 }
            event.sequence = Int64(merged.count + 1)
            event.id = event.sequence
            merged.append(event)
        }
        return merged
    }

    struct Closed: Equatable {
        var side: PositionSide
        var quantity, proceeds, basis, disallowed, adjustment: Decimal6
        var acquired, adjustedAcquired, sold: MarketDate
    }

    struct Open: Equatable {
        var side: PositionSide
        var quantity, basis, adjustment: Decimal6
        var acquired, adjustedAcquired: MarketDate
    }

    /// One symbol's results without ids.
    static func projection(_ state: TaxState, _ symbol: String) -> ([Closed], [Open]) {
        let closed = state.closed(symbol).map {
            Closed(
                side: $0.side, quantity: $0.quantity, proceeds: $0.proceeds, basis: $0.basis, disallowed: $0.washSaleDisallowed,
                adjustment: $0.washSaleAdjustment, acquired: $0.acquired, adjustedAcquired: $0.adjustedAcquired, sold: $0.sold)
        }
        let open = state.openLots(symbol: symbol).map {
            Open(
                side: $0.side, quantity: $0.quantity, basis: $0.basis, adjustment: $0.washSaleAdjustment, acquired: $0.acquired,
                adjustedAcquired: $0.adjustedAcquired)
        }
        return (closed, open)
    }
}
