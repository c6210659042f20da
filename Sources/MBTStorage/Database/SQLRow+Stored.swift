import Foundation
import MBTDomain
import SQLKit

extension SQLRow {
    /// A `NUMERIC(18,6)` column as a ``Decimal6``.
    public func decimal(_ column: String) throws -> Decimal6 {
        try decode(column: column, as: StoredDecimal.self).value
    }

    /// A nullable `NUMERIC(18,6)` column.
    public func optionalDecimal(_ column: String) throws -> Decimal6? {
        try decodeNil(column: column) ? nil : decimal(column)
    }

    /// A `TIMESTAMPTZ` column.
    public func timestamp(_ column: String) throws -> Date {
        try decode(column: column, as: StoredTimestamp.self).date
    }

    /// A nullable `TIMESTAMPTZ` column.
    public func optionalTimestamp(_ column: String) throws -> Date? {
        try decodeNil(column: column) ? nil : timestamp(column)
    }

    /// A `JSONB` column's text.
    public func json(_ column: String) throws -> String {
        try decode(column: column, as: StoredJSON.self).text
    }

    /// A text column holding one of an enum's raw values.
    public func enumValue<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try decode(column: column, as: String.self)
        guard let value = E(rawValue: raw) else {
            throw StorageError.corruptValue("column \(column) holds '\(raw)', not a \(E.self)")
        }
        return value
    }
}
