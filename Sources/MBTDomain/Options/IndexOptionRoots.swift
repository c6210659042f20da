/// The option roots on broad-based indexes that settle in cash: no shares change hands at exercise,
/// the holder receives the difference between the settlement value and the strike, times 100.
///
/// The tax engine tags contracts on these roots as Section 1256 contracts (non-equity options on
/// broad-based indexes: 60 % long-term / 40 % short-term and marked to market at year end), and the
/// settlement job pays them out in cash instead of delivering an underlying. All are European-style
/// except OEX, which is American-style but is still cash-settled on the S&P 100 and still a
/// Section 1256 contract; XEO is its European twin.
///
/// Weekly and PM-settled roots (SPXW, NDXP, RUTW, VIXW) trade on the same index as their monthly
/// root; the mini and micro roots (XSP, MRUT, XND, DJX, NANOS) are on their own scaled-down indexes.
/// The set is fixed here rather than configured because it changes only when an exchange lists a new
/// product, and a tax classification should not vary between deployments.
public enum IndexOptionRoots {
    /// Root → the index it settles against.
    private static let underlying: [String: String] = [
        // S&P 500: monthly AM-settled, weeklies/dailies PM-settled, and the retired PM-settled root.
        "SPX": "SPX", "SPXW": "SPX", "SPXPM": "SPX",
        // Mini-SPX (1/10 of the S&P 500) and S&P 500 Nanos (1/100).
        "XSP": "XSP", "NANOS": "NANOS",
        // Nasdaq-100, its PM-settled weeklies, and the Nasdaq-100 Micro index (1/100).
        "NDX": "NDX", "NDXP": "NDX", "XND": "XND",
        // Russell 2000, its weeklies, and the Mini-Russell 2000 (1/10).
        "RUT": "RUT", "RUTW": "RUT", "MRUT": "MRUT",
        // Cboe Volatility Index and its weeklies.
        "VIX": "VIX", "VIXW": "VIX",
        // S&P 100: OEX is American-style, XEO European-style.
        "OEX": "OEX", "XEO": "OEX",
        // Dow Jones Industrial Average at 1/100.
        "DJX": "DJX",
        // MSCI EAFE and MSCI Emerging Markets.
        "MXEA": "MXEA", "MXEF": "MXEF",
    ]

    /// The symbol whose price settles contracts on `root`: the index of an index root, else the
    /// root itself (the stock of an equity option).
    public static func settlementSymbol(of root: String) -> String {
        underlying[root] ?? root
    }

    /// Every cash-settled broad-based index option root.
    public static let cashSettled: Set<String> = Set(underlying.keys)

    /// Whether contracts on `root` settle in cash (and count as Section 1256 contracts).
    /// Roots are matched exactly as they appear in ``OptionSymbol/root``, i.e. uppercase.
    public static func isCashSettled(root: String) -> Bool {
        cashSettled.contains(root)
    }

    /// The index a root settles against, so weeklies and monthlies group together (`SPXW` → `SPX`).
    /// A root not in the set is returned unchanged, since an equity option's root is usually its
    /// underlying's ticker; exceptions (`BRKB`, adjusted roots like `CSGP1`) need other records to resolve.
    public static func underlyingIndex(ofRoot root: String) -> String {
        underlying[root] ?? root
    }
}
