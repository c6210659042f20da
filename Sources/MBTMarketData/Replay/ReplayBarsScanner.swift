import Foundation
import MBTDomain

/// Reads the one shape that makes replay recordings large, Alpaca's multi-symbol bars response
/// (`{"bars":{"AAPL":[{"t":…,"o":…,"h":…,"l":…,"c":…,"v":…,"n":…,"vw":…},…],…},"next_page_token":…}`),
/// straight from the bytes into exact values, an order of magnitude faster than decoding it
/// through `Decimal` (docs/replay-format.md).
///
/// It takes only that shape written plainly: ASCII strings without escapes, numbers without
/// exponents, no key twice, no key it does not know. On anything else it answers `nil`, and the
/// file goes through ``ReplayJSONFile``'s decoder, which reads every accepted shape and names what
/// is wrong; so for a file both read, both give the same bars.
struct ReplayBarsScanner: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The file's bars, by symbol name and then in file order; `nil` when it is not plainly the
    /// multi-symbol bars shape.
    static func bars(in data: Data) -> [Bar]? {
        data.withUnsafeBytes { raw in
            var scanner = ReplayBarsScanner(raw)
            return scanner.document()
        }
    }

    // MARK: - The shape

    private mutating func document() -> [Bar]? {
        guard take("{") else { return nil }
        var bars: [Bar]?
        repeat {
            guard let key = string(), take(":") else { return nil }
            switch key {
            case "bars":
                guard bars == nil, let read = barsBySymbol() else { return nil }
                bars = read
            case "next_page_token", "currency":
                guard skipScalar() else { return nil }
            default: return nil
            }
        } while take(",")
        guard take("}") else { return nil }
        skipWhitespace()
        return index == bytes.count ? bars : nil
    }

    private mutating func barsBySymbol() -> [Bar]? {
        guard take("{") else { return nil }
        if take("}") { return [] }
        var bySymbol: [String: [Bar]] = [:]
        repeat {
            guard let symbol = string(), bySymbol[symbol] == nil, take(":"), let series = bars(of: symbol) else { return nil }
            bySymbol[symbol] = series
        } while take(",")
        guard take("}") else { return nil }
        return bySymbol.sorted { $0.key < $1.key }.flatMap(\.value)
    }

    private mutating func bars(of symbol: String) -> [Bar]? {
        guard take("[") else { return nil }
        var bars: [Bar] = []
        if take("]") { return bars }
        repeat {
            guard let bar = bar(of: symbol) else { return nil }
            bars.append(bar)
        } while take(",")
        return take("]") ? bars : nil
    }

    /// One bar: `t`, `o`, `h`, `l`, `c` and `v` required, `n` and `vw` optional (or null).
    private mutating func bar(of symbol: String) -> Bar? {
        guard take("{") else { return nil }
        var start: Date?
        var (open, high, low, close, vwap): (Decimal6?, Decimal6?, Decimal6?, Decimal6?, Decimal6?)
        var (volume, tradeCount): (Int64?, Int64?)
        var seen: UInt8 = 0
        repeat {
            guard let key = barKey(), seen & (1 << key.rawValue) == 0, take(":") else { return nil }
            seen |= 1 << key.rawValue
            switch key {
            case .t:
                guard let text = string(), let instant = RFC3339.parse(text) else { return nil }
                start = instant
            case .o: open = number()
            case .h: high = number()
            case .l: low = number()
            case .c: close = number()
            case .v: volume = count()
            case .n:
                if !takeNull() {
                    guard let value = count() else { return nil }
                    tradeCount = value
                }
            case .vw:
                if !takeNull() {
                    guard let value = number() else { return nil }
                    vwap = value
                }
            }
        } while take(",")
        guard take("}"), let start, let open, let high, let low, let close, let volume else { return nil }
        return Bar(
            symbol: symbol, start: start, open: open, high: high, low: low, close: close, volume: volume, tradeCount: tradeCount, vwap: vwap)
    }

    /// A bar's keys, each allowed once.
    private enum BarKey: UInt8 {
        case t, o, h, l, c, v, n, vw
    }

    /// A bar's key, read without making a string of it.
    private mutating func barKey() -> BarKey? {
        guard take("\""), index + 2 < bytes.count else { return nil }
        let (first, second) = (bytes[index], bytes[index + 1])
        if first == UInt8(ascii: "v"), second == UInt8(ascii: "w"), bytes[index + 2] == UInt8(ascii: "\"") {
            index += 3
            return .vw
        }
        guard second == UInt8(ascii: "\"") else { return nil }
        index += 2
        switch first {
        case UInt8(ascii: "t"): return .t
        case UInt8(ascii: "o"): return .o
        case UInt8(ascii: "h"): return .h
        case UInt8(ascii: "l"): return .l
        case UInt8(ascii: "c"): return .c
        case UInt8(ascii: "v"): return .v
        case UInt8(ascii: "n"): return .n
        default: return nil
        }
    }

    // MARK: - Tokens

    /// A string of printable ASCII without escapes.
    private mutating func string() -> String? {
        guard take("\"") else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// A JSON number without an exponent, as an exact amount (rounded half to even past six
    /// places, as every Alpaca price is read).
    private mutating func number() -> Decimal6? {
        skipWhitespace()
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0, bytes[integerStart] != UInt8(ascii: "0") || index == integerStart + 1 else { return nil }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        guard peek != UInt8(ascii: "e"), peek != UInt8(ascii: "E"), index - start <= 30 else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index]).assumingMemoryBound(to: UInt8.self)
        return try? Decimal6(utf8: text, rounding: .toNearestOrEven)
    }

    /// A number that is a whole count, zero or more.
    private mutating func count() -> Int64? {
        guard let value = number(), !value.isNegative, value.micros % Decimal6.microsPerUnit == 0 else { return nil }
        return value.micros / Decimal6.microsPerUnit
    }

    private mutating func digits() -> Int {
        let start = index
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    /// A string, a number or null: the values of the top-level keys beside `bars`.
    private mutating func skipScalar() -> Bool {
        skipWhitespace()
        if peek == UInt8(ascii: "\"") { return string() != nil }
        return takeNull() || number() != nil
    }

    private mutating func takeNull() -> Bool {
        skipWhitespace()
        let null: [UInt8] = Array("null".utf8)
        guard index + null.count <= bytes.count, bytes[index..<index + null.count].elementsEqual(null) else { return false }
        index += null.count
        return true
    }

    /// Skips whitespace, then takes `character` if it comes next.
    private mutating func take(_ character: Unicode.Scalar) -> Bool {
        skipWhitespace()
        guard peek == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
}
