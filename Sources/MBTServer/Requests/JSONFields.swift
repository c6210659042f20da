import Foundation
import Hummingbird
import MBTDomain

/// A JSON object request body read field by field, so that every bad field is answered in the
/// user's terms: the field's name and what it accepts (`side must be buy or sell`), never a Swift
/// type or decoder message. Malformed JSON is a 400 `invalid_json`; a missing, unknown, null or
/// ill-typed field is a 422 `validation_failed`.
struct JSONFields {
    private let object: [String: Any]
    /// Put before every field name in messages: `legs[2].` for a leg.
    private let prefix: String

    var names: Set<String> { Set(object.keys) }

    init(object: [String: Any], prefix: String = "") {
        self.object = object
        self.prefix = prefix
    }

    /// Reads the request body as one JSON object and refuses fields outside `allowed`.
    static func read(_ request: Request, context: some RequestContext, allowed: Set<String>) async throws -> JSONFields {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "the body must be a JSON object")
        }
        let fields = JSONFields(object: object)
        if let unknown = fields.names.subtracting(allowed).sorted().first {
            throw APIError.validation("unknown field \(unknown); the fields are \(allowed.sorted().joined(separator: ", "))")
        }
        return fields
    }

    /// A present value, or `nil` when the field is absent; `null` is refused.
    private func value(_ name: String) throws -> Any? {
        guard let value = object[name] else { return nil }
        if value is NSNull { throw APIError.validation("\(prefix)\(name) must not be null; leave it out instead") }
        return value
    }

    private func text(_ name: String, expected: String) throws -> String? {
        guard let value = try value(name) else { return nil }
        guard let text = value as? String else { throw APIError.validation("\(prefix)\(name) must be \(expected)") }
        return text
    }

    static func missing(_ name: String) -> APIError { APIError.validation("\(name) is required") }

    func string(_ name: String) throws -> String? {
        try text(name, expected: "a string")
    }

    /// A decimal as a JSON string (`"10"`, `"0.5"`): exact, never through a binary float.
    func decimal(_ name: String) throws -> Decimal6? {
        let expected = "a decimal number in a string, such as \"10\" or \"187.25\""
        guard let text = try text(name, expected: expected) else { return nil }
        do {
            return try Decimal6(parsing: text)
        } catch .empty {
            throw APIError.validation("\(prefix)\(name) must be \(expected), not empty")
        } catch .tooManyFractionDigits {
            throw APIError.validation("\(prefix)\(name) has more than 6 decimals")
        } catch .outOfRange {
            throw APIError.validation("\(prefix)\(name) is out of range (at most 999999999999.999999)")
        } catch {
            throw APIError.validation("\(prefix)\(name) must be \(expected)")
        }
    }

    /// One of an enumeration's values, named in the message when the value is not one of them.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws -> Value? where Value.RawValue == String {
        let allowed = Self.list(Value.allCases.map(\.rawValue))
        guard let text = try text(name, expected: allowed) else { return nil }
        guard let value = Value(rawValue: text) else { throw APIError.validation("\(prefix)\(name) must be \(allowed)") }
        return value
    }

    /// A list of JSON objects (`legs`), each read like a body with `allowed` fields; an error in
    /// one names it as `name[n].field` (1-based).
    func objects(_ name: String, allowed: Set<String>) throws -> [JSONFields]? {
        guard let value = try value(name) else { return nil }
        guard let list = value as? [Any] else { throw APIError.validation("\(name) must be a list of objects") }
        return try list.enumerated().map { offset, element in
            let label = "\(name)[\(offset + 1)]"
            guard let object = element as? [String: Any] else { throw APIError.validation("\(label) must be an object") }
            let fields = JSONFields(object: object, prefix: label + ".")
            if let unknown = fields.names.subtracting(allowed).sorted().first {
                throw APIError.validation(
                    "unknown field \(label).\(unknown); a leg's fields are \(allowed.sorted().joined(separator: ", "))")
            }
            return fields
        }
    }

    /// A nested JSON object (`lcc`) read like a body with `allowed` fields; its errors name it as
    /// `name.field`.
    func object(_ name: String, allowed: Set<String>) throws -> JSONFields? {
        guard let value = try value(name) else { return nil }
        guard let object = value as? [String: Any] else { throw APIError.validation("\(prefix)\(name) must be an object") }
        let fields = JSONFields(object: object, prefix: prefix + name + ".")
        if let unknown = fields.names.subtracting(allowed).sorted().first {
            throw APIError.validation(
                "unknown field \(prefix)\(name).\(unknown); its fields are \(allowed.sorted().joined(separator: ", "))")
        }
        return fields
    }

    /// A whole number, as a JSON number or a string of digits (`1` or `"1"`, as Alpaca's SDKs send).
    func wholeNumber(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try value(name) else { return nil }
        let number: Int? =
            switch value {
            case let text as String: Int(text)
            // JSON true is an NSNumber too ("c"); a fraction is a double ("d").
            case let number as NSNumber where !["c", "d", "f"].contains(String(cString: number.objCType)): number.intValue
            default: nil
            }
        guard let number, range.contains(number) else {
            throw APIError.validation("\(prefix)\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func required<T>(_ name: String, _ read: (String) throws -> T?) throws -> T {
        guard let value = try read(name) else { throw Self.missing(prefix + name) }
        return value
    }

    /// `buy or sell`, `day, gtc or ioc`.
    static func list(_ values: [String]) -> String {
        guard values.count > 1 else { return values.first ?? "" }
        return values.dropLast().joined(separator: ", ") + " or " + values[values.count - 1]
    }
}
