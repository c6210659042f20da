import Foundation
import MBTDomain
import Testing

/// The v1 buying-power rule over whole histories (docs/buying-power.md): no sequence of orders,
/// fills, cancels and replaces lets an accepted opening order leave free cash below zero at the
/// prices it was judged at.
///
/// Each sequence plays about 30 random steps against a small in-memory account (cash, positions
/// moved by ``PositionMath``, open limit orders) in AAPL, MSFT and an AAPL call and put, asking
/// ``BuyingPower/check(instrument:side:quantity:estimatedPrice:account:)`` wherever the brokerage
/// does: at submission, at a replace (the old order's reservation released) and at a resting
/// order's fill (its own reservation released, judged at the fill price). Sequences are seeded, so
/// a failure names the seed and the steps that led to it.
@Suite("Buying power: sequence properties")
struct BuyingPowerPropertyTests {
    typealias F = OrderFixtures

    static let sequences: ClosedRange<UInt64> = 1...300
    static let steps = 30

    @Test func noSequenceLetsAnOpeningOrderSpendBeyondFreeCash() throws {
        var totals = Tally()
        var failed = 0
        for seed in Self.sequences {
            var run = Run(seed: seed)
            try run.play(steps: Self.steps)
            totals.add(run.tally)
            if let failure = run.failure {
                Issue.record("\(failure)")
                failed += 1
                if failed == 3 { break }
            }
        }
        guard failed == 0 else { return }
        // The sequences reach every case the rule distinguishes, so the property is not met vacuously.
        #expect((totals.acceptedOpening[.stock] ?? 0) > 100, "\(totals)")
        #expect((totals.acceptedOpening[.shortSale] ?? 0) > 20, "\(totals)")
        #expect((totals.acceptedOpening[.coveredCall] ?? 0) > 5, "\(totals)")
        #expect((totals.acceptedOpening[.cashSecuredPut] ?? 0) > 5, "\(totals)")
        #expect(totals.acceptedClosing > 20, "\(totals)")
        #expect(totals.refused > 20, "\(totals)")
        #expect(totals.uncoveredCallsRefused > 5, "\(totals)")
        #expect(totals.openingFills > 50, "\(totals)")
        #expect(totals.refusedFills > 5, "\(totals)")
        #expect(totals.replacesAccepted > 10, "\(totals)")
        #expect(totals.negativeAfterPriceMove > 5, "\(totals)")
    }
}

// MARK: - The sequence

extension BuyingPowerPropertyTests {
    static let aapl = OrderInstrument.equity(F.stock)
    static let msft = OrderInstrument.equity("MSFT")
    static let call = OrderInstrument.option(F.call)
    static let put = OrderInstrument.option(F.put)
    /// In a fixed order: never iterate a dictionary where the random stream is consumed.
    static let instruments = [aapl, msft, call, put]
    static let now = F.ny("2026-11-24", 10, 0)

    /// What kind of opening an accepted order was, for the coverage counts.
    enum Opening: Hashable, CustomStringConvertible {
        case stock, shortSale, longOption, coveredCall, cashSecuredPut
        var description: String {
            switch self {
            case .stock: "long stock"
            case .shortSale: "short sale"
            case .longOption: "long option"
            case .coveredCall: "covered call"
            case .cashSecuredPut: "cash-secured put"
            }
        }
    }

    struct Tally: CustomStringConvertible {
        var acceptedOpening: [Opening: Int] = [:]
        var acceptedClosing = 0
        var refused = 0
        var uncoveredCallsRefused = 0
        var openingFills = 0
        var closingFills = 0
        var refusedFills = 0
        var replacesAccepted = 0
        var negativeAfterPriceMove = 0

        mutating func add(_ other: Tally) {
            acceptedOpening.merge(other.acceptedOpening, uniquingKeysWith: +)
            acceptedClosing += other.acceptedClosing
            refused += other.refused
            uncoveredCallsRefused += other.uncoveredCallsRefused
            openingFills += other.openingFills
            closingFills += other.closingFills
            refusedFills += other.refusedFills
            replacesAccepted += other.replacesAccepted
            negativeAfterPriceMove += other.negativeAfterPriceMove
        }

        var description: String {
            let opening = acceptedOpening.sorted { $0.key.description < $1.key.description }.map { "\($0.key) \($0.value)" }
            return "accepted opening [\(opening.joined(separator: ", "))], accepted closing \(acceptedClosing), refused \(refused) "
                + "(uncovered calls \(uncoveredCallsRefused)), fills opening \(openingFills) / closing \(closingFills), "
                + "refused at fill \(refusedFills), replaces \(replacesAccepted), negative after a price move \(negativeAfterPriceMove)"
        }
    }

