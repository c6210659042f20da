import Foundation
import HTTPTypes
import Hummingbird
import MBTDomain
import MBTMarketData
import NIOCore

/// The fake server's routes, answering in Alpaca's wire format.
enum FakeAlpacaRoutes {
    static func router(_ state: FakeAlpacaState) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/v2/stocks/quotes/latest") { request, _ in
            try await respond(state, request) { query in
                let symbols = list(query["symbols"])
                let quotes = await state.quotes
                return #"{"quotes":{"#
                    + symbols.compactMap { symbol in quotes[symbol].map { "\"\(symbol)\":\(AlpacaJSON.quote($0))" } }
                    .joined(separator: ",") + "}}"
            }
        }
        router.get("/v2/stocks/bars") { request, _ in
            try await respond(state, request) { query in try await barsPage(state, query) }
        }
        router.get("/v1beta1/options/quotes/latest") { request, _ in
            try await respond(state, request) { query in
                let quotes = await state.optionQuotes
                return #"{"quotes":{"#
                    + list(query["symbols"]).compactMap { symbol in
                        quotes[symbol].map { "\"\(symbol)\":\(AlpacaJSON.quote($0))" }
                    }.joined(separator: ",") + "}}"
            }
        }
        router.get("/v1beta1/options/snapshots/{underlying}") { request, context in
            let underlying = context.parameters.get("underlying") ?? ""
            return try await respond(state, request) { query in
                let chain = await state.chains[underlying] ?? []
                let expiry = query["expiration_date"]
                let entries = chain.filter { expiry == nil || $0.symbol.expiry.description == expiry }
                return #"{"snapshots":{"# + entries.map { "\"\($0.symbol)\":\(AlpacaJSON.snapshot($0))" }.joined(separator: ",")
                    + #"},"next_page_token":null}"#
            }
        }
        // The Trading API's asset list, served on the same port (tests point both base URLs here).
        router.get("/v2/assets") { request, _ in
            try await respond(state, request) { _ in
                let assets = await state.assets
                return "[" + assets.sorted { $0.key < $1.key }.map { #"{"symbol":"\#($0.key)","class":"us_equity","status":"active","tradable":\#($0.value)}"# }
                    .joined(separator: ",") + "]"
            }
        }
        router.get("/v1/corporate-actions") { request, _ in
            try await respond(state, request) { query in
                let actions = await state.corporateActions
                let symbols = Set(list(query["symbols"]))
                let start = query["start"].flatMap(MarketDate.init(iso:))
                let end = query["end"].flatMap(MarketDate.init(iso:))
                let selected = actions.filter { action in
                    (symbols.isEmpty || symbols.contains(action.symbol)) && start.map { action.exDate >= $0 } ?? true
                        && end.map { action.exDate <= $0 } ?? true
                }
                return AlpacaJSON.corporateActions(selected)
            }
        }
        return router
    }

    /// Records the request, applies authentication and the script, and answers with `makeBody`.
    private static func respond(
        _ state: FakeAlpacaState,
        _ request: Request,
        makeBody: ([String: String]) async throws -> String
    ) async throws -> Response {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        let keyID = request.headers[HTTPField.Name("APCA-API-KEY-ID")!]
        let secret = request.headers[HTTPField.Name("APCA-API-SECRET-KEY")!]
        let scripted = await state.record(
            .init(path: request.uri.path, query: query, keyID: keyID, secret: secret, receivedAt: Date()))
        var headers = await rateLimitHeaders(state)
        switch scripted {
        case .status(let code, let message, let extra)?:
            for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
            return json(HTTPResponse.Status(code: code), #"{"code":\#(code)10000,"message":"\#(message)"}"#, headers)
        case .garbage?:
            return json(.ok, "<html>not json", headers)
        case .delay(let duration)?:
            try await Task.sleep(for: duration)
        case nil:
            break
        }
        guard keyID == state.keyID, secret == state.secret else {
            return json(.forbidden, #"{"code":40310000,"message":"forbidden"}"#, headers)
        }
        return json(.ok, try await makeBody(query), headers)
    }

    private static func barsPage(_ state: FakeAlpacaState, _ query: [String: String]) async throws -> String {
        guard query["timeframe"] == "1Min" else {
            return #"{"code":42210000,"message":"invalid timeframe"}"#
        }
        let start = query["start"].flatMap { try? Date($0, strategy: .iso8601) } ?? .distantPast
        let end = query["end"].flatMap { try? Date($0, strategy: .iso8601) } ?? .distantFuture
        let allBars = await state.bars
        let pageSize = min(await state.barsPageSize, Int(query["limit"] ?? "1000") ?? 1000)
        // A multi-symbol listing is ordered by symbol, then time; a page may end mid-symbol.
        let flat = list(query["symbols"]).sorted().flatMap { symbol in
            (allBars[symbol] ?? []).filter { $0.start >= start && $0.start <= end }.sorted { $0.start < $1.start }
        }
        let offset = query["page_token"].flatMap { Data(base64Encoded: $0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        let page = flat.dropFirst(offset).prefix(pageSize)
        let next = offset + page.count < flat.count ? "\"\(Data(String(offset + page.count).utf8).base64EncodedString())\"" : "null"
        let grouped = Dictionary(grouping: page, by: \.symbol)
        let body = grouped.keys.sorted().map { symbol in
            "\"\(symbol)\":[" + grouped[symbol]!.map(AlpacaJSON.bar).joined(separator: ",") + "]"
        }.joined(separator: ",")
        return #"{"bars":{"# + body + #"},"next_page_token":"# + next + "}"
    }

    private static func rateLimitHeaders(_ state: FakeAlpacaState) async -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-RateLimit-Limit")!] = "200"
        headers[HTTPField.Name("X-RateLimit-Remaining")!] = "\(await state.rateLimitRemaining)"
        headers[HTTPField.Name("X-RateLimit-Reset")!] = "\(Int(await state.rateLimitReset.timeIntervalSince1970))"
        return headers
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String, _ headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private static func list(_ value: String?) -> [String] {
        (value ?? "").split(separator: ",").map(String.init)
    }
}
