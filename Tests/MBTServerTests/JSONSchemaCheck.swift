import Foundation
import Testing

/// A JSON value as parsed, keeping booleans, integers and other numbers apart.
indirect enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func parse(_ text: String) throws -> JSONValue {
        try parse(Data(text.utf8))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { object } else { nil }
    }

    var arrayValue: [JSONValue]? {
        if case .array(let array) = self { array } else { nil }
    }

    var stringValue: String? {
        if case .string(let string) = self { string } else { nil }
    }

    /// The JSON Schema type names this value has (an integer is also a number).
    var schemaTypes: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .number(let value): value.rounded() == value ? ["integer", "number"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.count) items]"
        case .object(let object): "{\(object.keys.sorted().joined(separator: ", "))}"
        }
    }
}

/// Checks JSON values against the JSON Schema subset the OpenAPI document uses: `type` (a name or
/// an array of names, `"null"` included), `enum`, `pattern`, `properties`, `required`,
/// `additionalProperties` (`false` or a schema), `items`, `oneOf`, and `$ref` to any JSON pointer in
/// the document. Any other validation keyword is reported, so the document cannot silently use one
/// the checker ignores. `format`, `description`, `examples` and `default` are annotations.
struct JSONSchemaCheck {
    /// The document `$ref`s point into.
    let document: JSONValue

    static let supported: Set<String> = [
        "$ref", "type", "enum", "pattern", "properties", "required", "additionalProperties", "items", "oneOf",
    ]
    static let annotations: Set<String> = ["description", "format", "examples", "default", "title"]

    struct Failure: Error, CustomStringConvertible {
        let problems: [String]
        var description: String { problems.joined(separator: "\n") }
    }

    /// Resolves a local reference such as `#/components/schemas/Order`.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = reference.dropFirst()
        guard !pointer.isEmpty else { return document }
        var node = document
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let object):
                guard let next = object[key] else { return nil }
                node = next
            case .array(let array):
                guard let index = Int(key), array.indices.contains(index) else { return nil }
                node = array[index]
            default:
                return nil
            }
        }
        return node
    }

    /// Every problem with `value` against `schema`; empty when it conforms.
    func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        if case .bool(let allowed) = schema { return allowed ? [] : ["\(path): no value is allowed here"] }
        guard let keywords = schema.objectValue else { return ["\(path): schema is not an object or boolean"] }
        var problems: [String] = []
        for keyword in keywords.keys where !Self.supported.contains(keyword) && !Self.annotations.contains(keyword) {
            problems.append("\(path): the checker does not support '\(keyword)'")
        }
        if let reference = keywords["$ref"] {
            guard let target = reference.stringValue.flatMap(resolve) else {
                return problems + ["\(path): unresolvable $ref \(reference)"]
            }
            problems += self.problems(value, target, at: path)
        }
        if let type = keywords["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if value.schemaTypes.isDisjoint(with: allowed) {
                // A wrong type makes the other keywords meaningless.
                return problems + ["\(path): expected \(allowed.joined(separator: " or ")), found \(value)"]
            }
        }
        if let options = keywords["enum"]?.arrayValue, !options.contains(value) {
            problems.append("\(path): \(value) is not one of \(options.map(\.description).joined(separator: ", "))")
        }
        if let pattern = keywords["pattern"]?.stringValue, case .string(let text) = value {
            do {
                if try Regex(pattern).firstMatch(in: text) == nil {
                    problems.append("\(path): \"\(text)\" does not match \(pattern)")
                }
            } catch {
                problems.append("\(path): invalid pattern \(pattern)")
            }
        }
        if case .object(let object) = value {
            let properties = keywords["properties"]?.objectValue ?? [:]
            for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                problems.append("\(path): missing required '\(name)'")
            }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    problems += self.problems(member, property, at: "\(path).\(name)")
                } else if let additional = keywords["additionalProperties"] {
                    if case .bool(false) = additional {
                        problems.append("\(path): unexpected property '\(name)'")
                    } else {
                        problems += self.problems(member, additional, at: "\(path).\(name)")
                    }
                }
            }
        }
        if case .array(let elements) = value, let items = keywords["items"] {
            for (index, element) in elements.enumerated() {
                problems += self.problems(element, items, at: "\(path)[\(index)]")
            }
        }
        if let options = keywords["oneOf"]?.arrayValue {
            let matching = options.filter { self.problems(value, $0, at: path).isEmpty }.count
            if matching != 1 {
                let details = options.flatMap { self.problems(value, $0, at: path) }
                problems.append("\(path): matches \(matching) of the oneOf schemas, not exactly one (\(details.joined(separator: "; ")))")
            }
        }
        return problems
    }

    /// Throws with every problem unless `value` conforms to `schema`.
    func validate(_ value: JSONValue, _ schema: JSONValue) throws {
        let found = problems(value, schema)
        if !found.isEmpty { throw Failure(problems: found) }
    }
}
