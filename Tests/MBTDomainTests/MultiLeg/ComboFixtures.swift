import Foundation
import MBTDomain

/// Legs, tickets and combos for the multi-leg tests: AAPL contracts expiring 2026-12-18 unless a
/// test says otherwise, so each table row reads like the order a trader would type.
enum ComboFixtures {
    static let expiry = MarketDate(iso: "2026-12-18")!
    static let nearExpiry = MarketDate(iso: "2026-11-20")!
    static let farExpiry = MarketDate(iso: "2027-01-15")!

    static func contract(_ right: OptionSymbol.Right, _ strike: Decimal6, expiry: MarketDate = expiry, root: String = "AAPL")
        -> OptionSymbol
    {
        try! OptionSymbol(root: root, expiry: expiry, right: right, strike: strike)
    }

    /// The OCC text of an AAPL call, e.g. `call(150)` is `AAPL261218C00150000`.
    static func call(_ strike: Decimal6, expiry: MarketDate = expiry, root: String = "AAPL") -> String {
        contract(.call, strike, expiry: expiry, root: root).description
    }

    static func put(_ strike: Decimal6, expiry: MarketDate = expiry, root: String = "AAPL") -> String {
        contract(.put, strike, expiry: expiry, root: root).description
    }

    /// A buy leg, to open unless `close`.
    static func buy(_ symbol: String, _ ratio: Int = 1, close: Bool = false) -> ComboLeg {
        ComboLeg(symbol: symbol, side: .buy, ratioQty: ratio, positionIntent: close ? .buyToClose : .buyToOpen)
    }

    /// A sell leg, to open unless `close`.
    static func sell(_ symbol: String, _ ratio: Int = 1, close: Bool = false) -> ComboLeg {
        ComboLeg(symbol: symbol, side: .sell, ratioQty: ratio, positionIntent: close ? .sellToClose : .sellToOpen)
    }

    static func ticket(
        _ legs: [ComboLeg], qty: Decimal6 = 1, type: OrderType? = nil, tif: TimeInForce = .day, limit: Decimal6? = nil
    ) -> ComboTicket {
        ComboTicket(legs: legs, qty: qty, orderType: type ?? (limit == nil ? .market : .limit), timeInForce: tif, limitPrice: limit)
    }

    /// A combo that must validate; a fixture that does not is a broken test.
    static func combo(_ legs: [ComboLeg], qty: Decimal6 = 1, limit: Decimal6? = nil) -> ValidatedCombo {
        switch ComboValidator.validate(ticket(legs, qty: qty, limit: limit)) {
        case .success(let combo): return combo
        case .failure(let error): preconditionFailure("fixture combo is invalid: \(error)")
        }
    }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func quote(_ symbol: String, bid: Decimal6, ask: Decimal6, at timestamp: Date = now) -> Quote {
        Quote(symbol: symbol, bid: bid, ask: ask, bidSize: 10, askSize: 10, timestamp: timestamp)
    }

    /// An account with `cash`, the given positions and open orders.
    static func account(
        cash: Decimal6 = 100_000, positions: [HeldPosition] = [], openOrders: [OpenOrderExposure] = []
    ) -> BuyingPowerAccount {
        BuyingPowerAccount(cash: cash, positions: positions, openOrders: openOrders)
    }

    static func held(_ symbol: String, _ quantity: Decimal6, _ side: PositionSide = .long) -> HeldPosition {
        HeldPosition(symbol: symbol, side: side, quantity: quantity, mark: 100)
    }
}
