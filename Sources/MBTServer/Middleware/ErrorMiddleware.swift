import Foundation
import Hummingbird
import Logging
import MBTMarketData
import MBTStorage

/// Turns every error a handler or inner middleware throws into an ``APIError`` response, so the
/// API has one error shape whatever failed.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any APIErrorResponse {
            return try error.response(from: request, context: context)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as StorageError:
            return apiError(for: error)
        case let error as MarketDataError:
            return apiError(for: error)
        case let error as HTTPError:
            return apiError(for: error.status, message: error.body, request: request)
        case let error as any HTTPResponseError:
            return apiError(for: error.status, message: nil, request: request)
        case is DecodingError:
            return .badRequest("request body is not valid JSON for this endpoint")
        case _ where DatabaseFailure.isUnavailable(error):
            return .databaseUnavailable
        default:
            return .internalError
        }
    }

    private static func apiError(for error: StorageError) -> APIError {
        switch error {
        case .notFound(let what): .notFound("\(what) not found")
        case .duplicate(let what): .conflict("\(what) already exists")
        default: .internalError
        }
    }

    /// Market-data failures: the caller's mistakes are 4xx, the source's are 502/503.
    private static func apiError(for error: MarketDataError) -> APIError {
        switch error {
        case .unknownSymbol(let symbol):
            return APIError(status: .notFound, code: "unknown_symbol", message: "unknown symbol \(symbol)")
        case .invalidRequest(let reason):
            return .validation(reason)
        case .rateLimited(let until):
            let wait = until.map { max(1, Int($0.timeIntervalSinceNow.rounded(.up))) } ?? 60
            return APIError(
                status: .serviceUnavailable, code: "market_data_rate_limited", message: error.description,
                headers: [.retryAfter: "\(wait)"])
        case .unauthorized:
            return APIError(
                status: .badGateway, code: "market_data_unauthorized",
                message: "the market data source refused this server's credentials; an operator must fix ALPACA_MARKET_DATA_KEY/SECRET")
        case .upstreamUnavailable:
            return APIError(status: .serviceUnavailable, code: "market_data_unavailable", message: error.description)
        case .malformedResponse:
            return APIError(status: .badGateway, code: "market_data_malformed", message: error.description)
        }
    }

    /// Hummingbird's own errors: no route, undecodable body, body too large.
    private static func apiError(for status: HTTPResponse.Status, message: String?, request: Request) -> APIError {
        switch status {
        case .notFound:
            return .notFound("no route for \(request.method) \(request.uri.path)")
        case .badRequest:
            return APIError(status: .badRequest, code: "invalid_json", message: message ?? "request body is not valid JSON")
        case .contentTooLarge:
            return APIError(status: .contentTooLarge, code: "payload_too_large", message: "request body is larger than 64 KiB")
        default:
            return APIError(
                status: status, code: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                message: message ?? status.reasonPhrase
            )
        }
    }
}
