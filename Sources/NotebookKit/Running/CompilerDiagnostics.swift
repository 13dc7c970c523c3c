/// The compiler's errors and warnings that point into notebooks, read from `swift build`'s
/// output (`path:line:column: error: message`; the generated programs' `#sourceLocation`
/// directives make the compiler name the notebook and its lines).
struct CompilerDiagnostics {
    /// Errors, each once, in the order printed.
    var errors: [NotebookError] = []
    /// Warnings as `path:line:column: warning: message` lines, each once.
    var warnings: [String] = []

    /// Reads the diagnostics of `output` that name one of `notebookPaths` (as given, or after a
    /// `/` when the compiler printed an absolute path).
    init(output: String, notebookPaths: [String]) {
        var seen = Set<Substring>()
        for line in output.split(separator: "\n") {
            for path in notebookPaths {
                guard let rest = Self.remainder(of: line, after: path) else { continue }
                let parts = rest.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4, let lineNumber = Int(parts[0]), seen.insert(line).inserted
                else { continue }
                let kind = parts[2].trimmingCharacters(in: .whitespaces)
                let message = parts[3].trimmingCharacters(in: .whitespaces)
                if kind == "error" {
                    errors.append(
                        NotebookError(file: path, line: lineNumber, column: Int(parts[1]), message: message))
                } else if kind == "warning" {
                    warnings.append("\(path):\(lineNumber):\(parts[1]): warning: \(message)")
                }
            }
        }
    }

    /// What follows `path:` in `line` when the line starts with it, directly or after a `/`.
    private static func remainder(of line: Substring, after path: String) -> Substring? {
        guard let range = line.range(of: path + ":"),
            range.lowerBound == line.startIndex || line[line.index(before: range.lowerBound)] == "/"
        else { return nil }
        return line[range.upperBound...]
    }
}
