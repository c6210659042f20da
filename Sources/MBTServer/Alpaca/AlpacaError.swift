import Foundation
import HTTPTypes
import Hummingbird

/// A `/v2` failure in Alpaca's shape: an HTTP status and `{"code": <8 digits>, "message": "…"}`
/// (docs/alpaca-api.md, "Errors"). The code is the status followed by `10000`, as Alpaca's are
/// (`40410000` for a 404); extra fields (`available`, `symbol`, …) join the body where Alpaca has them.
struct AlpacaError: Error, Sendable, Equatable {
    let status: HTTPResponse.Status
    let code: Int
    let message: String
    var extra: [String: String] = [:]
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, extra: [String: String] = [:], headers: HTTPFields = [:]) {
        self.status = status
        self.code = status.code * 100_000 + 10_000
        self.message = message
        self.extra = extra
        self.headers = headers
    }

    /// The one answer to a missing or wrong key, secret or token: it never says which part was wrong.
    static let unauthorized = AlpacaError(.unauthorized, "request is not authorized")
    static let rateLimited = AlpacaError(.tooManyRequests, "rate limit exceeded")
    static let internalError = AlpacaError(.internalServerError, "internal server error occurred")

    static func validation(_ message: String) -> AlpacaError { AlpacaError(.unprocessableContent, message) }
    static func badRequest(_ message: String) -> AlpacaError { AlpacaError(.badRequest, message) }
    static func notFound(_ message: String) -> AlpacaError { AlpacaError(.notFound, message) }
    static func forbidden(_ message: String) -> AlpacaError { AlpacaError(.forbidden, message) }

    /// The body as JSON.
    var body: AlpacaValue {
        var fields: [String: AlpacaValue] = ["code": .int(code), "message": .string(message)]
        for (key, value) in extra { fields[key] = .string(value) }
        return .object(fields)
    }

    func response() -> Response {
        var response = AlpacaValue.response(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
