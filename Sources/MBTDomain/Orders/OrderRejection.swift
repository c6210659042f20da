/// Why an order was refused: a stable machine `code` for clients and the `reject_reason` column, and
/// a human `message` that says what to change, because a refusal the user cannot act on is a support
/// ticket.
///
/// The codes are part of the API contract; messages may be reworded at any time.
public struct OrderRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers of every reason an order can be refused; the raw value is what clients see.
    public enum Code: String, Sendable, Codable, CaseIterable {
        // Validation: the request itself is malformed.
        case invalidSymbol = "invalid_symbol"
        case invalidQuantity = "invalid_quantity"
        case quantityTooLarge = "quantity_too_large"
        case fractionalContracts = "fractional_contracts"
        case missingLimitPrice = "missing_limit_price"
        case unexpectedLimitPrice = "unexpected_limit_price"
        case invalidLimitPrice = "invalid_limit_price"
        case limitPriceTooLarge = "limit_price_too_large"
        case invalidTickSize = "invalid_tick_size"
        case invalidTimeInForce = "invalid_time_in_force"
        case invalidClientOrderId = "invalid_client_order_id"
        /// A `strategy_id` that is not one of the caller's strategies.
        case invalidStrategy = "invalid_strategy"
        /// A multi-leg ticket that is malformed: the message names the leg and the field.
        case invalidLegs = "invalid_legs"
        // Pricing: the market cannot price the order now.
        case noUsableQuote = "no_usable_quote"
        // Account: the order is well formed but the account cannot carry it.
        case insufficientBuyingPower = "insufficient_buying_power"
        case uncoveredOption = "uncovered_option"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
