import Foundation
import NotebookSupport

/// Why a notebook program did not finish, attached to the block it stopped in: a thrown error,
/// a Swift runtime trap (with its line when the trap was in the notebook's code), a signal, the
/// time limit, a missing expected error, or an exit status.
enum RunFailure {
    /// The runtime's prefix of an error thrown at top level.
    static let topLevelPrefix = "Error raised at top level: "

    /// The error of a run that did not finish, or `nil` when it finished; the failed block gets
    /// the message as an unexpected error item, and loses the runtime's `Fatal error:` text.
    static func classify(
        _ result: Subprocess.Result, parsed: inout OutputParser.Parsed, notebook: Notebook, timeout: Int
    ) -> NotebookError? {
        if result.isSuccess && parsed.isFinished { return nil }
        guard let block = parsed.lastBlock, block < notebook.cells.count else {
            return NotebookError(
                file: notebook.path,
                message: "the notebook's program stopped before its first block (status \(result.status))")
        }
        let cell = notebook.cells[block]
        var line = cell.fenceLine
        let fatal = extractFatalError(from: &parsed.blocks[block], notebook: notebook)
        let message: String
        if result.isTimedOut {
            message =
                "the block was still running when the time limit of \(timeout) s ran out; "
                + "raise 'timeout:' in the front matter or pass --timeout"
        } else if let missing = parsed.blocks[block].items.lazy.compactMap(unexpectedErrorMessage).first {
            return NotebookError(file: notebook.path, line: cell.fenceLine, message: missing)
        } else if let fatal, fatal.message.hasPrefix(topLevelPrefix) {
            message = "the block threw an error: " + fatal.message.dropFirst(topLevelPrefix.count)
        } else if let fatal {
            message = "the block crashed: \(fatal.message)"
            line = fatal.line ?? line
        } else if result.isSignaled {
            message = signalMessage(result.status)
        } else {
            message = "the program exited with status \(result.status) during this block"
        }
        parsed.blocks[block].items.append(.error(message: message, isExpected: false))
        return NotebookError(file: notebook.path, line: line, message: message)
    }

    /// The message of a program ended by `signal`, with advice for runtime traps.
    static func signalMessage(_ signal: Int32) -> String {
        var message = "the block crashed with signal \(signal) (\(signalName(signal)))"
        if signal == SIGILL || signal == SIGTRAP {
            message +=
                ": a Swift runtime trap such as an index out of range, a nil "
                + "force-unwrap or an arithmetic overflow; build with --debug to see its message"
        }
        return message
    }

    /// Finds the Swift runtime's `Fatal error: …` line in a block's printed text, removes it
    /// and the stack trace after it, and returns its message and, when the trap happened in
    /// the notebook's own code, its line.
    static func extractFatalError(
        from block: inout RunRecord.Block, notebook: Notebook
    ) -> (message: String, line: Int?)? {
        let marker = "Fatal error: "
        for index in block.items.indices.reversed() {
            guard case .text(let text) = block.items[index], let range = text.range(of: marker) else {
                continue
            }
            let lineStart =
                text[..<range.lowerBound].lastIndex(of: "\n")
                .map { text.index(after: $0) } ?? text.startIndex
            let location = text[lineStart..<range.lowerBound]
            let message = String(text[range.upperBound...].prefix { $0 != "\n" })
            var line: Int?
            if location.hasPrefix(notebook.path + ":") {
                line = Int(location.dropFirst(notebook.path.count + 1).prefix { $0.isNumber })
            }
            block.items[index] = .text(String(text[..<lineStart]))
            return (message, line)
        }
        return nil
    }

    /// The signal's name, with what it usually means.
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGSEGV: "SIGSEGV, invalid memory access"
        case SIGABRT: "SIGABRT"
        case SIGKILL: "SIGKILL, killed"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        default: "signal \(signal)"
        }
    }

    /// The message of an error item the block did not expect (a missing expected error is
    /// reported by the program as one), or `nil`.
    static func unexpectedErrorMessage(_ item: OutputItem) -> String? {
        if case .error(let message, isExpected: false) = item { return message }
        return nil
    }

    /// An output item as the terminal shows it when its block failed.
    static func terminalText(of item: OutputItem) -> String {
        switch item {
        case .text(let text), .value(let text):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.suffix(20).map { "  | \($0)" }.joined(separator: "\n")
        case .error(let message, _): return "  | error: \(message)"
        case .table(_, let caption): return "  | [table: \(caption.text ?? "")]"
        case .image(let figure), .chart(let figure):
            return "  | [figure: \(figure.caption.text ?? figure.file)]"
        }
    }
}
