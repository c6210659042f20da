/// Why a multi-leg ticket (or an iron-condor request) cannot be accepted, naming the field in the
/// client's own terms, e.g. `legs[2].ratio_qty` (legs count from 1, as a person reads a list).
///
/// A combo is refused as a whole, so the message must point at the one leg to fix; otherwise the
/// user is left guessing which of four legs was wrong.
public struct ComboError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request field at fault: `legs`, `legs[2].symbol`, `qty`, `limit_price`, `wing_width`, …
    public let field: String
    /// What is wrong and what to change.
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }

    /// The field name of leg `index` (1-based), optionally one of its attributes.
    static func leg(_ index: Int, _ attribute: String? = nil) -> String {
        attribute.map { "legs[\(index)].\($0)" } ?? "legs[\(index)]"
    }
}