    struct OpenOrder: CustomStringConvertible {
        let id: Int
        let instrument: OrderInstrument
        let side: OrderSide
        let quantity: Decimal6
        let limit: Decimal6

        var symbol: String { instrument.symbol }

        func exposure() throws -> OpenOrderExposure {
            try OpenOrderExposure(symbol: symbol, side: side, quantity: quantity, price: limit)
        }

        var description: String { "#\(id) \(side.rawValue) \(quantity.wholePart) \(symbol) @ \(limit)" }
    }

    /// The account as the test keeps it, independently of the rule's own types.
    struct Book {
        var cash: Decimal6
        var positions: [String: Position] = [:]
        var orders: [OpenOrder] = []
        /// The market price of every instrument; positions are marked at it.
        var prices: [String: Decimal6]

        func account() throws -> BuyingPowerAccount {
            BuyingPowerAccount(
                cash: cash,
                positions: positions.values.map {
                    HeldPosition(symbol: $0.symbol, side: $0.side, quantity: $0.quantity, mark: prices[$0.symbol]!)
                },
                openOrders: try orders.map { try $0.exposure() })
        }

        func freeCash() throws -> Decimal6 { try account().breakdown().freeCash }

        func held(_ symbol: String, _ side: PositionSide) -> Decimal6 {
            guard let position = positions[symbol], position.side == side else { return .zero }
            return position.quantity
        }

        func openQuantity(_ symbol: String, _ side: OrderSide) -> Decimal6 {
            orders.filter { $0.symbol == symbol && $0.side == side }.reduce(.zero) { $0 + $1.quantity }
        }

        /// The part of an order that opens or extends a position: the quantity beyond the opposite
        /// position, less what the open orders on the same side already close.
        func openingPart(_ instrument: OrderInstrument, _ side: OrderSide, _ quantity: Decimal6) -> Decimal6 {
            let opposite = held(instrument.symbol, side == .buy ? .short : .long)
            let closable = max(opposite - openQuantity(instrument.symbol, side), .zero)
            return max(quantity - closable, .zero)
        }

        /// Shares of AAPL promised to the short calls held and to the call sales beyond the long calls.
        func sharesPromisedToCalls() throws -> Decimal6 {
            let symbol = F.call.description
            let selling = max(openQuantity(symbol, .sell) - held(symbol, .long), .zero)
            return try (held(symbol, .short) + selling).multiplied(by: OptionSymbol.contractMultiplier)
        }

        var callsCovered: Bool {
            get throws { try sharesPromisedToCalls() <= held(F.stock, .long) }
        }

        mutating func apply(_ order: OpenOrder, at price: Decimal6) throws {
            let fill = Fill(
                symbol: order.symbol, side: order.side, price: price, quantity: order.quantity, multiplier: order.instrument.multiplier,
                rule: .limitBarLimit, priceSource: .limit, nbboBid: nil, nbboAsk: nil, slippageBasis: nil, pricedAt: now)
            let outcome = try PositionMath.apply(fill, to: positions[order.symbol], assetClass: order.instrument.assetClass, at: now)
            cash = cash + outcome.cashChange
            positions[order.symbol] = outcome.position
        }
    }

    struct Run {
        let seed: UInt64
        var random: SplitMix64
        var book: Book
        var nextID = 1
        var trace: [String] = []
        var tally = Tally()
        var failure: String?

        init(seed: UInt64) {
            self.seed = seed
            var random = SplitMix64(seed: seed)
            var prices: [String: Decimal6] = [:]
            prices[aapl.symbol] = Self.cents(Int64.random(in: 12_000...18_000, using: &random))
            prices[msft.symbol] = Self.cents(Int64.random(in: 30_000...45_000, using: &random))
            prices[call.symbol] = Self.cents(Int64.random(in: 300...1_500, using: &random))
            prices[put.symbol] = Self.cents(Int64.random(in: 300...1_500, using: &random))
            book = Book(cash: Decimal6(Int.random(in: 5_000...60_000, using: &random)), prices: prices)
            // Half the accounts start with shares to write covered calls on.
            if Bool.random(using: &random) {
                let shares = Decimal6(Int.random(in: 100...300, using: &random))
                book.positions[aapl.symbol] = Position(
                    symbol: aapl.symbol, assetClass: .usEquity, side: .long, quantity: shares, averageCost: prices[aapl.symbol]!,
                    openedAt: now)
            }
            self.random = random
            trace.append("start: cash \(book.cash), \(holdings)")
        }

