import Foundation
import Hummingbird

/// `GET /assets/app.js` and `/assets/app.css`: the page script and style sheet, package resources
/// read once at start-up. The only script the pages run (the Content-Security-Policy allows no other).
struct WebAssets {
    static let files: [String: (type: String, text: String)] = {
        var files: [String: (type: String, text: String)] = [:]
        for (name, type) in [("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8")] {
            guard let url = Bundle.module.url(forResource: "Assets", withExtension: nil)?.appendingPathComponent(name),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else { continue }
            files[name] = (type, text)
        }
        return files
    }()

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("/assets/{name}") { _, context -> Response in
            guard let name = context.parameters.get("name"), let file = Self.files[name] else { throw WebError.notFound }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: file.text)))
        }
    }
}
