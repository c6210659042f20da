import Foundation
import Hummingbird
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTrading

/// How every failure of a `/v2` request becomes an ``AlpacaError``: the engine's refusals keep their
/// message, and take the status Alpaca gives the same refusal (403 for buying power, 422 for a
/// malformed or untradable order, 404 for an unknown or another user's order).
extension AlpacaError {
    static func from(_ error: any Error, request: Request, logger: Logger) -> AlpacaError {
        switch error {
        case let error as AlpacaError:
            return error
        case let error as TradingError:
            return from(error)
        case let error as APIError:
            return AlpacaError(error.status, error.message, headers: error.headers)
        case let error as MarketDataError:
            return from(error)
        case let error as ExerciseError:
            return from(error)
        case _ where DatabaseFailure.isUnavailable(error):
            return AlpacaError(
                .serviceUnavailable, "the database is not reachable right now; try again shortly", headers: [.retryAfter: "1"])
        case let error as StorageError:
            if case .notFound(let what) = error { return .notFound("\(what) not found") }
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return .internalError
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("endpoint not found: \(request.method) \(request.uri.path)")
            case .contentTooLarge: return AlpacaError(.contentTooLarge, "request body is larger than 64 KiB")
            case .badRequest: return .badRequest("request body format is invalid")
            default: return AlpacaError(error.status, error.body ?? error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError where error.status.code < 500:
            return AlpacaError(error.status, error.status.reasonPhrase)
        default:
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return .internalError
        }
    }

    static func from(_ error: TradingError) -> AlpacaError {
        switch error {
        case .invalid(let rejection):
            return .validation(rejection.message)
        case .rejected(_, let rejection):
            switch rejection.code {
            case .insufficientBuyingPower, .uncoveredOption: return .forbidden(rejection.message)
            default: return .validation(rejection.message)
            }
        case .orderNotFound:
            return .notFound("order not found")
        case .orderNotOpen(let order):
            return .validation(
                "order is not open (its status is \(AlpacaOrderStatus(order).rawValue)); only open orders can be canceled or replaced")
        case .ledgerUnavailable(let reason):
            return AlpacaError(.serviceUnavailable, reason, headers: [.retryAfter: "1"])
        }
    }

    /// Alpaca answers an exercise of a position it cannot find with 404, one it will not exercise
    /// (stock, a short, outside market hours) with 422, and one the account cannot carry with 403.
    static func from(_ error: ExerciseError) -> AlpacaError {
        switch error {
        case .noPosition: return .notFound(error.message)
        case .heldForOrders, .refused: return .forbidden(error.message)
        case .notAnOption, .shortPosition, .expired, .marketClosed, .noPrice: return .validation(error.message)
        }
    }

    static func from(_ error: MarketDataError) -> AlpacaError {
        switch error {
        case .unknownSymbol(let symbol): return .notFound("asset \"\(symbol)\" not found")
        case .invalidRequest(let reason): return .validation(reason)
        default: return AlpacaError(.serviceUnavailable, error.description)
        }
    }
}
