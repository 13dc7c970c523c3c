import Explorer
import FlyingFox
import FlyingSocks
import Foundation

/// What `notebook serve` answers: the built site (with the live-reload script added to each
/// page), the unit explorer's page and JSON API, the model cards, and the live-reload events.
///
/// ```swift
/// let handler = PreviewHandler(siteDirectory: site, modelDirectory: models, explorer: explorer, hub: hub)
/// let server = try PreviewServer.make(host: "127.0.0.1", port: 8000, handler: handler)
/// try await server.run()
/// ```
public struct PreviewHandler: HTTPHandler {
    /// The built site.
    public let site: StaticFiles
    /// The model folder (`/models/…`: model cards and weights).
    public let models: StaticFiles
    /// The explorer's API.
    public let routes: ExplorerRoutes
    /// The live-reload channel.
    public let hub: EventHub

    /// Creates the handler.
    public init(siteDirectory: URL, modelDirectory: URL, explorer: Explorer, hub: EventHub) {
        self.site = StaticFiles(root: siteDirectory)
        self.models = StaticFiles(root: modelDirectory)
        self.routes = ExplorerRoutes(explorer: explorer)
        self.hub = hub
    }

    /// Answers one request.
    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let path = request.path
        if path.hasPrefix("/api/") { return await routes.respond(to: request) }
        guard request.method == .GET || request.method == .HEAD else {
            return Self.text(.methodNotAllowed, "\(request.method.rawValue) is not allowed here\n")
        }
        switch path {
        case "/__live/events": return hub.response()
        case "/__live/live.js": return Self.page(LiveScript.source, type: "text/javascript; charset=utf-8")
        case "/explore.html", "/explore":
            return Self.page(ExplorerPage.html(live: true), type: "text/html; charset=utf-8")
        case "/explore.js": return Self.page(ExplorerScript.source, type: "text/javascript; charset=utf-8")
        default: break
        }
        if path.hasPrefix("/models/") {
            return try await file(models, String(path.dropFirst("/models".count)), injectsScript: false)
        }
        return try await file(site, path, injectsScript: true)
    }

    private func file(_ files: StaticFiles, _ path: String, injectsScript: Bool) async throws -> HTTPResponse
    {
        var attempt = 0
        while true {
            do {
                let url = try files.resolve(path)
                // The builder writes each file atomically and swaps the whole site folder in with
                // two renames, so a read sees the old or the new file, never a half-written one.
                var data = try Data(contentsOf: url)
                let type = StaticFiles.contentType(of: url)
                if injectsScript, type.hasPrefix("text/html") { data = Self.withLiveScript(data) }
                return HTTPResponse(
                    statusCode: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: data)
            } catch StaticFiles.Refusal.forbidden(let refused) {
                return Self.text(.forbidden, "\(refused) is outside the served folder\n")
            } catch StaticFiles.Refusal.notFound(let missing) {
                // Between the two renames of a site swap the folder is briefly absent: wait for
                // the new one rather than answer 404 for a page that exists before and after.
                guard !FileManager.default.fileExists(atPath: files.root.path), attempt < 20 else {
                    return Self.text(.notFound, "no file \(missing)\n")
                }
            } catch {
                // The file went away between finding and reading it (the old site was removed).
                guard attempt < 20 else { throw error }
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The page with the live-reload script before `</body>` (or at the end).
    static func withLiveScript(_ page: Data) -> Data {
        let tag = #"<script src="/__live/live.js" defer></script>"#
        var html = String(decoding: page, as: UTF8.self)
        if let end = html.range(of: "</body>", options: .backwards) {
            html.insert(contentsOf: tag, at: end.lowerBound)
        } else {
            html += tag
        }
        return Data(html.utf8)
    }

    static func page(_ text: String, type: String) -> HTTPResponse {
        HTTPResponse(
            statusCode: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: Data(text.utf8))
    }

    static func text(_ status: HTTPStatusCode, _ text: String) -> HTTPResponse {
        HTTPResponse(
            statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(text.utf8))
    }
}

/// Making the HTTP server.
public enum PreviewServer {
    /// An HTTP server for `handler` on `host` (an IPv4 or IPv6 address, or `localhost`) and `port`.
    ///
    /// - Throws: ``ServeError`` for a host that is not an IP address.
    public static func make(host: String, port: UInt16, handler: PreviewHandler) throws -> HTTPServer {
        let name = host == "localhost" ? "127.0.0.1" : host
        let address: any SocketAddress
        do {
            address =
                name.contains(":")
                ? try sockaddr_in6.inet6(ip6: name, port: port) : try sockaddr_in.inet(ip4: name, port: port)
        } catch {
            throw ServeError(message: "--host \(host): not an IPv4 or IPv6 address (\(error))")
        }
        let configuration = HTTPServer.Configuration(
            address: address, timeout: 60, pool: NoDelaySocketPool(base: HTTPServer.defaultPool()),
            logger: .disabled)
        return HTTPServer(config: configuration, handler: handler)
    }

    /// Serves `handler` on `host:port` until the server fails, pinging the live-reload streams
    /// every 10 s (so closed pages are noticed and idle connections stay open).
    ///
    /// - Throws: ``ServeError`` for a bad host; the server's error when it cannot listen.
    public static func serve(host: String, port: UInt16, handler: PreviewHandler) throws {
        let server = try make(host: host, port: port, handler: handler)
        let failure = Locked<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await server.run() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        let hub = handler.hub
        Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(10))
                hub.ping()
            }
        }
        done.wait()
        if let error = failure.withLock({ $0 }) {
            throw ServeError(message: "cannot serve on \(host):\(port): \(error)")
        }
    }
}

/// A setting `notebook serve` cannot use.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
