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

    /// An open simple order, `column`'s table prefixed by `table` (`"o."`): what the bar loop's book
    /// holds and what the partial indexes of migration 18 index. Open multi-leg orders (parents and
    /// legs) rest in their own book.
    public static func simpleSQL(_ table: String = "") -> String {
        "\(sql(table + "status")) AND \(table)order_class = '\(OrderClass.simple.rawValue)'"
    }

    /// The same predicate with bound values, for query builders.
    public static var binds: any SQLExpression { SQLBind.group(statuses) }
}