        static func cents(_ cents: Int64) -> Decimal6 { Decimal6(micros: cents * 10_000) }

        var holdings: String {
            let held = book.positions.values.sorted { $0.symbol < $1.symbol }.map { "\($0.side.rawValue) \($0.quantity.wholePart) \($0.symbol)" }
            let prices = instruments.map { "\($0.symbol) \(book.prices[$0.symbol]!)" }
            return "positions [\(held.joined(separator: ", "))], prices [\(prices.joined(separator: ", "))]"
        }

        mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
            guard !condition, failure == nil else { return }
            failure = "seed \(seed), step \(trace.count - 1): \(message())\n  " + trace.joined(separator: "\n  ")
        }

        mutating func play(steps: Int) throws {
            for _ in 0..<steps where failure == nil {
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<35: try submit()
                case 35..<60: try fill()
                case 60..<70: try cancel()
                case 70..<80: try replace()
                default: try movePrices()
                }
            }
        }

        // MARK: Steps

        mutating func submit() throws {
            let roll = Int.random(in: 0..<100, using: &random)
            let instrument = roll < 35 ? aapl : roll < 70 ? msft : roll < 85 ? call : put
            let side: OrderSide = Bool.random(using: &random) ? .buy : .sell
            let quantity = Decimal6(Int.random(in: instrument.optionContract == nil ? 1...50 : 1...5, using: &random))
            let order = OpenOrder(id: nextID, instrument: instrument, side: side, quantity: quantity, limit: nearPrice(instrument))
            nextID += 1
            _ = try place(order, replacing: nil)
        }

        mutating func replace() throws {
            guard let old = book.orders.randomElement(using: &random) else { return try submit() }
            let quantity = Decimal6(Int.random(in: old.instrument.optionContract == nil ? 1...50 : 1...5, using: &random))
            let order = OpenOrder(id: nextID, instrument: old.instrument, side: old.side, quantity: quantity, limit: nearPrice(old.instrument))
            nextID += 1
            if try place(order, replacing: old) { tally.replacesAccepted += 1 }
        }

        /// Judges a new order (or `old`'s replacement, with `old`'s reservation released) and keeps
        /// it open if the rule allows it. A refused replacement leaves `old` open.
        mutating func place(_ order: OpenOrder, replacing old: OpenOrder?) throws -> Bool {
            let freeBefore = try book.freeCash()
            var judged = book
            var account = try book.account()
            if let old {
                judged.orders.removeAll { $0.id == old.id }
                account = account.removing(try old.exposure())
            }
            let opening = judged.openingPart(order.instrument, order.side, order.quantity)
            let decision = BuyingPower.check(
                instrument: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: order.limit, account: account)
            let freeAfter = try account.adding(try order.exposure()).breakdown().freeCash
            var accepted = judged
            accepted.orders.append(order)
            let verb = old.map { "replace \($0) by" } ?? "submit"
            trace.append("\(verb) \(order) (opening \(opening.wholePart)): \(Self.describe(decision)); free cash \(freeBefore) → \(freeAfter)")

            guard case .allowed = decision else {
                expect(opening.isPositive, "an order that only closes positions was refused")
                let uncoveredCall = order.instrument == call && order.side == .sell && !(try accepted.callsCovered)
                expect(freeAfter < .zero || uncoveredCall, "refused although free cash stays \(freeAfter) and any calls are covered")
                tally.refused += 1
                if uncoveredCall { tally.uncoveredCallsRefused += 1 }
                return false
            }
            book = accepted
            let freeNow = try book.freeCash()
            expect(freeNow == freeAfter, "the account rebuilt from its orders has free cash \(freeNow), the rule judged \(freeAfter)")
            if opening.isPositive {
                expect(freeAfter >= .zero, "an accepted opening order leaves free cash \(freeAfter) at the prices it was judged at")
                if order.instrument == call, order.side == .sell {
                    let promised = try book.sharesPromisedToCalls()
                    expect(try book.callsCovered, "an accepted call sale is not covered: \(promised) shares promised")
                }
                tally.acceptedOpening[Self.kind(order), default: 0] += 1
            } else {
                tally.acceptedClosing += 1
                // A buy reserves its whole value even when it only closes a short (docs), so only
                // closing sells are sure to leave free cash where it was.
                if order.side == .sell {
                    expect(freeBefore.isNegative || !freeNow.isNegative, "a closing sale took free cash from \(freeBefore) to \(freeNow)")
                }
            }
            return true
        }

        /// The market trades at an open order's limit and the order fills there, if the rule,
        /// judging it again at that price with its own reservation released, still allows it;
        /// otherwise it is canceled, as the bar loop does.
        mutating func fill() throws {
            guard let order = book.orders.randomElement(using: &random) else { return try submit() }
            let freeBeforeMove = try book.freeCash()
            book.prices[order.symbol] = order.limit
            let freeBefore = try book.freeCash()
            if !freeBeforeMove.isNegative && freeBefore.isNegative { tally.negativeAfterPriceMove += 1 }

            var released = book
            released.orders.removeAll { $0.id == order.id }
            let opening = released.openingPart(order.instrument, order.side, order.quantity)
            let decision = BuyingPower.check(
                instrument: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: order.limit,
                account: try book.account().removing(try order.exposure()))
            book = released
            guard case .allowed = decision else {
                let freeAfter = try book.freeCash()
                trace.append("market at \(order.limit); fill \(order) refused, canceled: \(Self.describe(decision)); free cash \(freeBefore) → \(freeAfter)")
                expect(opening.isPositive, "a fill that only closes positions was refused")
                expect(freeBefore.isNegative || !freeAfter.isNegative, "a cancel took free cash below zero")
                tally.refusedFills += 1
                return
            }
            try book.apply(order, at: order.limit)
            let freeAfter = try book.freeCash()
            trace.append("market at \(order.limit); fill \(order) (opening \(opening.wholePart)): free cash \(freeBefore) → \(freeAfter); \(holdings)")
            if opening.isPositive {
                expect(!freeAfter.isNegative, "an allowed opening fill leaves free cash \(freeAfter) at the fill price")
                if order.instrument == call, order.side == .sell {
                    let promised = try book.sharesPromisedToCalls()
                    expect(try book.callsCovered, "a filled call sale is not covered: \(promised) shares promised")
                }
                tally.openingFills += 1
            } else {
                tally.closingFills += 1
            }
            expect(freeBefore.isNegative || !freeAfter.isNegative, "an allowed fill took free cash from \(freeBefore) to \(freeAfter)")
        }

        mutating func cancel() throws {
            guard let order = book.orders.randomElement(using: &random) else { return try movePrices() }
            let freeBefore = try book.freeCash()
            book.orders.removeAll { $0.id == order.id }
            let freeAfter = try book.freeCash()
            trace.append("cancel \(order): free cash \(freeBefore) → \(freeAfter)")
            expect(freeAfter >= freeBefore, "a cancel took free cash from \(freeBefore) to \(freeAfter)")
        }

        /// Each price moves with even odds, by up to ±20%, never below a cent.
        mutating func movePrices() throws {
            let freeBefore = try book.freeCash()
            for instrument in instruments where Bool.random(using: &random) {
                let cents = book.prices[instrument.symbol]!.micros / 10_000
                book.prices[instrument.symbol] = Self.cents(max(1, cents * Int64.random(in: 800...1_200, using: &random) / 1_000))
            }
            let freeAfter = try book.freeCash()
            if !freeBefore.isNegative && freeAfter.isNegative { tally.negativeAfterPriceMove += 1 }
            trace.append("prices move: free cash \(freeBefore) → \(freeAfter); \(holdings)")
        }

        // MARK: Helpers

        /// A limit within 5% of the instrument's price, to the cent.
        mutating func nearPrice(_ instrument: OrderInstrument) -> Decimal6 {
            let cents = book.prices[instrument.symbol]!.micros / 10_000
            return Self.cents(max(1, cents * Int64.random(in: 950...1_050, using: &random) / 1_000))
        }

        static func kind(_ order: OpenOrder) -> Opening {
            switch (order.instrument, order.side) {
            case (.equity, .buy): .stock
            case (.equity, .sell): .shortSale
            case (.option, .buy): .longOption
            case (.option(let contract), .sell): contract.right == .call ? .coveredCall : .cashSecuredPut
            }
        }

        static func describe(_ decision: BuyingPowerDecision) -> String {
            switch decision {
            case .allowed: "allowed"
            case .rejected(let rejection): "refused (\(rejection.code.rawValue): \(rejection.message))"
            }
        }
    }

    /// SplitMix64: a tiny seeded generator, so every run plays the same sequences.
    struct SplitMix64: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
