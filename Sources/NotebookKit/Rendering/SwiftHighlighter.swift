/// A small Swift syntax highlighter for code on pages: keywords, strings, numbers, comments.
///
/// It only colours; it never changes the text, which is escaped.
enum SwiftHighlighter {
    private static let keywords: Set<String> = [
        "as", "break", "case", "catch", "class", "continue", "default", "defer", "do", "else",
        "enum", "extension", "false", "for", "func", "guard", "if", "import", "in", "init",
        "inout", "is", "let", "nil", "private", "protocol", "public", "repeat", "return", "self",
        "Self", "static", "struct", "switch", "throw", "throws", "true", "try", "var", "where",
        "while", "some", "any", "await", "async", "mutating", "typealias", "fileprivate",
        "internal",
    ]

    /// The escaped code with `<span class="…">` around tokens.
    static func highlight(_ code: String) -> String {
        let scanner = Scanner(characters: Array(code))
        var html = ""
        var index = 0
        while index < scanner.characters.count {
            let (kind, end) = scanner.token(at: index)
            let text = HTML.escape(String(scanner.characters[index..<end]))
            html += kind.map { "<span class=\"\($0)\">\(text)</span>" } ?? text
            index = end
        }
        return html
    }

    /// Finds where each token of the code ends and what kind it is.
    private struct Scanner {
        let characters: [Character]

        /// The class of the token starting at `index` (`nil` for plain text) and its end.
        func token(at index: Int) -> (kind: String?, end: Int) {
            let character = characters[index]
            if starts(with: "//", at: index) {
                return ("com", characters[index...].firstIndex(of: "\n") ?? characters.count)
            } else if starts(with: "/*", at: index) {
                return ("com", end(closedBy: "*/", from: index + 2))
            } else if starts(with: "\"\"\"", at: index) {
                return ("str", end(closedBy: "\"\"\"", from: index + 3))
            } else if character == "\"" {
                return ("str", stringEnd(from: index + 1))
            } else if character.isNumber {
                return ("num", numberEnd(from: index))
            } else if character == "$" {
                // Closure parameters `$0`, `$1`: plain text, not numbers.
                return (nil, end(of: \.isNumber, from: index + 1))
            } else if character.isLetter || character == "_" {
                let wordEnd = end(of: { $0.isLetter || $0.isNumber || $0 == "_" }, from: index)
                let word = String(characters[index..<wordEnd])
                if keywords.contains(word) { return ("kw", wordEnd) }
                return (word.first?.isUppercase == true ? "type" : nil, wordEnd)
            }
            return (nil, index + 1)
        }

        private func starts(with text: String, at position: Int) -> Bool {
            let pattern = Array(text)
            return position + pattern.count <= characters.count
                && Array(characters[position..<(position + pattern.count)]) == pattern
        }

        /// The end of a comment or multi-line string: after `delimiter`, or the code's end.
        private func end(closedBy delimiter: String, from start: Int) -> Int {
            var end = start
            while end < characters.count, !starts(with: delimiter, at: end) { end += 1 }
            return min(characters.count, end + delimiter.count)
        }

        /// The end of a one-line string: after its closing quote, at the line's end at most.
        private func stringEnd(from start: Int) -> Int {
            var end = start
            while end < characters.count, characters[end] != "\"", characters[end] != "\n" {
                end += characters[end] == "\\" ? 2 : 1
            }
            return min(characters.count, end + 1)
        }

        /// The end of a number literal: digits, `_`, and a `.` followed by a digit.
        private func numberEnd(from start: Int) -> Int {
            var end = start
            while end < characters.count {
                let current = characters[end]
                let isFraction =
                    current == "." && end + 1 < characters.count && characters[end + 1].isNumber
                guard current.isNumber || current == "_" || isFraction else { break }
                end += 1
            }
            return end
        }

        /// The end of the run of characters matching `belongs`.
        private func end(of belongs: (Character) -> Bool, from start: Int) -> Int {
            var end = start
            while end < characters.count, belongs(characters[end]) { end += 1 }
            return end
        }
    }
}
