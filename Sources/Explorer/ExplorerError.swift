import Diagnostics

/// A request the explorer refuses or cannot answer, with the HTTP status to reply with and a
/// message that names the offending field.
///
/// ```swift
/// do { _ = try ExplorerQuery.parse(["model": "alexnet"]) } catch {
///     print(error.status, error)  // 400 model: unknown model "alexnet" (vgg7, resnet20, resnet20-fixup)
/// }
/// ```
public struct ExplorerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The HTTP status code: 400 for a malformed request, 404 for something that does not
    /// exist, 413 for an oversized upload, 500 for a failure of the engine or of a file.
    public var status: Int
    /// The request field at fault (`layer`, `row`, `image`), when one is.
    public var field: String?
    /// What was wrong and, where possible, what is allowed.
    public var message: String

    /// Creates an error.
    public init(status: Int, field: String? = nil, message: String) {
        self.status = status
        self.field = field
        self.message = message
    }

    /// A 400 about one field.
    ///
    /// ```swift
    /// throw ExplorerError.badRequest("k", "must be a positive finite number, got \"-1\"")
    /// ```
    public static func badRequest(_ field: String, _ message: String) -> ExplorerError {
        ExplorerError(status: 400, field: field, message: message)
    }

    /// `field: message`, or the message alone, as ``PlacedError`` writes it.
    public var description: String {
        PlacedError(at: Place(parts: field.map { [$0] } ?? []), message).description
    }
}
