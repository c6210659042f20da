import Foundation

/// Counter-based random numbers for the simulated market: every draw is a pure function of the seed
/// and the draw's coordinates (stream, symbol, position), hashed with SplitMix64's finaliser.
///
/// There is no generator state to advance, so a price at one instant never depends on what was asked
/// before, in which order, or on which thread, and any single point of a path can be computed
/// without drawing the numbers that come before it.
struct SimulatedNoise: Sendable, Hashable {
    /// Separates the draws that serve different purposes, so reusing coordinates across purposes
    /// never correlates them.
    enum Stream: UInt64 {
        /// Long-run levels every ``SimulatedPricePath/blockWeekdays`` weekdays.
        case knot = 1
        /// Day closes between the knots.
        case daily
        /// The overnight move at the open.
        case gap
        /// Minute prices between a session's open and close.
        case intraday
        case wickHigh
        case wickLow
        case volume
        case quoteSize
        case optionQuoteSize
    }

    let seed: UInt64

    /// 64 random bits for one coordinate.
    func bits(_ stream: Stream, _ key: UInt64, _ first: Int, _ second: Int = 0) -> UInt64 {
        var state = Self.mix(seed)
        state = Self.mix(state ^ stream.rawValue)
        state = Self.mix(state ^ key)
        state = Self.mix(state ^ UInt64(bitPattern: Int64(first)))
        return Self.mix(state ^ UInt64(bitPattern: Int64(second)))
    }

    /// Uniform in `[0, 1)`.
    func unit(_ stream: Stream, _ key: UInt64, _ first: Int, _ second: Int = 0) -> Double {
        Double(bits(stream, key, first, second) >> 11) / Double(UInt64(1) << 53)
    }

    /// Standard normal by Box–Muller from the two halves of one draw. The smallest uniform is 2⁻³³,
    /// so a draw never exceeds about 6.8 in magnitude: no infinite tails to blow a price up.
    func normal(_ stream: Stream, _ key: UInt64, _ first: Int, _ second: Int = 0) -> Double {
        let random = bits(stream, key, first, second)
        let u1 = (Double(random >> 32) + 0.5) / 4_294_967_296
        let u2 = Double(random & 0xFFFF_FFFF) / 4_294_967_296
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// SplitMix64: a Weyl step then Stafford's "Mix13" finaliser; every input bit reaches every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over UTF-8: unlike `Hasher`, the same in every process, so a seed means the same
    /// market on every run and every machine.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
