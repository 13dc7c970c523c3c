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
        let characters = Array(code)
        var html = ""
        var index = 0
        func span(_ kind: String, _ range: Range<Int>) {
            html += "<span class=\"\(kind)\">\(HTML.escape(String(characters[range])))</span>"
        }
        func starts(with text: String, at position: Int) -> Bool {
            let pattern = Array(text)
            return position + pattern.count <= characters.count
                && Array(characters[position..<(position + pattern.count)]) == pattern
        }
        while index < characters.count {
            let character = characters[index]
            if starts(with: "//", at: index) {
                let end = characters[index...].firstIndex(of: "\n") ?? characters.count
                span("com", index..<end)
                index = end
            } else if starts(with: "/*", at: index) {
                var end = index + 2
                while end < characters.count, !starts(with: "*/", at: end) { end += 1 }
                end = min(characters.count, end + 2)
                span("com", index..<end)
                index = end
            } else if starts(with: "\"\"\"", at: index) {
                var end = index + 3
                while end < characters.count, !starts(with: "\"\"\"", at: end) { end += 1 }
                end = min(characters.count, end + 3)
                span("str", index..<end)
                index = end
            } else if character == "\"" {
                var end = index + 1
                while end < characters.count, characters[end] != "\"", characters[end] != "\n" {
                    end += characters[end] == "\\" ? 2 : 1
                }
                end = min(characters.count, end + 1)
                span("str", index..<end)
                index = end
            } else if character.isNumber {
                var end = index
                while end < characters.count {
                    let current = characters[end]
                    let isFraction =
                        current == "." && end + 1 < characters.count
                        && characters[end + 1].isNumber
                    guard current.isNumber || current == "_" || isFraction else { break }
                    end += 1
                }
                span("num", index..<end)
                index = end
            } else if character == "$" {
                // Closure parameters `$0`, `$1`: plain text, not numbers.
                var end = index + 1
                while end < characters.count, characters[end].isNumber { end += 1 }
                html += HTML.escape(String(characters[index..<end]))
                index = end
            } else if character.isLetter || character == "_" {
                var end = index
                while end < characters.count,
                    characters[end].isLetter || characters[end].isNumber || characters[end] == "_"
                {
                    end += 1
                }
                let word = String(characters[index..<end])
                if keywords.contains(word) {
                    span("kw", index..<end)
                } else if word.first?.isUppercase == true {
                    span("type", index..<end)
                } else {
                    html += HTML.escape(word)
                }
                index = end
            } else {
                html += HTML.escape(String(character))
                index += 1
            }
        }
        return html
    }
}
