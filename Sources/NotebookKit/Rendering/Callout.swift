/// A callout: a block quote whose first line is a GitHub-style marker such as `> [!NOTE]`.
///
/// ```markdown
/// > [!EXERCISE] Exercise 1: the bias share
/// > Compute ⟨x_b|H^b⟩ for the unit of Figure 2.
///
/// > [!SOLUTION]
/// > …
/// ```
///
/// Kinds: note, warning, objective (or objectives), exercise, solution. Solutions are folded
/// (a `<details>` element) unless the marker ends in `+`; any other kind is folded when the
/// marker ends in `-`. Text after the marker on its line replaces the default title.
struct Callout: Hashable, Sendable {
    /// The kinds a marker may name, with their default titles.
    static let kinds: [(name: String, title: String)] = [
        ("note", "Note"), ("warning", "Warning"), ("objective", "Objectives"),
        ("exercise", "Exercise"), ("solution", "Solution"),
    ]

    /// The kind (`note`, …), also the CSS class.
    var kind: String
    /// Whether the callout is shown folded.
    var isFolded: Bool
    /// The length of the marker in the first paragraph's text, `+`/`-` included.
    var markerLength: Int

    /// The default title of the kind.
    var defaultTitle: String { Self.kinds.first { $0.name == kind }?.title ?? kind.capitalized }

    /// The callout a block quote's first paragraph opens, if its text starts with a marker.
    init?(firstParagraphText text: String) {
        guard text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else { return nil }
        var name = text[text.index(text.startIndex, offsetBy: 2)..<close].lowercased()
        if name == "objectives" { name = "objective" }
        guard Self.kinds.contains(where: { $0.name == name }) else { return nil }
        kind = name
        let after = text[text.index(after: close)...]
        let sign = after.first
        isFolded = sign == "-" || (kind == "solution" && sign != "+")
        markerLength =
            text.distance(from: text.startIndex, to: close) + 1
            + (sign == "-" || sign == "+" ? 1 : 0)
    }

    /// The callout's HTML around its rendered content.
    ///
    /// - Parameters:
    ///   - firstParagraph: The first paragraph's inner HTML, marker included.
    ///   - rest: The HTML of the quote's other blocks.
    func render(firstParagraph: String, rest: String) -> String {
        var remainder = Substring(firstParagraph).dropFirst(markerLength)
        var title = defaultTitle
        let lineEnd = remainder.firstIndex(of: "\n") ?? remainder.endIndex
        let custom = remainder[..<lineEnd].trimmingCharacters(in: .whitespaces)
        if !custom.isEmpty { title = custom }
        remainder = remainder[lineEnd...].drop { $0 == "\n" }
        // The first paragraph's HTML, marker and title removed, and the quote's other blocks:
        // cmark's HTML of the notebook's Markdown, inserted as it is.
        let body = (remainder.isEmpty ? "" : "<p>\(remainder)</p>\n") + rest
        return Templates.render(
            isFolded ? .foldedCallout : .callout, Context(kind: kind, titleHTML: title, bodyHTML: body))
    }

    private struct Context {
        let kind: String
        let titleHTML: String
        let bodyHTML: String
    }
}
