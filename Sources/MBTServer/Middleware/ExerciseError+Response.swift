import Hummingbird
import MBTDomain
import MBTTrading

/// How each ``ExerciseError`` is answered in MBT's error shape: no such position 404, one that
/// cannot be exercised 422, one the account cannot carry 422 with the buying-power rule's code.
extension ExerciseError: APIErrorResponse {
    public var status: HTTPResponse.Status { apiError.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try apiError.response(from: request, context: context)
    }

    private var apiError: APIError {
        switch self {
        case .noPosition(let symbol): APIError.notFound("no open position in \(symbol.prefix(40))")
        case .notAnOption, .shortPosition, .expired: APIError(status: .unprocessableContent, code: "not_exercisable", message: message)
        case .marketClosed: APIError(status: .unprocessableContent, code: "market_closed", message: message)
        case .heldForOrders: APIError(status: .conflict, code: "held_for_orders", message: message)
        case .noPrice: APIError(status: .unprocessableContent, code: "no_usable_quote", message: message)
        case .refused(let rejection): APIError(status: .unprocessableContent, code: rejection.code.rawValue, message: message)
        }
    }
}
