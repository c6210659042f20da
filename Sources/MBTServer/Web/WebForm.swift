import Foundation
import Hummingbird

/// A form body (`application/x-www-form-urlencoded`) as names and values; a repeated name keeps
/// its first value.
struct WebForm {
    let values: [String: String]

    subscript(_ name: String) -> String? { values[name] }

    /// The value of `name` with surrounding spaces removed, `nil` when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    static let maximumSize = 16 * 1024

    static func read(_ request: Request) async throws -> WebForm {
        let buffer = try await request.body.collect(upTo: maximumSize)
        return WebForm(parsing: String(buffer: buffer))
    }

    init(values: [String: String]) {
        self.values = values
    }

    init(parsing body: String) {
        var values: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let name = decode(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        self.values = values
    }

    /// Refuses the form unless it carries `expected` as `csrf_token`.
    func requireCSRF(_ expected: String) throws {
        guard let sent = values["csrf_token"], WebTokens.equal(sent, expected) else { throw WebError.csrfRefused }
    }
}
