import Foundation
import MBTDomain
import MBTStorage

/// A multi-leg order's name for people when no strategy names it: the shape the multi-leg
/// classifier reads from its legs (docs/multi-leg.md). The portfolio's structure rows and the
/// history's strategy column use it.
enum StructureName {
    /// The structure's shape as the multi-leg classifier names it ("Iron condor", "Put vertical"),
    /// or `nil` when it names none (docs/multi-leg.md).
    static func of(_ parent: PaperOrder, legs: [OrderLeg]) -> String? {
        let ticket = ComboTicket(
            legs: legs.map { ComboLeg(symbol: $0.symbol, side: $0.side, ratioQty: Int($0.ratioQty), positionIntent: $0.positionIntent) },
            qty: parent.quantity, orderType: parent.type, timeInForce: parent.timeInForce, limitPrice: parent.limitPrice)
        guard case .success(let combo) = ComboValidator.validate(ticket) else { return nil }
        switch StructureClassifier.classify(combo) {
        case .ironCondor: return "Iron condor"
        case .vertical(let right): return right == .call ? "Call vertical" : "Put vertical"
        case .butterfly(let right): return right == .call ? "Call butterfly" : "Put butterfly"
        case .calendar(let right): return right == .call ? "Call calendar" : "Put calendar"
        case .coveredCall: return "Covered call"
        case .straddle: return "Straddle"
        case .strangle: return "Strangle"
        case .otherDefinedRisk, .closing, .uncovered: return nil
        }
    }
}
