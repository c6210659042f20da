import Foundation
import SQLKit

/// One `audit_log` row: who changed what, when, and the state before and after where it matters.
public struct AuditEntry: Sendable {
    public var userId: Int64?
    public var actorUserId: Int64?
    public var action: String
    public var entityType: String?
    public var entityId: Int64?
    public var before: [String: String]?
    public var after: [String: String]?
    public var occurredAt: Date

    public init(
        userId: Int64?,
        actorUserId: Int64? = nil,
        action: String,
        entityType: String? = nil,
        entityId: Int64? = nil,
        before: [String: String]? = nil,
        after: [String: String]? = nil,
        occurredAt: Date
    ) {
        self.userId = userId
        self.actorUserId = actorUserId
        self.action = action
        self.entityType = entityType
        self.entityId = entityId
        self.before = before
        self.after = after
        self.occurredAt = occurredAt
    }
}

/// Writes the audit trail, inside the caller's transaction so the record and the change commit
/// together.
public enum AuditLog {
    public static func record(_ entry: AuditEntry, on db: any SQLDatabase) async throws {
        try await record([entry], on: db)
    }

    /// Several entries, in multi-row statements.
    public static func record(_ entries: [AuditEntry], on db: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        _ = try await BatchRows([
            "user_id": .optionalInt(entries.map(\.userId)), "actor_user_id": .optionalInt(entries.map(\.actorUserId)),
            "action": .text(entries.map(\.action)), "entity_type": .optionalText(entries.map(\.entityType)),
            "entity_id": .optionalInt(entries.map(\.entityId)), "before_state": .optionalJSON(entries.map { $0.before.map(json)?.text }),
            "after_state": .optionalJSON(entries.map { $0.after.map(json)?.text }), "occurred_at": .instant(entries.map(\.occurredAt)),
        ]).insert(into: "audit_log", on: db)
    }

    /// `{"key":"value",…}` with sorted keys. Written by hand: a flat object of strings needs no
    /// encoder, and a batch writes thousands of these (a JSONEncoder each cost more than the insert).
    static func json(_ state: [String: String]) -> StoredJSON {
        var text = "{"
        for (index, key) in state.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            appendQuoted(key, to: &text)
            text += ":"
            appendQuoted(state[key] ?? "", to: &text)
        }
        return StoredJSON(text: text + "}")
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped.
    private static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        // Most values (ids, statuses, prices) need no escape at all: appended whole.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
