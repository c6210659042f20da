import Hummingbird
import MBTDomain
import MBTTrading

/// How each ``TradingError`` is answered: the error shape with its status, and for a refused
/// order the stored order too, so the client sees what was recorded.
extension TradingError: APIErrorResponse {
    public var status: HTTPResponse.Status { apiError.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        guard case .rejected(let order, let rejection) = self else { return try apiError.response(from: request, context: context) }
        var response = try APIJSON.encoder.encode(
            RejectedBody(error: .init(code: rejection.code.rawValue, message: rejection.message), order: OrderBody(order)), from: request,
            context: context)
        response.status = status
        return response
    }

    private struct RejectedBody: Encodable {
        let error: ErrorBody.Detail
        let order: OrderBody
    }

    private var apiError: APIError {
        switch self {
        case .invalid(let rejection), .rejected(_, let rejection):
            return APIError(status: .unprocessableContent, code: rejection.code.rawValue, message: rejection.message)
        case .orderNotFound(let id):
            return APIError.notFound("order \(id) not found")
        case .orderNotOpen(let order):
            return APIError.conflict("order \(order.id) is \(order.status.rawValue); only open orders can be canceled or replaced")
        case .ledgerUnavailable(let reason):
            return APIError(status: .serviceUnavailable, code: "ledger_unavailable", message: reason, headers: [.retryAfter: "1"])
        }
    }
}
