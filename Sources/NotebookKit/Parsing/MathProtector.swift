/// A math span (`$…$` or `$$…$$`) found in a notebook's prose.
public struct MathSpan: Hashable, Sendable {
    /// The TeX between the dollar signs, as written.
    public var tex: String
    /// `true` for `$$…$$`.
    public var isDisplay: Bool
    /// The line of the opening dollar sign.
    public var line: Int
    /// The byte column of the opening dollar sign.
    public var column: Int
}

/// A cross-reference in prose: `\ref{label}` (e.g. "Figure 2") or `\eqref{label}` ("(3)").
public struct CrossReference: Hashable, Sendable {
    /// The label referred to.
    public var label: String
    /// `true` for `\eqref`, which prints the number in parentheses.
    public var isEquation: Bool
    /// The line of the backslash.
    public var line: Int
    /// The byte column of the backslash.
    public var column: Int
}

/// Markdown whose math spans and cross-references were replaced by placeholder tokens, so that
/// libcmark's inline parser cannot read `_`, `*`, `[` or `\` inside them.
///
/// A token is a private-use character, a decimal index and another private-use character; cmark
/// treats it as plain text. A span over several lines is replaced by its token followed, on each
/// later line, by a padding character, so that every line keeps its number.
public struct ProtectedMarkdown: Hashable, Sendable {
    /// The Markdown with tokens.
    public var text: String
    /// The math spans, indexed by their tokens.
    public var math: [MathSpan]
    /// The cross-references, indexed by their tokens.
    public var references: [CrossReference]

    /// Starts a math token.
    static let mathMark: Character = "\u{E000}"
    /// Starts a reference token.
    static let referenceMark: Character = "\u{E003}"
    /// Ends a token.
    static let endMark: Character = "\u{E001}"
    /// Pads a line that a multi-line span covered.
    static let padding: Character = "\u{E002}"
}

/// Finds math and cross-references in prose and replaces them by tokens.
///
/// Scanning skips code blocks and HTML blocks (given as excluded lines), inline code spans and
/// backslash escapes (`\$` is a literal dollar sign). Inline math follows Pandoc's rule: the
/// opening `$` is not followed by a space and the closing `$` is not preceded by a space nor
/// followed by a digit, so "costs $5 or $10" stays text. Neither kind of span crosses a blank
/// line.
public struct MathProtector {
    /// The notebook's path, for messages.
    public var file: String
    /// Lines (1-based) of code and HTML blocks, which are not scanned.
    public var excludedLines: Set<Int>

    /// A protector for one notebook body.
    public init(file: String, excludedLines: Set<Int>) {
        self.file = file
        self.excludedLines = excludedLines
    }

    private static let dollar = UInt8(ascii: "$")
    private static let backslash = UInt8(ascii: "\\")
    private static let backtick = UInt8(ascii: "`")
    private static let newline = UInt8(ascii: "\n")

    /// Protects `source`.
    ///
    /// - Throws: ``NotebookError`` for display math that is never closed and for a malformed
    ///   cross-reference.
    public func protect(_ source: String) throws -> ProtectedMarkdown {
        var scan = Scan(bytes: Array(source.utf8))
        while scan.index < scan.bytes.count {
            if scan.index == scan.lineStart, excludedLines.contains(scan.line) {
                scan.copyExcludedLine()
                continue
            }
            switch scan.bytes[scan.index] {
            case Self.newline:
                scan.output.append(Self.newline)
                scan.index += 1
                scan.startLine(at: scan.index)
            case Self.backslash: protectBackslash(&scan)
            case Self.backtick: protectCode(&scan)
            case Self.dollar: try protectMath(&scan)
            default:
                scan.output.append(scan.bytes[scan.index])
                scan.index += 1
            }
        }
        return ProtectedMarkdown(
            text: String(decoding: scan.output, as: UTF8.self), math: scan.math,
            references: scan.references)
    }

    /// The state of one pass over a notebook body: where it is, and what it has written and
    /// found so far.
    fileprivate struct Scan {
        let bytes: [UInt8]
        var output: [UInt8] = []
        var math: [MathSpan] = []
        var references: [CrossReference] = []
        var index = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            output.reserveCapacity(bytes.count)
        }

