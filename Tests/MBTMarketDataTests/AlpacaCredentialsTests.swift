import Foundation
import MBTMarketData
import Testing

@Suite("Alpaca credentials")
struct AlpacaCredentialsTests {
    @Test func noneConfiguredMeansTheSimulatedMarket() throws {
        #expect(try AlpacaCredentials.fromEnvironment([:]) == nil)
        #expect(try AlpacaCredentials.fromEnvironment(["ALPACA_MARKET_DATA_KEY": "", "ALPACA_MARKET_DATA_SECRET": ""]) == nil)
    }

    @Test func readsThePairFromTheEnvironmentOrFiles() throws {
        #expect(try AlpacaCredentials.fromEnvironment(["ALPACA_MARKET_DATA_KEY": "k", "ALPACA_MARKET_DATA_SECRET": "s"]) != nil)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key")
        let secret = directory.appendingPathComponent("secret")
        try "key-from-file\n".write(to: key, atomically: true, encoding: .utf8)
        try "secret-from-file\n".write(to: secret, atomically: true, encoding: .utf8)
        let credentials = try AlpacaCredentials.fromEnvironment([
            "ALPACA_MARKET_DATA_KEY_FILE": key.path, "ALPACA_MARKET_DATA_SECRET_FILE": secret.path,
        ])
        let found = try #require(credentials)
        #expect(!"\(found)".contains("secret-from-file"))
        #expect(!String(reflecting: found).contains("secret-from-file"))
        #expect(!String(reflecting: found).contains("key-from-file"))
    }

    @Test func halfAPairOrAnUnreadableFileIsAnError() {
        #expect(throws: MarketDataError.self) { try AlpacaCredentials.fromEnvironment(["ALPACA_MARKET_DATA_KEY": "k"]) }
        #expect(throws: MarketDataError.self) {
            try AlpacaCredentials.fromEnvironment([
                "ALPACA_MARKET_DATA_KEY": "k", "ALPACA_MARKET_DATA_SECRET_FILE": "/nonexistent/secret",
            ])
        }
    }
}
