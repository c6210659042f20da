import MBTDomain
import PropertyBased
import Testing

/// ``HeldStructures`` over random books of up to six option positions on two roots, five strikes far apart and close together,
/// and three expiries, checked against bounds worked out without the pairing and against an
/// exhaustive search over every way to pair the short contracts one by one.
@Suite("Held structures: properties")
struct HeldStructuresPropertyTests {
    static let strikes: [Decimal6] = [10, 50, 90, 100, 110]
    static let expiries = ["2026-12-18", "2027-01-15", "2027-03-19"].map { MarketDate(iso: $0)! }
    static let roots = ["AAPL", "MSFT"]

    /// One held option position, from generated numbers.
    struct Holding: CustomStringConvertible {
        let contract: OptionSymbol
        let short: Bool
        let quantity: Int

        var position: HeldPosition {
            HeldPosition(symbol: contract.description, side: short ? .short : .long, quantity: Decimal6(quantity), mark: 1)
        }

        var description: String { "\(short ? "short" : "long") \(quantity) \(contract)" }
    }

    static func book(count: Int, strikes: [Int], expiries: [Int], kinds: [Int], sides: [Int], quantities: [Int]) -> [Holding] {
        (0..<count).map { index in
            Holding(
                contract: try! OptionSymbol(
                    root: roots[kinds[index] >> 1], expiry: Self.expiries[expiries[index]], right: kinds[index] & 1 == 0 ? .put : .call,
                    strike: Self.strikes[strikes[index]]),
                short: sides[index] == 1, quantity: quantities[index])
        }
    }

    static let inputs = (
        count: Gen.int(in: 1...6), strikes: Gen.int(in: 0...4).array(of: 6), expiries: Gen.int(in: 0...2).array(of: 6),
        kinds: Gen.int(in: 0...3).array(of: 6), sides: Gen.int(in: 0...1).array(of: 6), quantities: Gen.int(in: 1...2).array(of: 6)
    )

    /// Whether `long` may cover `short`, written out for the tests.
    static func covers(_ long: Holding, _ short: Holding) -> Bool {
        !long.short && short.short && long.contract.root == short.contract.root && long.contract.right == short.contract.right
            && long.contract.expiry >= short.contract.expiry
    }

    static func dollars(_ perShare: Decimal6, _ contracts: Int) -> Decimal6 { try! perShare.multiplied(by: Int64(100 * contracts)) }

    static func width(short: OptionSymbol, long: OptionSymbol) -> Decimal6 {
        max(short.right == .put ? short.strike - long.strike : long.strike - short.strike, .zero)
    }

    // MARK: - Bounds

    /// Puts: never more than the collateral of every short put (what the account held back before
    /// spreads), never less than each short put's cheapest cover on its own: its width to the
    /// highest long put that may cover it, or its collateral when none may. Calls: never more than
    /// each short call's widest cover, and no short call left to shares while a long could cover it.
    @Test func requirementsStayWithinTheirBounds() async {
        let i = Self.inputs
        await propertyCheck(input: i.count, i.strikes, i.expiries, i.kinds, i.sides, i.quantities) {
            count, strikes, expiries, kinds, sides, quantities in
            let book = Self.book(count: count, strikes: strikes, expiries: expiries, kinds: kinds, sides: sides, quantities: quantities)
            let structures = try HeldStructures(positions: book.map(\.position))
            let shorts = book.filter(\.short)
            var collateral = Decimal6.zero
            var cheapest = Decimal6.zero
            var widest = Decimal6.zero
            for short in shorts {
                let covers = book.filter { Self.covers($0, short) }
                if short.contract.right == .put {
                    collateral = collateral + Self.dollars(short.contract.strike, short.quantity)
                    let best = covers.map { Self.width(short: short.contract, long: $0.contract) }.min() ?? short.contract.strike
                    cheapest = cheapest + Self.dollars(best, short.quantity)
                } else {
                    let worst = covers.map { Self.width(short: short.contract, long: $0.contract) }.max() ?? .zero
                    widest = widest + Self.dollars(worst, short.quantity)
                }
            }
            #expect(structures.putRequirement <= collateral, "\(book)")
            #expect(structures.putRequirement >= cheapest, "\(book)")
            #expect(structures.callRequirement <= widest, "\(book)")
            #expect(!structures.callRequirement.isNegative, "\(book)")
            for root in Self.roots {
                let calls = shorts.filter { $0.contract.root == root && $0.contract.right == .call }.reduce(0) { $0 + $1.quantity }
                let longCalls = book.filter { !$0.short && $0.contract.root == root && $0.contract.right == .call }
                    .reduce(0) { $0 + $1.quantity }
                #expect(structures.uncoveredCalls(on: root) <= Decimal6(calls), "\(book)")
                if longCalls == 0 { #expect(structures.uncoveredCalls(on: root) == Decimal6(calls), "\(book)") }
            }
        }
    }

    /// Every pair may cover, no short is paired or left beyond what is held, no long gives more
    /// than it holds, and the totals are the sums of the parts.
    @Test func pairsAccountForEveryContract() async {
        let i = Self.inputs
        await propertyCheck(input: i.count, i.strikes, i.expiries, i.kinds, i.sides, i.quantities) {
            count, strikes, expiries, kinds, sides, quantities in
            let book = Self.book(count: count, strikes: strikes, expiries: expiries, kinds: kinds, sides: sides, quantities: quantities)
            let structures = try HeldStructures(positions: book.map(\.position))
            func held(_ contract: OptionSymbol, short: Bool) -> Decimal6 {
                Decimal6(book.filter { $0.contract == contract && $0.short == short }.reduce(0) { $0 + $1.quantity })
            }
            for pair in structures.pairs {
                #expect(pair.contracts.isPositive)
                #expect(
                    pair.short.root == pair.long.root && pair.short.right == pair.long.right && pair.long.expiry >= pair.short.expiry,
                    "\(pair) in \(book)")
                #expect(pair.requirement == Self.dollars(Self.width(short: pair.short, long: pair.long), Int(pair.contracts.wholePart)))
            }
            for short in Set(book.filter(\.short).map(\.contract)) {
                let paired = structures.pairs.filter { $0.short == short }.reduce(Decimal6.zero) { $0 + $1.contracts }
                let left = structures.unpaired.filter { $0.short == short }.reduce(Decimal6.zero) { $0 + $1.contracts }
                #expect(paired + left == held(short, short: true), "\(short) in \(book)")
            }
            for long in Set(book.filter { !$0.short }.map(\.contract)) {
                let given = structures.pairs.filter { $0.long == long }.reduce(Decimal6.zero) { $0 + $1.contracts }
                #expect(given <= held(long, short: false), "\(long) in \(book)")
            }
            for unpaired in structures.unpaired {
                let expected = unpaired.short.right == .put ? Self.dollars(unpaired.short.strike, Int(unpaired.contracts.wholePart)) : .zero
                #expect(unpaired.requirement == expected, "\(unpaired) in \(book)")
            }
            let reversed = try HeldStructures(positions: book.reversed().map(\.position))
            #expect(reversed == structures, "the order of the positions changed the pairing: \(book)")
        }
    }