        /// The 1-based column of the current byte.
        var column: Int { index - lineStart + 1 }

        mutating func startLine(at position: Int) {
            line += 1
            lineStart = position
        }

        /// Copies a line the caller excluded (inside a code block) unchanged.
        mutating func copyExcludedLine() {
            let end = bytes[index...].firstIndex(of: MathProtector.newline) ?? bytes.count
            output += bytes[index..<min(bytes.count, end + 1)]
            index = end + 1
            startLine(at: index)
        }
    }

    /// A cross-reference (`\eqref{…}`, `\ref{…}`), an escaped character, or a plain backslash.
    fileprivate func protectBackslash(_ scan: inout Scan) {
        let bytes = scan.bytes
        let index = scan.index
        if let reference = crossReference(in: bytes, at: index) {
            scan.references.append(
                CrossReference(
                    label: reference.label, isEquation: reference.isEquation, line: scan.line,
                    column: scan.column))
            scan.output += token(ProtectedMarkdown.referenceMark, scan.references.count - 1)
            scan.index = reference.end
        } else if index + 1 < bytes.count, isEscapable(bytes[index + 1]) {
            scan.output += bytes[index...(index + 1)]
            scan.index += 2
        } else {
            scan.output.append(bytes[index])
            scan.index += 1
        }
    }

    /// An inline code span, copied unchanged (math inside code is not math).
    fileprivate func protectCode(_ scan: inout Scan) {
        let index = scan.index
        let run = runLength(of: Self.backtick, in: scan.bytes, at: index)
        let end =
            closingBackticks(in: scan.bytes, after: index + run, length: run, line: scan.line)
            ?? (index + run)
        copy(
            scan.bytes[index..<end], into: &scan.output, line: &scan.line,
            lineStart: &scan.lineStart, offset: index)
        scan.index = end
    }

    /// Inline (`$…$`) or display (`$$…$$`) math, replaced by a token; a lone `$` stays.
    fileprivate func protectMath(_ scan: inout Scan) throws {
        let bytes = scan.bytes
        let index = scan.index
        let isDisplay = index + 1 < bytes.count && bytes[index + 1] == Self.dollar
        let span =
            isDisplay
            ? displaySpan(in: bytes, at: index, line: scan.line)
            : inlineSpan(in: bytes, at: index, line: scan.line)
        guard let span else {
            if isDisplay {
                throw NotebookError(
                    file: file, line: scan.line, column: scan.column,
                    message: "display math '$$' is never closed before the end of its "
                        + "paragraph; close it with '$$' (write '\\$' for a dollar sign)"
                )
            }
            scan.output.append(bytes[index])
            scan.index += 1
            return
        }
        let delimiter = isDisplay ? 2 : 1
        let tex = String(decoding: bytes[(index + delimiter)..<(span - delimiter)], as: UTF8.self)
        scan.math.append(
            MathSpan(tex: tex, isDisplay: isDisplay, line: scan.line, column: scan.column))
        scan.output += token(ProtectedMarkdown.mathMark, scan.math.count - 1)
        for position in index..<span where bytes[position] == Self.newline {
            scan.output.append(Self.newline)
            scan.output += Array(String(ProtectedMarkdown.padding).utf8)
            scan.startLine(at: position + 1)
        }
        scan.index = span
    }
}

// MARK: - Private

extension MathProtector {
    fileprivate func token(_ mark: Character, _ number: Int) -> [UInt8] {
        Array("\(mark)\(number)\(ProtectedMarkdown.endMark)".utf8)
    }

    fileprivate func copy(
        _ slice: ArraySlice<UInt8>, into output: inout [UInt8], line: inout Int,
        lineStart: inout Int, offset: Int
    ) {
        output += slice
        for position in slice.indices where slice[position] == Self.newline {
            line += 1
            lineStart = position + 1
        }
    }

