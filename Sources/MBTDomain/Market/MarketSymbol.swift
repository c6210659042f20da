/// Syntax of a stock, ETF or index symbol as users type it.
public enum MarketSymbol {
    /// The symbol in canonical (upper-case) form, or why it is not a symbol. Option contracts use
    /// ``OptionSymbol`` instead.
    public static func normalize(_ text: String) -> Result<String, SymbolError> {
        let upper = text.uppercased()
        guard (1...10).contains(upper.count), let first = upper.unicodeScalars.first, (65...90).contains(first.value),
            upper.unicodeScalars.allSatisfy({ (65...90).contains($0.value) || (48...57).contains($0.value) || $0 == "." || $0 == "-" })
        else {
            return .failure(SymbolError(text: text))
        }
        return .success(upper)
    }

    public struct SymbolError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String

        public var description: String {
            "'\(text.prefix(24))' is not a symbol (1–10 letters, digits, '.' or '-', starting with a letter)"
        }
    }
}
