import MBTDomain

/// Why a trading request did not do what was asked, in terms the API answers with.
public enum TradingError: Error, Sendable {
    /// The request is malformed; nothing was stored.
    case invalid(OrderRejection)
    /// The order was well formed but refused; it is stored with its reason.
    case rejected(PaperOrder, OrderRejection)
    /// No such order for this user (another user's order is "no such order" too).
    case orderNotFound(Int64)
    /// The order is no longer open (filled, canceled, …), so it cannot be canceled or replaced.
    case orderNotOpen(PaperOrder)
    /// The ledger could not be written in time (the database failed or is gone); the request
    /// most likely changed nothing and may be sent again. The message says what to do.
    case ledgerUnavailable(String)
}
