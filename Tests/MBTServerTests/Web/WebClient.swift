import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTServer
import MBTStorage
import NIOCore
import Testing

/// A browser, as far as the router tests need one: keeps cookies, posts forms, finds the CSRF
/// token in a page.
struct WebClient {
    let app: TestApp.Fixture
    var cookies: [String: String] = [:]

    init(_ app: TestApp.Fixture) {
        self.app = app
    }

    @discardableResult
    mutating func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.get, uri, body: nil, headers: extra)
    }

    /// Posts `fields` as a form; `csrf` is added as `csrf_token` unless nil.
    @discardableResult
    mutating func post(_ uri: String, _ fields: [(String, String)], headers extra: HTTPFields = [:]) async throws -> TestResponse {
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, body: body, headers: headers)
    }

    private mutating func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, headers extra: HTTPFields) async throws
        -> TestResponse
    {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await app.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }

    /// Signs in through the form; returns the response to the post.
    @discardableResult
    mutating func signIn(_ name: String, _ password: String) async throws -> TestResponse {
        let page = try await get("/login")
        let token = try #require(page.csrfToken)
        return try await post("/login", [("csrf_token", token), ("username", name), ("password", password)])
    }

    /// The CSRF token of a signed-in page.
    mutating func csrfToken(from uri: String = "/trade") async throws -> String {
        try #require(try await get(uri).csrfToken)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The value of the first `csrf_token` field in the page.
    var csrfToken: String? {
        guard let range = text.range(of: #"name="csrf_token" value=""#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The `Set-Cookie` header that sets `name`.
    func setCookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }
}

extension TestApp.Fixture {
    static let password = "correct horse battery"

    /// A user with a web password (hashed at a low cost so tests run fast).
    @discardableResult
    func webUser(_ name: String, role: UserRole = .user, password: String = Self.password) async throws -> User {
        try await UserStore(database: database).create(
            name: name, role: role, passwordHash: WebPasswords.hash(password, cost: 4), at: TestApp.now
        ).user
    }
}
