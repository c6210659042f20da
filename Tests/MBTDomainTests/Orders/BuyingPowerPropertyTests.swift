import Foundation
import MBTDomain
import Testing

/// The v1 buying-power rule over whole histories (docs/buying-power.md): no sequence of orders,
/// fills, cancels and replaces lets an accepted opening order leave free cash below zero at the
/// prices it was judged at.
///
/// Each sequence plays 30 random steps against a small in-memory account (cash, positions moved by
/// ``PositionMath``, open limit orders) in AAPL, MSFT and an AAPL call and put, asking
/// ``BuyingPower/check(instrument:side:quantity:estimatedPrice:account:)`` wherever the brokerage
/// does: at submission, at a replace (the old order's reservation released) and at a resting
/// order's fill (its own reservation released, judged at the fill price). Orders are judged and
/// reserved at their limit, sells at no less than the market, as the trading layer prices them.
/// The model computes on its own which part of an order opens a position, which short calls need
/// shares, and which sales would sell those shares, and checks the rule's decisions against that.
/// Sequences are seeded, so a failure names the seed and the steps that led to it.
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

    /// Two open sales of the same shares: which one closes is not known until one fills, so the
    /// dearer one is taken to open. A second sale that would turn a resting take-profit into an
    /// uncollateralised short is refused; with the collateral at hand it is allowed, and filling it
    /// first leaves free cash at zero, not below.
    @Test func aSecondSaleOfTheSameSharesReservesTheDearerShort() throws {
        let takeProfit = OpenOrderExposure(symbol: F.stock, side: .sell, quantity: 10, price: 1_000)
        let shares = HeldPosition(symbol: F.stock, side: .long, quantity: 10, mark: 100)
        let short = BuyingPowerAccount(cash: 2_750, positions: [shares], openOrders: [takeProfit])
        guard case .rejected(let rejection) = BuyingPower.check(
            instrument: .equity(F.stock), side: .sell, quantity: 10, estimatedPrice: 100, account: short)
        else {
            Issue.record("a sale that makes the take-profit a short of 10,000 was allowed with 2,750 free")
            return
        }
        #expect(rejection.message.contains("needs 5000.00, buying power 2750.00"))

        let account = BuyingPowerAccount(cash: 5_000, positions: [shares], openOrders: [takeProfit])
        #expect(BuyingPower.check(instrument: .equity(F.stock), side: .sell, quantity: 10, estimatedPrice: 100, account: account) == .allowed)
        // The sale at 100 fills first: cash 6,000, no shares, the take-profit a short sale of 10 at 1,000.
        let filled = BuyingPowerAccount(cash: 6_000, positions: [], openOrders: [takeProfit])
        #expect(try filled.breakdown().freeCash == 1_000)
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
        var coveringSharesKept = 0
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
            coveringSharesKept += other.coveringSharesKept
            openingFills += other.openingFills
            closingFills += other.closingFills
            refusedFills += other.refusedFills
            replacesAccepted += other.replacesAccepted
            negativeAfterPriceMove += other.negativeAfterPriceMove
        }

        var description: String {
            let opening = acceptedOpening.sorted { $0.key.description < $1.key.description }.map { "\($0.key) \($0.value)" }
            return "accepted opening [\(opening.joined(separator: ", "))], accepted closing \(acceptedClosing), refused \(refused) "
                + "(uncovered calls \(uncoveredCallsRefused), covering shares kept \(coveringSharesKept)), fills opening \(openingFills) / closing \(closingFills), "
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
                openOrders: try orders.map { try exposure($0) })
        }

        /// The price an order is judged and reserved at: its limit, but a sell at no less than the
        /// market (a marketable sell fills there, and a short sale holds back half of what it fills at).
        func judgedPrice(_ order: OpenOrder) -> Decimal6 {
            order.side == .sell ? max(order.limit, prices[order.symbol]!) : order.limit
        }

        func exposure(_ order: OpenOrder) throws -> OpenOrderExposure {
            OpenOrderExposure(symbol: order.symbol, side: order.side, quantity: order.quantity, price: judgedPrice(order))
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

        /// Whether a sale of AAPL would sell shares the short calls (held or being sold) need: its
        /// closing part beyond the shares neither promised to calls nor to other open sales.
        func sellsCoveringShares(_ instrument: OrderInstrument, _ side: OrderSide, _ quantity: Decimal6) throws -> Bool {
            guard instrument == aapl, side == .sell else { return false }
            let closing = quantity - openingPart(instrument, side, quantity)
            let promised = try sharesPromisedToCalls()
            guard closing.isPositive, promised.isPositive else { return false }
            return closing > held(F.stock, .long) - openQuantity(F.stock, .sell) - promised
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
                // Whatever happened, the short calls held stay covered by shares held.
                let calls = try book.held(F.call.description, .short).multiplied(by: OptionSymbol.contractMultiplier)
                let shares = book.held(F.stock, .long)
                expect(calls <= shares, "short calls need \(calls) shares, \(shares) held")
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

        /// Judges a new order (or `old`'s replacement, with `old`'s reservation released) at its
        /// estimated price and keeps it open if the rule allows it. A refused replacement leaves
        /// `old` open, as the order service does.
        mutating func place(_ order: OpenOrder, replacing old: OpenOrder?) throws -> Bool {
            let freeBefore = try book.freeCash()
            var judged = book
            var account = try book.account()
            if let old {
                judged.orders.removeAll { $0.id == old.id }
                account = account.removing(try book.exposure(old))
            }
            let price = book.judgedPrice(order)
            let decision = BuyingPower.check(
                instrument: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: price, account: account)
            let freeAfter = try account.adding(try book.exposure(order)).breakdown().freeCash
            let verb = old.map { "replace \($0) by" } ?? "submit"
            return try judge(order, decision, in: judged, freeBefore: freeBefore, freeAfter: freeAfter, step: "\(verb) \(order) at \(price)")
        }

        /// The market trades at an open order's limit and the order fills there if the rule, judging
        /// it again at that price with its own reservation released, still allows it; otherwise it
        /// is canceled, as the bar loop does.
        mutating func fill() throws {
            guard let order = book.orders.randomElement(using: &random) else { return try submit() }
            try move(order.symbol, to: order.limit, step: "market trades \(order.symbol) at \(order.limit)")
            let freeBefore = try book.freeCash()
            var released = book
            released.orders.removeAll { $0.id == order.id }
            let decision = BuyingPower.check(
                instrument: order.instrument, side: order.side, quantity: order.quantity, estimatedPrice: order.limit,
                account: try book.account().removing(try book.exposure(order)))
            let freeAfter = try released.account().adding(try book.exposure(order)).breakdown().freeCash
            let opening = released.openingPart(order.instrument, order.side, order.quantity)
            guard try judge(order, decision, in: released, freeBefore: freeBefore, freeAfter: freeAfter, step: "fill \(order)") else {
                book = released
                let freeCanceled = try book.freeCash()
                trace.append("  canceled: free cash \(freeCanceled)")
                expect(freeCanceled >= freeBefore, "canceling a refused fill took free cash from \(freeBefore) to \(freeCanceled)")
                tally.refusedFills += 1
                return
            }
            book = released
            try book.apply(order, at: order.limit)
            let freeFilled = try book.freeCash()
            trace.append("  filled at \(order.limit): free cash \(freeFilled); \(holdings)")
            if opening.isPositive {
                expect(!freeFilled.isNegative, "an allowed opening fill leaves free cash \(freeFilled) at the fill price")
                tally.openingFills += 1
            } else {
                tally.closingFills += 1
            }
            expect(freeBefore.isNegative || !freeFilled.isNegative, "an allowed fill took free cash from \(freeBefore) to \(freeFilled)")
        }

        /// Checks a decision of the rule on `order` against the model, in `book` (the account
        /// without the order, and without any order it replaces), and keeps the order open in
        /// `self.book` if it was allowed. Returns whether it was.
        mutating func judge(
            _ order: OpenOrder, _ decision: BuyingPowerDecision, in book: Book, freeBefore: Decimal6, freeAfter: Decimal6, step: String
        ) throws -> Bool {
            let opening = book.openingPart(order.instrument, order.side, order.quantity)
            let keepsShares = try book.sellsCoveringShares(order.instrument, order.side, order.quantity)
            var accepted = book
            accepted.orders.append(order)
            let uncoveredCall = try order.instrument == call && order.side == .sell && opening.isPositive && !accepted.callsCovered
            trace.append("\(step) (opening \(opening.wholePart)): \(Self.describe(decision)); free cash \(freeBefore) → \(freeAfter)")

            if keepsShares {
                expect(decision.code == .uncoveredOption, "a sale of shares covering short calls was not refused as uncovered_option")
            } else if !opening.isPositive {
                expect(decision == .allowed, "an order that only closes positions was refused")
            }
            guard case .allowed = decision else {
                expect(
                    freeAfter.isNegative || uncoveredCall || keepsShares,
                    "refused although free cash stays \(freeAfter), calls stay covered and no covering shares are sold")
                tally.refused += 1
                if uncoveredCall { tally.uncoveredCallsRefused += 1 }
                if keepsShares { tally.coveringSharesKept += 1 }
                return false
            }
            self.book = accepted
            let freeNow = try accepted.freeCash()
            expect(freeNow == freeAfter, "the account rebuilt from its orders has free cash \(freeNow), the rule judged \(freeAfter)")
            if opening.isPositive {
                expect(!freeAfter.isNegative, "an accepted opening order leaves free cash \(freeAfter) at the prices it was judged at")
                if order.instrument == call, order.side == .sell {
                    let promised = try accepted.sharesPromisedToCalls()
                    expect(try accepted.callsCovered, "an accepted call sale is not covered: \(promised) shares promised")
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

        mutating func cancel() throws {
            guard let order = book.orders.randomElement(using: &random) else { return try movePrices() }
            let freeBefore = try book.freeCash()
            book.orders.removeAll { $0.id == order.id }
            let freeAfter = try book.freeCash()
            trace.append("cancel \(order): free cash \(freeBefore) → \(freeAfter)")
            expect(freeAfter >= freeBefore, "a cancel took free cash from \(freeBefore) to \(freeAfter)")
        }

        mutating func move(_ symbol: String, to price: Decimal6, step: String) throws {
            let freeBefore = try book.freeCash()
            book.prices[symbol] = price
            let freeAfter = try book.freeCash()
            if !freeBefore.isNegative && freeAfter.isNegative { tally.negativeAfterPriceMove += 1 }
            trace.append("\(step): free cash \(freeBefore) → \(freeAfter)")
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
}

extension BuyingPowerDecision {
    fileprivate var code: OrderRejection.Code? {
        guard case .rejected(let rejection) = self else { return nil }
        return rejection.code
    }
}