    // MARK: - The least requirement

    /// What the best pairing of one contract at a time costs: puts the least cash; calls the fewest
    /// contracts left to shares, then the least cash.
    struct Cost: Comparable {
        var uncoveredCalls = 0
        var cash = Decimal6.zero

        static func < (lhs: Cost, rhs: Cost) -> Bool { (lhs.uncoveredCalls, lhs.cash) < (rhs.uncoveredCalls, rhs.cash) }
    }

    static func bestCost(shortUnits: ArraySlice<Holding>, longs: [Holding], left: [Int]) -> Cost {
        guard let short = shortUnits.first else { return Cost() }
        let rest = shortUnits.dropFirst()
        var alone = bestCost(shortUnits: rest, longs: longs, left: left)
        if short.contract.right == .put { alone.cash = alone.cash + dollars(short.contract.strike, 1) } else { alone.uncoveredCalls += 1 }
        var best = alone
        for (index, long) in longs.enumerated() where left[index] > 0 && covers(long, short) {
            var fewer = left
            fewer[index] -= 1
            var paired = bestCost(shortUnits: rest, longs: longs, left: fewer)
            paired.cash = paired.cash + dollars(width(short: short.contract, long: long.contract), 1)
            best = min(best, paired)
        }
        return best
    }

    /// Books where the pairing has choices to get wrong: four to six positions on one root, so
    /// that shorts compete for longs across expiries. The cases where pairing every short it can
    /// costs more than leaving one (a short moved onto a far lower long) are rare, hence 10,000.
    static let crowded = (
        count: Gen.int(in: 4...6), kinds: Gen.int(in: 0...1).array(of: 6)
    )

    @Test func theRequirementIsTheLeastOfAnyPairing() async {
        let i = Self.inputs
        let c = Self.crowded
        await propertyCheck(count: 10_000, input: c.count, i.strikes, i.expiries, c.kinds, i.sides, i.quantities) {
            count, strikes, expiries, kinds, sides, quantities in
            let book = Self.book(count: count, strikes: strikes, expiries: expiries, kinds: kinds, sides: sides, quantities: quantities)
            let structures = try HeldStructures(positions: book.map(\.position))
            let longs = book.filter { !$0.short }
            for right in OptionSymbol.Right.allCases {
                let units = book.filter { $0.short && $0.contract.right == right }.flatMap { Array(repeating: $0, count: $0.quantity) }
                let best = Self.bestCost(shortUnits: units[...], longs: longs, left: longs.map(\.quantity))
                if right == .put {
                    #expect(structures.putRequirement == best.cash, "\(book)")
                } else {
                    #expect(structures.callRequirement == best.cash, "\(book)")
                    let uncovered = Self.roots.reduce(Decimal6.zero) { $0 + structures.uncoveredCalls(on: $1) }
                    #expect(uncovered == Decimal6(best.uncoveredCalls), "\(book)")
                }
            }
        }
    }
}
