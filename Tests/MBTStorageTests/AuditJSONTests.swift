import Foundation
import PropertyBased
import Testing

@testable import MBTStorage

/// The audit log's hand-written JSON reads back as the states it was given, whatever the text.
@Suite("Audit log JSON")
struct AuditJSONTests {
    static func parsed(_ state: [String: String]) throws -> [String: String]? {
        try JSONSerialization.jsonObject(with: Data(AuditLog.json(state).text.utf8)) as? [String: String]
    }

    @Test func awkwardTextRoundTrips() throws {
        let state = [
            "reason": "said \"no\" \\ twice\nthen\ttabbed\r", "control": "\u{01}\u{1f}", "unicode": "1-for-3 split → 33 shares ✓",
            "empty": "",
        ]
        #expect(try Self.parsed(state) == state)
        #expect(AuditLog.json(["b": "2", "a": "1"]).text == #"{"a":"1","b":"2"}"#)
    }

    @Test func anyStateRoundTrips() async {
        let text = Gen.latin1.string(of: 0...12)
        await propertyCheck(input: text, text, text) { key, value, other in
            let state = [key: value, key + "x": other]
            #expect((try? Self.parsed(state)) == state)
        }
    }
}
