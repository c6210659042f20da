import MBTDomain

/// An order's status in Alpaca's words (docs/alpaca-api.md, "Orders"). MBT's open states (`new`,
/// `accepted`: resting) are Alpaca's `new` (live at the venue); a canceled order that a replace
/// took the place of is `replaced`.
enum AlpacaOrderStatus: String, Sendable {
    case new
    case filled
    case canceled
    case replaced
    case rejected
    case expired

    init(_ order: PaperOrder) {
        switch order.status {
        case .new, .accepted: self = .new
        case .filled: self = .filled
        case .canceled: self = order.replacedByOrderId == nil ? .canceled : .replaced
        case .rejected: self = .rejected
        case .expired: self = .expired
        }
    }

    /// The `status` filter of `GET /v2/orders`: the MBT statuses each value covers.
    static func statuses(forFilter filter: String) -> [OrderStatus]? {
        switch filter {
        case "open": [.new, .accepted]
        case "closed": [.filled, .canceled, .rejected, .expired]
        case "all": nil
        default: nil
        }
    }
}
