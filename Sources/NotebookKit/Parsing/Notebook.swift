import Foundation
import MarkdownAST

/// A parsed notebook: front matter, Swift blocks, and the prose with its math protected.
public struct Notebook: Hashable, Sendable {
    /// The path used in messages and `#sourceLocation`, e.g. `Notebooks/x.md`.
    public var path: String
    /// The page's base name: the file name without `.md` (`x` for `Notebooks/x.md`).
    public var name: String
    /// The YAML header.
    public var frontMatter: FrontMatter
    /// The Swift blocks in order.
    public var cells: [Cell]
    /// The prose with math and cross-references replaced by tokens.
    public var markdown: ProtectedMarkdown
    /// The protected prose parsed by libcmark; its line numbers are the file's.
    public var document: MarkdownDocument

    /// The title: the front matter's, else the first level-1 heading's text, else ``name``.
    public var title: String {
        if let title = frontMatter.title { return title }
        let heading = document.blocks.first { $0.kind == .heading(level: 1) }
        return heading.map { plainText(of: $0) } ?? name
    }

    /// A node's text with math shown as its TeX source and references as their labels.
    public func plainText(of node: MarkdownNode) -> String {
        var result = ""
        var token: (mark: Character, digits: String)?
        for character in node.plainText {
            if var current = token {
                if character == ProtectedMarkdown.endMark {
                    let index = Int(current.digits) ?? -1
                    let isMath = current.mark == ProtectedMarkdown.mathMark
                    if isMath, markdown.math.indices.contains(index) {
                        result += markdown.math[index].tex
                    } else if markdown.references.indices.contains(index) {
                        result += markdown.references[index].label
                    }
                    token = nil
                } else {
                    current.digits.append(character)
                    token = current
                }
            } else if character == ProtectedMarkdown.mathMark
                || character == ProtectedMarkdown.referenceMark
            {
                token = (character, "")
            } else if character != ProtectedMarkdown.padding {
                result.append(character)
            }
        }
        return result
    }

    /// Reads and parses a notebook file.
    ///
    /// - Parameters:
    ///   - url: The Markdown file.
    ///   - path: How to name the file in messages (defaults to `url.path`).
    /// - Throws: ``NotebookError`` when the file is missing, unreadable, not UTF-8 or malformed.
    public init(contentsOf url: URL, path: String? = nil) throws {
        let displayPath = path ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw NotebookError(
                file: displayPath,
                message: exists
                    ? "cannot read the notebook: \(error.localizedDescription)"
                    : "no such notebook file"
            )
        }
        let bytes = [UInt8](data)
        if let offset = Self.firstInvalidUTF8Offset(bytes) {
            let line = bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw NotebookError(
                file: displayPath, line: line,
                message: "the notebook is not valid UTF-8 (byte \(offset) is 0x"
                    + String(bytes[offset], radix: 16, uppercase: true)
                    + "); save it as UTF-8"
            )
        }
        try self.init(source: String(decoding: bytes, as: UTF8.self), path: displayPath)
    }

    /// Parses notebook source text.
    ///
    /// - Parameters:
    ///   - source: The Markdown text, front matter included.
    ///   - path: The notebook's path for messages, e.g. `Notebooks/x.md`.
    /// - Throws: ``NotebookError`` naming the line of a malformed front matter, an unterminated
    ///   code fence, unknown block options or unterminated display math.
    public init(source: String, path: String) throws {
        self.path = path
        let fileName = (path as NSString).lastPathComponent
        name = fileName.hasSuffix(".md") ? String(fileName.dropLast(3)) : fileName
        var text = source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        let (frontMatter, body) = try FrontMatter.split(text, file: path)
        self.frontMatter = frontMatter

        // First pass: find code and HTML blocks, which math scanning must not touch.
        let plain = MarkdownDocument(parsing: body)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        var excluded = Set<Int>()
        var cells: [Cell] = []
        for node in plain.root.preOrder {
            switch node.kind {
            case .codeBlock(let info, let literal):
                excluded.formUnion(Self.lines(of: node))
                try Self.checkFenceIsClosed(node, lines: lines, path: path)
                let words = info.split(separator: " ", omittingEmptySubsequences: true)
                guard words.first == "swift" else { continue }
                let options: BlockOptions
                do {
                    options = try BlockOptions.parse(Array(words.dropFirst()))
                } catch {
                    throw NotebookError(
                        file: path, line: node.range.lowerLine, column: node.range.lowerColumn,
                        message: error.message
                    )
                }
                cells.append(
                    Cell(
                        index: cells.count, options: options, code: literal,
                        fenceLine: node.range.lowerLine, fenceColumn: node.range.lowerColumn
                    ))
            case .htmlBlock:
                excluded.formUnion(Self.lines(of: node))
            default:
                continue
            }
        }
        self.cells = cells
        markdown = try MathProtector(file: path, excludedLines: excluded).protect(body)
        document = MarkdownDocument(parsing: markdown.text)
    }
}

// MARK: - Private

extension Notebook {
    /// The lines a block spans.
    fileprivate static func lines(of node: MarkdownNode) -> ClosedRange<Int> {
        node.range.lowerLine...max(node.range.lowerLine, node.range.upperLine)
    }

    /// Reports a fenced code block that libcmark closed only because the file (or its list or
    /// quote) ended.
    fileprivate static func checkFenceIsClosed(
        _ node: MarkdownNode, lines: [Substring], path: String
    ) throws {
        let range = node.range
        guard range.lowerLine >= 1, range.lowerLine <= lines.count else { return }
        let opening = lines[range.lowerLine - 1].utf8.dropFirst(max(0, range.lowerColumn - 1))
        guard let fence = opening.first, fence == UInt8(ascii: "`") || fence == UInt8(ascii: "~")
        else { return }  // an indented code block has no fence
        let fenceLength = opening.prefix { $0 == fence }.count
        guard fenceLength >= 3 else { return }
        if range.upperLine > range.lowerLine, range.upperLine <= lines.count {
            let closing = lines[range.upperLine - 1].utf8.drop {
                $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\t")
            }
            let run = closing.prefix { $0 == fence }.count
            let rest = closing.dropFirst(run)
            if run >= fenceLength,
                rest.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            {
                return
            }
        }
        let marker = String(repeating: Character(UnicodeScalar(fence)), count: fenceLength)
        throw NotebookError(
            file: path, line: range.lowerLine, column: range.lowerColumn,
            message: "code fence '\(marker)' opened here is never closed; add a line with "
                + "'\(marker)' after the block's code"
        )
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence.
    fileprivate static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<max(1, length) where bytes[index + offset] & 0xC0 != 0x80 {
                return index
            }
            if length == 3 {
                let second = bytes[index + 1]
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) {
                    return index
                }
            }
            if length == 4 {
                let second = bytes[index + 1]
                if (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F) {
                    return index
                }
            }
            index += length
        }
        return nil
    }
}

/// Removes placeholder tokens and padding from text (for plain-text uses such as titles).
func stripTokens(_ text: String) -> String {
    var result = ""
    var isInToken = false
    for character in text {
        switch character {
        case ProtectedMarkdown.mathMark, ProtectedMarkdown.referenceMark: isInToken = true
        case ProtectedMarkdown.endMark: isInToken = false
        case ProtectedMarkdown.padding: continue
        default: if !isInToken { result.append(character) }
        }
    }
    return result
}
