/// A failure of a command's work (not of its arguments): printed as `Error: <message>` without
/// the usage text that ArgumentParser adds to a `ValidationError`.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
