import Foundation

/// Why market data could not be had, in terms the API can answer with.
public enum MarketDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source refused our credentials, or none are configured.
    case unauthorized(String)
    /// The source's rate limit is exhausted; `until` is when it resets, if known.
    case rateLimited(until: Date?)
    /// The symbol is not one the source knows.
    case unknownSymbol(String)
    /// The source is down, failing or too slow.
    case upstreamUnavailable(String)
    /// The source answered something we cannot read.
    case malformedResponse(String)
    /// The request itself is wrong (bad symbol syntax, bad range, too many symbols).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .unauthorized(let reason): "market data source refused the credentials: \(reason)"
        case .rateLimited(let until): "market data rate limit reached" + (until.map { ", resets at \($0.formatted(.iso8601))" } ?? "")
        case .unknownSymbol(let symbol): "unknown symbol \(symbol)"
        case .upstreamUnavailable(let reason): "market data source unavailable: \(reason)"
        case .malformedResponse(let reason): "market data source sent an unreadable response: \(reason)"
        case .invalidRequest(let reason): reason
        }
    }
}
