import Foundation

/// Files served from one folder: a request path is mapped to a file inside it or refused, so
/// no request reaches the file system outside the folder.
///
/// ```swift
/// let site = StaticFiles(root: siteDirectory)
/// let file = try site.resolve("/rm-modes.html")  // …/Site/rm-modes.html
/// ```
public struct StaticFiles: Sendable {
    /// Why a path is not served.
    public enum Refusal: Error, Equatable, Sendable {
        /// The path leaves the folder (`..`, hidden names, a link pointing outside): 403.
        case forbidden(String)
        /// No such file: 404.
        case notFound(String)
    }

    /// The folder served, symbolic links resolved.
    public let root: URL

    /// Serves `root`.
    public init(root: URL) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    }

    /// The file for a request path (`/` and folders give their `index.html`).
    ///
    /// - Throws: ``Refusal/forbidden(_:)`` for a path with `..`, a hidden component, a NUL or
    ///   a backslash, or that resolves outside ``root``; ``Refusal/notFound(_:)`` otherwise.
    public func resolve(_ requestPath: String) throws(Refusal) -> URL {
        let path = requestPath.removingPercentEncoding ?? requestPath
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        for component in components {
            guard !component.hasPrefix("."), !component.contains("\0"), !component.contains("\\") else {
                throw .forbidden(requestPath)
            }
        }
        var url = components.reduce(root) { $0.appendingPathComponent(String($1)) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
        {
            url.appendPathComponent("index.html")
        }
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath()
        guard resolved.path == root.path || resolved.path.hasPrefix(root.path + "/") else {
            throw .forbidden(requestPath)
        }
        guard FileManager.default.isReadableFile(atPath: resolved.path),
            FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        else {
            throw .notFound(requestPath)
        }
        return resolved
    }

    /// The `Content-Type` of a file, by extension.
    public static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "ttf": "font/ttf"
        case "md", "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
