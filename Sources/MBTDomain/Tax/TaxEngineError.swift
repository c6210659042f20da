/// Why the tax engine refused an event. Nothing is changed when an event is refused.
public enum TaxEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The event is not after the last one applied (order is trade date, then sequence).
    case outOfOrder(event: Int64)
    case invalidSymbol(event: Int64, symbol: String)
    /// Quantity not positive, or price or fees negative.
    case invalidAmount(event: Int64, field: String, value: Decimal6)
    /// Exercise, assignment and expiry apply to options only.
    case notAnOption(event: Int64, symbol: String)
    /// A split applies to stock only; option contracts are adjusted by the OCC into new ones.
    case notAStock(event: Int64, symbol: String)
    /// A split of a stock with no open lots.
    case noOpenLots(event: Int64, symbol: String)
    /// Closing more than is open on that side.
    case insufficientPosition(event: Int64, symbol: String, side: PositionSide, requested: Decimal6, open: Decimal6)
    /// Opening one side while the other is open (a buy while short: use buy_to_cover).
    case oppositePositionOpen(event: Int64, symbol: String, open: PositionSide)
    /// Specific identification without lot ids.
    case missingLotIds(event: Int64)
    /// The named lots are not open on that side, or hold less than the quantity closed.
    case specificLotsInsufficient(event: Int64, symbol: String, lotIds: [Int64], requested: Decimal6, available: Decimal6)
    /// Section 1256 contracts are open at a year end whose prices were given, but not this one's.
    case missingYearEndMark(year: Int, symbol: String)
    /// An amount does not fit ±999 999 999 999.999999.
    case overflow(event: Int64)

    /// The event the error is about; `nil` for a year-end mark.
    public var eventId: Int64? {
        switch self {
        case .outOfOrder(let event), .invalidSymbol(let event, _), .invalidAmount(let event, _, _), .notAnOption(let event, _),
            .notAStock(let event, _), .noOpenLots(let event, _),
            .insufficientPosition(let event, _, _, _, _), .oppositePositionOpen(let event, _, _), .missingLotIds(let event),
            .specificLotsInsufficient(let event, _, _, _, _), .overflow(let event):
            event
        case .missingYearEndMark:
            nil
        }
    }

    /// What is wrong, without saying which event (callers name it as a fill id or a file line).
    public var reason: String {
        switch self {
        case .outOfOrder:
            "not after the previous event (order is trade date, then sequence)"
        case .invalidSymbol(_, let symbol):
            "'\(symbol.prefix(40))' is neither a stock symbol nor an OCC option symbol"
        case .invalidAmount(_, let field, let value):
            "\(field) \(value) is out of range"
        case .notAnOption(_, let symbol):
            "\(symbol) is not an option; exercise, assign and expire apply to OCC option symbols"
        case .notAStock(_, let symbol):
            "\(symbol.prefix(40)) is not a stock; only stock splits"
        case .noOpenLots(_, let symbol):
            "\(symbol) has no open lots to split"
        case .insufficientPosition(_, let symbol, let side, let requested, let open):
            "closes \(requested) \(symbol) but only \(open) is open \(side.rawValue)"
        case .oppositePositionOpen(_, let symbol, let open):
            "\(symbol) is open \(open.rawValue); close it with \(open == .short ? "buy_to_cover" : "sell") first"
        case .missingLotIds:
            "specific identification needs lot ids"
        case .specificLotsInsufficient(_, let symbol, let lotIds, let requested, let available):
            "lots \(lotIds.map(String.init).joined(separator: ";")) hold \(available) \(symbol) open, fewer than the \(requested) closed"
        case .missingYearEndMark(let year, let symbol):
            "no \(year) year-end price for open Section 1256 contract \(symbol)"
        case .overflow:
            "an amount exceeds 999999999999.999999"
        }
    }

    public var description: String {
        if let eventId { return "event \(eventId): \(reason)" }
        return reason
    }
}
