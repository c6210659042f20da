import MBTDomain
import SQLKit

/// The one SQL definition of an open order, made from ``OrderStatus/isOpen``. The partial indexes
/// of migrations 1 and 13 spell the same list out, as migrations must stay as they ran.
public enum OpenOrderPredicate {
    /// The open statuses' stored values.
    public static let statuses: [String] = OrderStatus.allCases.filter(\.isOpen).map(\.rawValue)

    /// `column IN ('new', 'accepted')`, as SQL text (the values are constants, never user input).
    public static func sql(_ column: String) -> String {
        "\(column) IN (\(statuses.map { "'\($0)'" }.joined(separator: ", ")))"
    }

    /// The same predicate with bound values, for query builders.
    public static var binds: any SQLExpression { SQLBind.group(statuses) }
}
