import Explorer
import FlyingFox
import Foundation
import NotebookKit
import Testing

@testable import NotebookServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The project root (two folders above this file's folder).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A site folder with one page, a secret beside it and a link out of it.
func makeSite() throws -> URL {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
        "serve-test-\(UUID().uuidString)")
    let site = base.appendingPathComponent("Site")
    try FileManager.default.createDirectory(
        at: site.appendingPathComponent("assets"), withIntermediateDirectories: true)
    try Data("<html><body><h1>page</h1></body></html>".utf8).write(
        to: site.appendingPathComponent("index.html"))
    try Data("body{}".utf8).write(to: site.appendingPathComponent("assets/site.css"))
    try Data("the-secret-content".utf8).write(to: base.appendingPathComponent("secret.txt"))
    try Data("hidden".utf8).write(to: site.appendingPathComponent(".hidden"))
    try FileManager.default.createSymbolicLink(
        at: site.appendingPathComponent("escape.txt"),
        withDestinationURL: base.appendingPathComponent("secret.txt"))
    return site
}

/// Starts a server for `handler` on a free port of 127.0.0.1; returns the port and the task.
func startServer(_ handler: PreviewHandler) async throws -> (port: UInt16, task: Task<Void, any Error>) {
    let server = try PreviewServer.make(host: "127.0.0.1", port: 0, handler: handler)
    let task = Task { try await server.run() }
    try await server.waitUntilListening()
    guard case .ip4(_, let port) = await server.listeningAddress else {
        task.cancel()
        throw ServeError(message: "not listening on IPv4")
    }
    return (port, task)
}

/// `GET path` on 127.0.0.1:port: the status and the body.
func get(_ path: String, port: UInt16) async throws -> (Int, String) {
    let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
    let (data, response) = try await URLSession.shared.data(from: url)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

@Suite("notebook serve", .serialized)
struct ServerTests {
    @Test("no request path reaches a file outside the site")
    func traversal() throws {
        let site = try makeSite()
        let files = StaticFiles(root: site)
        #expect(try files.resolve("/").lastPathComponent == "index.html")
        #expect(try files.resolve("/assets/site.css").lastPathComponent == "site.css")
        for path in [
            "/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/.hidden", "/escape.txt",
            "/a\\..\\b",
        ] {
            #expect(throws: StaticFiles.Refusal.forbidden(path), "\(path)") { try files.resolve(path) }
        }
        #expect(throws: StaticFiles.Refusal.notFound("/nothing.html")) { try files.resolve("/nothing.html") }
    }

    @Test("a real HTTP round trip on 127.0.0.1: page with live script, API answers and refusals")
    func roundTrip() async throws {
        let site = try makeSite()
        let handler = PreviewHandler(
            siteDirectory: site, modelDirectory: projectRoot.appendingPathComponent("Models"),
            explorer: Explorer(root: projectRoot, testImageLimit: 32), hub: EventHub())
        let server = try PreviewServer.make(host: "127.0.0.1", port: 0, handler: handler)
        let task = Task { try await server.run() }
        defer { task.cancel() }
        try await server.waitUntilListening()
        guard case .ip4(let host, let port) = await server.listeningAddress else {
            Issue.record("not listening on IPv4")
            return
        }
        #expect(host == "127.0.0.1")
        func get(_ path: String) async throws -> (Int, String) {
            let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
            let (data, response) = try await URLSession.shared.data(from: url)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }
        let (pageStatus, page) = try await get("/")
        #expect(pageStatus == 200 && page.contains("/__live/live.js") && page.contains("<h1>page</h1>"))
        let (explorerStatus, explorerPage) = try await get("/explore.html")
        #expect(explorerStatus == 200 && explorerPage.contains("Unit explorer"))
        let (status, body) = try await get("/api/backmap?model=vgg7&layer=3&channel=5&row=8&column=8")
        #expect(status == 200)
        let answer = try JSONDecoder().decode(BackMapAnswer.self, from: Data(body.utf8))
        #expect(answer.mode == "RM2(layer 3, channel 5, row 8, column 8)" && abs(answer.relativeError) < 1e-3)
        let (badStatus, badBody) = try await get("/api/backmap?model=alexnet")
        #expect(badStatus == 400 && badBody.contains("unknown model"))
        let (rangeStatus, rangeBody) = try await get("/api/backmap?layer=3&row=99")
        #expect(rangeStatus == 400 && rangeBody.contains("\"field\":\"row\""))
        let (escapeStatus, escapeBody) = try await get("/..%2f..%2fsecret.txt")
        #expect(escapeStatus >= 400 && !escapeBody.contains("the-secret-content"))
        let (modelStatus, _) = try await get("/models/vgg7.md")
        #expect(modelStatus == 200)
    }

    @Test("a site swapped in while its page is requested is served whole: the old or the new page")
    func swapWhileServing() async throws {
        let site = try makeSite()
        let staging = site.deletingLastPathComponent().appendingPathComponent("Site.new")
        let old = String(repeating: "old page ", count: 40_000)
        let new = String(repeating: "new page ", count: 50_000)
        try Data(old.utf8).write(to: site.appendingPathComponent("page.txt"))
        let handler = PreviewHandler(
            siteDirectory: site, modelDirectory: site, explorer: Explorer(root: projectRoot), hub: EventHub())
        let (port, task) = try await startServer(handler)
        defer { task.cancel() }
        // The builder's swap: write the new site beside it, move the old away, move the new in.
        let swapper = Task.detached {
            for round in 0..<60 {
                let manager = FileManager.default
                try manager.createDirectory(at: staging, withIntermediateDirectories: true)
                try Data((round % 2 == 0 ? new : old).utf8).write(
                    to: staging.appendingPathComponent("page.txt"))
                let away = site.deletingLastPathComponent().appendingPathComponent(".Site.old")
                try manager.moveItem(at: site, to: away)
                try manager.moveItem(at: staging, to: site)
                try manager.removeItem(at: away)
                try await Task.sleep(for: .milliseconds(3))
            }
        }
        var whole = 0
        for _ in 0..<150 {
            let (status, body) = try await get("/page.txt", port: port)
            #expect(status == 200)
            if body == old || body == new { whole += 1 }
        }
        try await swapper.value
        #expect(whole == 150)
    }

    @Test("an oversized upload is refused with 413 before it is read")
    func oversizedUpload() async throws {
        let routes = ExplorerRoutes(explorer: Explorer(root: projectRoot, testImageLimit: 8))
        let request = HTTPRequest(
            method: .POST, version: .http11, path: "/api/upload", query: [],
            headers: [.contentLength: "10000000"], body: Data())
        let response = await routes.respond(to: request)
        #expect(response.statusCode.code == 413)
        let small = HTTPRequest(
            method: .POST, version: .http11, path: "/api/upload", query: [],
            headers: [.contentLength: "5"], body: Data("hello".utf8))
        let refused = await routes.respond(to: small)
        #expect(refused.statusCode.code == 400)
        #expect(String(decoding: try await refused.bodyData, as: UTF8.self).contains("not a readable PNG"))
    }

    @Test("a failed build's errors become the overlay's JSON with file and line")
    func failurePayload() throws {
        let error = NotebookErrors([
            NotebookError(file: "Notebooks/x.md", line: 12, column: 3, message: "cannot find 'y' in scope")
        ])
        let json = LiveRebuilder.failureJSON(error)
        #expect(json.contains(#""file":"Notebooks\/x.md""#) || json.contains(#""file":"Notebooks/x.md""#))
        #expect(json.contains(#""line":12"#) && json.contains("cannot find"))
    }
}
