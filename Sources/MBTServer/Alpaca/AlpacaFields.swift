import Foundation
import Hummingbird
import MBTDomain

/// A `/v2` JSON body read field by field, the way Alpaca's clients write it: decimals as JSON
/// numbers (alpaca-py sends `10.0`) or strings (the Go SDK sends `"10"`), and `""` or `null` for a
/// field left unset, which counts as absent. Unknown fields are ignored, as Alpaca ignores them.
/// A malformed body is a 400 (`40010000`); a bad field a 422 (`42210000`) naming the field.
struct AlpacaFields {
    private let object: [String: Any]
    /// Put before every field name in messages: `legs[2].` for a leg.
    let prefix: String

    init(object: [String: Any], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    static func read(_ request: Request, context: some RequestContext) async throws -> AlpacaFields {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            throw AlpacaError.badRequest("request body format is invalid: it must be a JSON object")
        }
        return AlpacaFields(object: object)
    }

    /// Whether the field holds a value (not absent, `null` or `""`).
    func has(_ name: String) -> Bool { value(name) != nil }

    private func value(_ name: String) -> Any? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        if let text = value as? String, text.isEmpty { return nil }
        return value
    }

    func string(_ name: String) throws -> String? {
        guard let value = value(name) else { return nil }
        guard let text = value as? String else { throw AlpacaError.validation("\(prefix)\(name) must be a string") }
        return text
    }

    /// A decimal from a string or a JSON number. A number goes through its shortest decimal form
    /// (`150.1` stays `150.1`), never through arithmetic on a binary float.
    func decimal(_ name: String) throws -> Decimal6? {
        guard let value = value(name) else { return nil }
        let text: String
        switch value {
        case let string as String:
            text = string
        case let number as NSNumber where !Self.isBoolean(number):
            text = Self.isInteger(number) ? "\(number.int64Value)" : "\(number.doubleValue)"
        default:
            throw AlpacaError.validation("\(prefix)\(name) must be a decimal number, such as \"10\" or 187.25")
        }
        do {
            return try Decimal6(parsing: text)
        } catch .tooManyFractionDigits {
            throw AlpacaError.validation("\(prefix)\(name) has more than 6 decimals")
        } catch .outOfRange {
            throw AlpacaError.validation("\(prefix)\(name) is out of range")
        } catch {
            throw AlpacaError.validation("\(prefix)\(name) must be a decimal number, such as \"10\" or 187.25 (got \(text.prefix(40)))")
        }
    }

    /// A boolean, also as the strings `true`/`false` in any case.
    func bool(_ name: String) throws -> Bool? {
        guard let value = value(name) else { return nil }
        if let number = value as? NSNumber, Self.isBoolean(number) { return number.boolValue }
        if let text = value as? String, let flag = Bool(text.lowercased()) { return flag }
        throw AlpacaError.validation("\(prefix)\(name) must be true or false")
    }

    /// One of `allowed` (lower-cased text); anything else names the choices.
    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = try string(name) else { return nil }
        guard allowed.contains(text.lowercased()) else {
            throw AlpacaError.validation("\(prefix)\(name) must be one of \(allowed.joined(separator: ", ")) (got \(text.prefix(40)))")
        }
        return text.lowercased()
    }

    /// A list of strings (a watchlist's `symbols`).
    func strings(_ name: String) throws -> [String]? {
        guard let value = value(name) else { return nil }
        guard let list = value as? [Any], let texts = list as? [String] else {
            throw AlpacaError.validation("\(prefix)\(name) must be a list of strings, such as [\"AAPL\"]")
        }
        return texts
    }

    /// A list of objects (`legs`), each read like a body; errors name `legs[n].field` (1-based).
    func objects(_ name: String) throws -> [AlpacaFields]? {
        guard let value = value(name) else { return nil }
        guard let list = value as? [Any] else { throw AlpacaError.validation("\(prefix)\(name) must be a list of objects") }
        return try list.enumerated().map { offset, element in
            guard let object = element as? [String: Any] else { throw AlpacaError.validation("\(name)[\(offset + 1)] must be an object") }
            return AlpacaFields(object: object, prefix: "\(name)[\(offset + 1)].")
        }
    }

    func required<T>(_ name: String, _ read: (String) throws -> T?) throws -> T {
        guard let value = try read(name) else { throw AlpacaError.validation("\(prefix)\(name) is required") }
        return value
    }

    /// JSON `true`/`false` arrive as NSNumber too; their type code is `c` (a char).
    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private static func isInteger(_ number: NSNumber) -> Bool {
        !["d", "f"].contains(String(cString: number.objCType))
    }
}
