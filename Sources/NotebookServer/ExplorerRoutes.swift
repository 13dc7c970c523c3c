import Explorer
import FlyingFox
import Foundation

/// The explorer's JSON API over HTTP: `GET /api/model`, `/api/images`, `/api/features`,
/// `/api/backmap` and `POST /api/upload`. Every refusal is a 4xx with
/// `{"error": "field: message", "field": …}`.
///
/// ```swift
/// let routes = ExplorerRoutes(explorer: Explorer(root: root))
/// let response = await routes.respond(to: HTTPRequest(method: .GET, path: "/api/model"))
/// ```
public struct ExplorerRoutes: Sendable {
    /// The engine behind the API.
    public let explorer: Explorer

    /// Creates the routes.
    public init(explorer: Explorer) {
        self.explorer = explorer
    }

    /// Answers one API request.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let query = Dictionary(
            request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        do {
            switch (request.method, request.path) {
            case (.GET, "/api/model"):
                return try Self.json(try explorer.model(try ModelSelection.parse(query)))
            case (.GET, "/api/images"):
                let start = try Self.integer(query, "start", default: 0)
                let count = try Self.integer(query, "count", default: 16)
                return try Self.json(
                    try explorer.thumbnails(try ModelSelection.parse(query), start: start, count: count))
            case (.GET, "/api/features"):
                return try Self.json(try explorer.features(try FeatureQuery.parse(query)))
            case (.GET, "/api/backmap"):
                return try Self.json(try explorer.backMap(try ExplorerQuery.parse(query)))
            case (.POST, "/api/upload"):
                return try Self.json(try explorer.upload(try await Self.uploadedBytes(request)))
            case (_, "/api/model"), (_, "/api/images"), (_, "/api/features"), (_, "/api/backmap"),
                (_, "/api/upload"):
                throw ExplorerError(
                    status: 405, message: "\(request.method.rawValue) is not allowed on \(request.path)")
            default:
                throw ExplorerError(status: 404, message: "no API endpoint \(request.path)")
            }
        } catch let error as ExplorerError {
            return Self.failure(error)
        } catch {
            return Self.failure(ExplorerError(status: 500, message: "\(error)"))
        }
    }

    /// The body of an upload, refused before it is read when its declared length is too large.
    static func uploadedBytes(_ request: HTTPRequest) async throws -> [UInt8] {
        guard let declared = request.headers[.contentLength].flatMap({ Int($0) }) else {
            throw ExplorerError(status: 411, field: "upload", message: "an upload needs a Content-Length")
        }
        guard declared <= Explorer.maximumUploadBytes else {
            throw ExplorerError(
                status: 413, field: "upload",
                message:
                    "the upload is \(declared) bytes; at most \(Explorer.maximumUploadBytes) are accepted")
        }
        return [UInt8](try await request.bodyData)
    }

    static func integer(_ query: [String: String], _ name: String, default value: Int) throws -> Int {
        guard let text = query[name] else { return value }
        guard let number = Int(text) else {
            throw ExplorerError.badRequest(name, "expected a whole number, got \"\(text)\"")
        }
        return number
    }

    static func json(_ value: some Encodable, status: HTTPStatusCode = .ok) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return HTTPResponse(
            statusCode: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: try encoder.encode(value))
    }

    static func failure(_ error: ExplorerError) -> HTTPResponse {
        struct Body: Encodable {
            var error: String
            var field: String?
        }
        let phrases = [
            400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
            413: "Content Too Large",
        ]
        let status = HTTPStatusCode(error.status, phrase: phrases[error.status] ?? "Internal Server Error")
        let body = (try? JSONEncoder().encode(Body(error: error.description, field: error.field))) ?? Data()
        return HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: body)
    }
}
