/// An error that is a place and a message and nothing else: a file that cannot be read, a
/// record or tensor that is malformed, an image of the wrong size, a command that cannot do its
/// work. Errors a caller reacts to by kind (an ONNX import refusal, an HTTP status, an engine
/// argument out of range) are their own types and use ``Place`` for their rendering.
///
/// ```swift
/// throw PlacedError(file: "t.bin", "record 1", message: "label 12 is outside 0…9")
/// // t.bin: record 1: label 12 is outside 0…9
/// ```
public struct PlacedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is (empty when it is nowhere in particular).
    public var place: Place
    /// What is wrong and, where possible, what is allowed, for a person.
    public var message: String

    /// Creates an error at `place`.
    public init(at place: Place, _ message: String) {
        self.place = place
        self.message = message
    }

    /// Creates an error in `file` (when there is one), inside the given parts of it.
    public init(file: String?, _ parts: String..., message: String) {
        self.init(at: Place(file: file, parts: parts), message)
    }

    /// Creates an error that is nowhere in particular.
    public init(_ message: String) {
        self.init(at: Place(parts: []), message)
    }

    /// `place: message`, or the message alone when the place is empty.
    public var description: String { place.isEmpty ? message : "\(place): \(message)" }
}
