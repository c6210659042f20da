import ArgumentParser
import Foundation
import MBTDomain

/// `mbt bench tax`: the tax engine's two performance targets, measured on generated fills.
///
/// A full rebuild of 1,000,000 fills across 500 symbols (target < 5 s), and applying one fill to
/// an account with 100,000 open lots (target < 1 ms), spread over 500 symbols and, as worst
/// cases, all in one symbol, with FIFO and with HIFO (which compares every lot of the symbol). The fills come from a fixed-seed generator, so every run measures
/// the same work: random-walk prices give both gains and losses, so wash sales, splits and chains
/// happen throughout.
struct TaxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tax",
        abstract: "Tax engine: full rebuild of 1,000,000 fills and single-fill apply with 100,000 open lots.")

    @Option(help: "Fills in the full rebuild.") var fills = 1_000_000
    @Option(help: "Symbols the fills are spread over.") var symbols = 500
    @Option(help: "Open lots for the single-fill measurement.") var openLots = 100_000
    @Option(help: "Single-fill applications timed (the median is printed).") var runs = 20_001

    func validate() throws {
        guard (1...20_000_000).contains(fills) else { throw ValidationError("--fills must be 1...20000000") }
        guard (1...100_000).contains(symbols) else { throw ValidationError("--symbols must be 1...100000") }
        guard (1...5_000_000).contains(openLots) else { throw ValidationError("--open-lots must be 1...5000000") }
        guard (1...1_000_000).contains(runs) else { throw ValidationError("--runs must be 1...1000000") }
    }

    func run() async throws {
        try benchRebuild()
        try benchApply(symbolCount: symbols, method: .fifo, runs: runs, label: "\(symbols) symbols, FIFO")
        try benchApply(symbolCount: 1, method: .fifo, runs: runs, label: "1 symbol, FIFO")
        // HIFO looks at every open lot of the symbol; fewer runs keep the worst case quick to measure.
        try benchApply(symbolCount: 1, method: .hifo, runs: max(1, runs / 10), label: "1 symbol, HIFO")
    }

    private func benchRebuild() throws {
        let events = TaxBenchFills.generate(count: fills, symbols: symbols)
        let started = ContinuousClock.now
        let state = try TaxEngine().run(events)
        let elapsed = ContinuousClock.now - started
        print(
            "full rebuild: \(fills) fills, \(symbols) symbols in \(seconds(elapsed)) "
                + "(\(state.dispositions.count) dispositions, \(state.washSales.count) wash sales, \(state.openLotCount) open lots)")
    }

    /// Builds `openLots` lots over `symbolCount` symbols, then times single sells and buys
    /// alternately (each a new fill after the last), so the account stays at about that size.
    private func benchApply(symbolCount: Int, method: TaxLotMethod, runs: Int, label: String) throws {
        var state = try TaxEngine(defaultMethod: method).run(TaxBenchFills.accumulate(lots: openLots, symbols: symbolCount))
        let day = MarketDate(year: 2030, month: 1, day: 2)!
        var timings: [Duration] = []
        timings.reserveCapacity(runs)
        var random = TaxBenchFills.Random(seed: 7)
        for run in 0..<runs {
            let symbol = TaxBenchFills.symbol(Int(random.next() % UInt64(symbolCount)))
            let price = Decimal6(micros: Int64(50 + random.next() % 100) * 1_000_000)
            let event = TaxEvent(
                id: Int64(10_000_000 + run), date: day, sequence: Int64(run), action: run % 2 == 0 ? .sell : .buy, symbol: symbol,
                quantity: 1, price: price)
            let started = ContinuousClock.now
            try state.apply(event)
            timings.append(ContinuousClock.now - started)
        }
        timings.sort()
        let median = timings[timings.count / 2]
        let p99 = timings[timings.count * 99 / 100]
        print(
            "apply one fill, \(state.openLotCount) open lots over \(label): median \(microseconds(median)), "
                + "p99 \(microseconds(p99)) over \(runs) fills")
    }

    private func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    private func microseconds(_ duration: Duration) -> String {
        String(format: "%.1f µs", (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1e6)
    }
}

/// Deterministic fills for the benchmark.
enum TaxBenchFills {
    typealias Random = SplitMix64

    static func symbol(_ index: Int) -> String {
        var text = ""
        var rest = index
        for _ in 0..<4 {
            text.append(Character(UnicodeScalar(UInt8(65 + rest % 26))))
            rest /= 26
        }
        return text
    }

    /// `count` buys and sells over `symbols` symbols, about a thousand a day from 2022-01-03:
    /// buys of 1–100 shares, and sells of 1–100 shares but never more than is held, at random-walk prices.
    static func generate(count: Int, symbols: Int) -> [TaxEvent] {
        var random = Random(seed: 42)
        var held = [Int64](repeating: 0, count: symbols)
        var cents = [Int64](repeating: 10_000, count: symbols)
        let start = MarketDate(year: 2022, month: 1, day: 3)!.daysSinceEpoch
        var events: [TaxEvent] = []
        events.reserveCapacity(count)
        for index in 0..<count {
            let slot = Int(random.next() % UInt64(symbols))
            cents[slot] = max(100, cents[slot] + Int64(random.next() % 201) - 100)
            let selling = held[slot] > 0 && random.next() % 10 < 4
            let quantity = Int64(1 + random.next() % UInt64(selling ? min(held[slot], 100) : 100))
            held[slot] += selling ? -quantity : quantity
            events.append(
                TaxEvent(
                    id: Int64(index + 1), date: MarketDate(daysSinceEpoch: start + index / 1_000), sequence: Int64(index),
                    action: selling ? .sell : .buy, symbol: symbol(slot), quantity: Decimal6(Int(quantity)),
                    price: Decimal6(micros: cents[slot] * 10_000), fees: Decimal6(micros: 10_000)))
        }
        return events
    }

    /// `lots` buys of 10 shares spread evenly over `symbols` symbols and 400 days.
    static func accumulate(lots: Int, symbols: Int) -> [TaxEvent] {
        var random = Random(seed: 9)
        let start = MarketDate(year: 2028, month: 6, day: 1)!.daysSinceEpoch
        return (0..<lots).map { index in
            TaxEvent(
                id: Int64(index + 1), date: MarketDate(daysSinceEpoch: start + index * 400 / lots), sequence: Int64(index),
                action: .buy, symbol: symbol(index % symbols), quantity: 10,
                price: Decimal6(micros: Int64(50 + random.next() % 100) * 1_000_000))
        }
    }
}
