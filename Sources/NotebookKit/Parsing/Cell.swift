/// A Swift experiment block of a notebook: a fenced code block whose info string starts with
/// the word `swift`.
public struct Cell: Hashable, Sendable {
    /// The 0-based position among the notebook's Swift blocks.
    public var index: Int
    /// The block's options.
    public var options: BlockOptions
    /// The code, ending with a newline unless empty.
    public var code: String
    /// The line of the opening fence.
    public var fenceLine: Int
    /// The column of the opening fence (greater than 1 inside lists and quotes).
    public var fenceColumn: Int

    /// The line of the first line of code.
    public var codeLine: Int { fenceLine + 1 }

    /// Modules the code imports (`import BackMap` → `"BackMap"`).
    public var importedModules: [String] {
        code.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2, words[0] == "import" else { return nil }
            return String(words[1])
        }
    }
}
