/// A PNG that could not be encoded, decoded, read or written.
public struct PNGError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file involved, when there is one.
    public var source: String?
    /// What went wrong, for a person.
    public var message: String

    /// Creates an error.
    public init(source: String?, message: String) {
        self.source = source
        self.message = message
    }

    /// `file: message`, or the message alone.
    public var description: String { source.map { "\($0): \(message)" } ?? message }
}
