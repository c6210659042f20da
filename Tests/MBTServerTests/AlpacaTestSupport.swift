import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTStorage
import Testing

/// A `/v2` caller: a user with an Alpaca key pair, sending Alpaca's headers.
struct AlpacaCaller {
    let app: TestApp.Fixture
    let keyId: String
    let secret: String

    static func make(_ app: TestApp.Fixture, _ name: String) async throws -> AlpacaCaller {
        _ = try await app.user(name)
        let key = try await APIKeyStore(database: app.database).create(forUserNamed: name, at: TestApp.now)
        return AlpacaCaller(app: app, keyId: key.keyId, secret: key.secret)
    }

    static let keyIdHeader = HTTPField.Name("APCA-API-KEY-ID")!
    static let secretHeader = HTTPField.Name("APCA-API-SECRET-KEY")!

    @discardableResult
    func request(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil) async throws -> TestResponse {
        try await app.request(method, uri, body: body, headers: [Self.keyIdHeader: keyId, Self.secretHeader: secret])
    }

    /// A successful request's body as a JSON object.
    func object(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> [String: Any]
    {
        let response = try await request(method, uri, body: body)
        #expect(response.status == .ok, "\(method) \(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try response.json()
    }

    func array(_ uri: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        let response = try await request(.get, uri)
        #expect(response.status == .ok, "GET \(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
    }

    /// Places an order and returns it (expects 200).
    func order(_ fields: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await object(.post, "/v2/orders", body: "{\(fields)}", sourceLocation: sourceLocation)
    }
}

extension TestResponse {
    /// Alpaca's error body: exactly `code` (8 digits) and a non-empty `message`, plus any extras;
    /// returns the code.
    func alpacaCode(sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let body = try json()
        let code = try #require(body["code"] as? Int, "\(String(buffer: self.body))", sourceLocation: sourceLocation)
        #expect((10_000_000...99_999_999).contains(code), sourceLocation: sourceLocation)
        #expect(code / 100_000 == Int(status.code), sourceLocation: sourceLocation)
        #expect((body["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        return code
    }

    func alpacaMessage() throws -> String {
        try #require(try json()["message"] as? String)
    }
}
