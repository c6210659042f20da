import Foundation
import Hummingbird
import MBTDomain
import MBTStorage

/// Per-request state: the authenticated user, and the JSON conventions of the API (snake_case
/// keys, ISO 8601 instants; decimals encode themselves as strings).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthenticationMiddleware`` on `/api` routes.
    public var user: User? {
        didSet { notes.userId = user?.id }
    }
    /// Set by the web app's session middleware on its pages when a browser is signed in.
    public var webSession: WebSessionStore.Session? {
        didSet { notes.userId = webSession?.user.id ?? notes.userId }
    }
    /// Shared with ``RequestLogMiddleware``, which logs the user once the request is answered.
    let notes = RequestNotes()
    /// The client's address as the socket sees it, for the sign-in rate limit ("unknown" when the
    /// channel has none, as in router tests).
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.user = nil
        self.webSession = nil
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// API bodies are small; anything larger is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }

    public var requestDecoder: JSONDecoder { APIJSON.decoder }
    public var responseEncoder: JSONEncoder { APIJSON.encoder }

    /// The authenticated user; only called on routes behind ``AuthenticationMiddleware``.
    public func requireUser() throws -> User {
        guard let user else { throw APIError.unauthorized("missing bearer token") }
        return user
    }
}

/// The API's JSON settings, in one place.
enum APIJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
