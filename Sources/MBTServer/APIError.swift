import Foundation
import HTTPTypes
import Hummingbird

/// An error that renders its own API response (the error shape, possibly with more fields).
protocol APIErrorResponse: HTTPResponseError {}

/// Every failure the API answers with: a status and `{"error":{"code":"…","message":"…"}}`.
public struct APIError: Error, Sendable, Equatable, APIErrorResponse {
    public let status: HTTPResponse.Status
    /// A stable, machine-readable code.
    public let code: String
    /// What went wrong and, where it helps, what to do about it.
    public let message: String
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message)
    }

    public static func validation(_ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: "validation_failed", message: message)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(
            status: .unauthorized, code: "unauthorized", message: message,
            headers: [.wwwAuthenticate: "Bearer realm=\"mbt\""]
        )
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    public static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message)
    }

    public static func unavailable(code: String, _ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: code, message: message)
    }

    /// The database is gone or did not answer in time: nothing was changed, the client may retry.
    public static let databaseUnavailable = APIError(
        status: .serviceUnavailable, code: "database_unavailable",
        message: "the database is not reachable right now; nothing was changed, try again shortly", headers: [.retryAfter: "1"])

    public static let internalError = APIError(
        status: .internalServerError, code: "internal_error", message: "internal error; the server log has the details"
    )

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(ErrorBody(error: .init(code: code, message: message)))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The JSON body of an ``APIError``.
struct ErrorBody: Codable, Equatable {
    struct Detail: Codable, Equatable {
        let code: String
        let message: String
    }

    let error: Detail
}
