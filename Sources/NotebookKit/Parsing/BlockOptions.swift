/// The options of a Swift experiment block, written after `swift` in its fence's info string.
///
/// ````markdown
/// ```swift hide-code
/// let network = try Network.load(...)
/// ```
/// ````
///
/// Options are words separated by spaces: `no-run`, `hide-code`, `hide-output`, `hide` (both
/// hides), `expect-error`, `fold` and `unfold`.
public struct BlockOptions: Hashable, Sendable {
    /// Run the block (`false` with `no-run`: the code is shown but not compiled).
    public var isRun = true
    /// Show the code on the page (`false` with `hide-code` or `hide`).
    public var showsCode = true
    /// Show the block's output on the page (`false` with `hide-output` or `hide`).
    public var showsOutput = true
    /// The block is expected to throw an error (`expect-error`); the error is shown and the
    /// run continues. Such a block runs in its own scope, so its declarations are local.
    public var expectsError = false
    /// Whether the code is shown folded in a `<details>` element: `true` with `fold`, `false`
    /// with `unfold`, `nil` to follow the page's `fold-code` and the site's default.
    public var foldsCode: Bool?

    /// Every option word and what it does, for documentation and error messages.
    public static let vocabulary: [(word: String, meaning: String)] = [
        ("no-run", "show the code, do not compile or run it"),
        ("hide-code", "run, but do not show the code"),
        ("hide-output", "run, but do not show the output"),
        ("hide", "run, show neither code nor output (setup code)"),
        ("expect-error", "the block must throw; its error is shown and the run goes on"),
        ("fold", "show the code folded (one click unfolds it)"),
        ("unfold", "show the code unfolded even where the page or the site folds code"),
    ]

    /// Creates the default options: run, show code and output, no error expected.
    public init() {}

    /// Parses the words after `swift` in an info string.
    ///
    /// - Parameter words: The info string's words after the language, e.g. `["hide-code"]`.
    /// - Throws: A message naming an unknown or contradictory option.
    static func parse(_ words: [Substring]) throws(OptionError) -> BlockOptions {
        var options = BlockOptions()
        for word in words {
            switch word {
            case "no-run": options.isRun = false
            case "hide-code": options.showsCode = false
            case "hide-output": options.showsOutput = false
            case "hide":
                options.showsCode = false
                options.showsOutput = false
            case "expect-error": options.expectsError = true
            case "fold", "unfold":
                if options.foldsCode != nil {
                    throw OptionError(message: "a block can be 'fold' or 'unfold', not both")
                }
                options.foldsCode = word == "fold"
            default:
                let known = vocabulary.map(\.word).joined(separator: ", ")
                throw OptionError(message: "unknown block option '\(word)'; known options: \(known)")
            }
        }
        if !options.isRun && options.expectsError {
            throw OptionError(message: "a block cannot be both 'no-run' and 'expect-error'")
        }
        if !options.isRun && !options.showsCode {
            throw OptionError(message: "a 'no-run' block with hidden code would show nothing")
        }
        return options
    }

    /// Why an info string's options are invalid.
    struct OptionError: Error {
        var message: String
    }
}
