/// The smallest price increment an order may be priced in.
///
/// Stocks follow SEC Reg NMS Rule 612: a penny at or above $1.00, a hundredth of a cent below it.
/// Options use a penny throughout: the exchanges' nickel and dime increments outside the penny
/// programme would refuse prices the simulated market quotes, so the paper engine stays with 0.01.
public enum TickSize {
    public static let penny: Decimal6 = "0.01"
    public static let subPenny: Decimal6 = "0.0001"

    /// The increment that applies to `price` for `assetClass`.
    public static func tick(for price: Decimal6, assetClass: AssetClass) -> Decimal6 {
        switch assetClass {
        case .option: penny
        case .usEquity: price >= .one ? penny : subPenny
        }
    }

    /// Whether `price` is a whole number of ticks.
    public static func isOnTick(_ price: Decimal6, assetClass: AssetClass) -> Bool {
        price.micros % tick(for: price, assetClass: assetClass).micros == 0
    }
}
