import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import MBTDomain
import MBTServer
import MBTStorage
import MBTTestSupport
import MBTTrading
import NIOCore
import Testing

/// Builds the real application on a fresh test database and drives it through the router.
enum TestApp {
    static let now = Date(timeIntervalSince1970: 1_774_000_000)
    static let catalog = FeatureFlagCatalog(flags: [
        FeatureFlagCatalog.paperTrading: .init(
            description: "paper trading", risk: .high, defaults: [.development: true, .staging: false, .production: false])
    ])

    struct Fixture {
        let client: any TestClientProtocol
        let database: any DatabaseClient
        let environment: TestEnvironment
    }

    static func run(
        deployment: DeploymentEnvironment = .development,
        migrated: Bool = true,
        _ body: @escaping @Sendable (Fixture) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(migrated: migrated) { database in
            let environment = TestEnvironment()
            let gate = TradingGate(flags: catalog, deployment: deployment, environment: environment.processEnvironment)
            let dependencies = AppDependencies(database: database, gate: gate, clock: FixedClock(now), logger: TestDatabase.logger)
            let app = buildApplication(dependencies, host: "127.0.0.1", port: 0)
            try await app.test(.router) { client in
                try await body(Fixture(client: client, database: database, environment: environment))
            }
        }
    }
}

extension TestApp.Fixture {
    /// Creates a user and returns their bearer token.
    func user(_ name: String, role: UserRole = .user) async throws -> (User, String) {
        let created = try await UserStore(database: database).create(name: name, role: role, at: TestApp.now)
        return (created.user, created.token)
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any])
    }

    /// The `error.code` of an error response, checking the whole shape on the way.
    func errorCode() throws -> String {
        let error = try #require(try json()["error"] as? [String: Any])
        #expect(error.keys.sorted() == ["code", "message"])
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(headers[.contentType]?.hasPrefix("application/json") == true)
        return try #require(error["code"] as? String)
    }
}