    fileprivate func isEscapable(_ byte: UInt8) -> Bool {
        // CommonMark's backslash-escapable characters: ASCII punctuation.
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte)
            || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }

    fileprivate func runLength(of byte: UInt8, in bytes: [UInt8], at index: Int) -> Int {
        var end = index
        while end < bytes.count, bytes[end] == byte { end += 1 }
        return end - index
    }

    /// Whether the line after the newline at `index` is blank or excluded, which ends a
    /// paragraph.
    fileprivate func endsParagraph(_ bytes: [UInt8], newlineAt index: Int, nextLine: Int) -> Bool {
        if excludedLines.contains(nextLine) { return true }
        var position = index + 1
        while position < bytes.count,
            bytes[position] == UInt8(ascii: " ")
                || bytes[position] == UInt8(ascii: "\t")
        {
            position += 1
        }
        return position >= bytes.count || bytes[position] == Self.newline
    }

    /// The index just after the run of exactly `length` backticks closing a code span.
    fileprivate func closingBackticks(in bytes: [UInt8], after start: Int, length: Int, line: Int) -> Int? {
        var position = start
        var currentLine = line
        while position < bytes.count {
            if bytes[position] == Self.newline {
                currentLine += 1
                if endsParagraph(bytes, newlineAt: position, nextLine: currentLine) { return nil }
                position += 1
            } else if bytes[position] == Self.backtick {
                let run = runLength(of: Self.backtick, in: bytes, at: position)
                if run == length { return position + run }
                position += run
            } else {
                position += 1
            }
        }
        return nil
    }

    /// The index just after the closing `$$` of display math opened at `start`.
    fileprivate func displaySpan(in bytes: [UInt8], at start: Int, line: Int) -> Int? {
        var position = start + 2
        var currentLine = line
        while position < bytes.count {
            switch bytes[position] {
            case Self.backslash:
                let next = position + 1
                position += next < bytes.count && bytes[next] != Self.newline ? 2 : 1
            case Self.newline:
                currentLine += 1
                if endsParagraph(bytes, newlineAt: position, nextLine: currentLine) { return nil }
                position += 1
            case Self.dollar where position + 1 < bytes.count && bytes[position + 1] == Self.dollar:
                return position > start + 2 ? position + 2 : nil
            default:
                position += 1
            }
        }
        return nil
    }

    /// The index just after the closing `$` of inline math opened at `start`, if it is math.
    fileprivate func inlineSpan(in bytes: [UInt8], at start: Int, line: Int) -> Int? {
        let first = start + 1
        guard first < bytes.count, !isSpace(bytes[first]) else { return nil }
        var position = first
        var currentLine = line
        while position < bytes.count {
            switch bytes[position] {
            case Self.backslash:
                let next = position + 1
                position += next < bytes.count && bytes[next] != Self.newline ? 2 : 1
            case Self.newline:
                currentLine += 1
                if endsParagraph(bytes, newlineAt: position, nextLine: currentLine) { return nil }
                position += 1
            case Self.dollar:
                let followedByDigit =
                    position + 1 < bytes.count
                    && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position + 1])
                if position > first, !isSpace(bytes[position - 1]), !followedByDigit {
                    return position + 1
                }
                position += 1
            default:
                position += 1
            }
        }
        return nil
    }

    fileprivate func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == Self.newline
    }

    /// A `\ref{label}` or `\eqref{label}` at `index`: its label, kind and end index.
    fileprivate func crossReference(
        in bytes: [UInt8], at index: Int
    ) -> (label: String, isEquation: Bool, end: Int)? {
        for (command, isEquation) in [("\\eqref{", true), ("\\ref{", false)] {
            let pattern = Array(command.utf8)
            guard index + pattern.count <= bytes.count,
                Array(bytes[index..<(index + pattern.count)]) == pattern
            else { continue }
            let labelStart = index + pattern.count
            guard let close = bytes[labelStart...].firstIndex(of: UInt8(ascii: "}")),
                close > labelStart,
                !bytes[labelStart..<close].contains(Self.newline)
            else { return nil }
            let label = String(decoding: bytes[labelStart..<close], as: UTF8.self)
            return (label, isEquation, close + 1)
        }
        return nil
    }
}
