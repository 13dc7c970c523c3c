import CCmark
import Foundation

/// libcmark's own HTML renderer, for Markdown fragments that need no custom treatment.
public enum MarkdownHTML {
    /// Renders CommonMark `markdown` to an HTML fragment.
    ///
    /// - Parameters:
    ///   - markdown: The Markdown source.
    ///   - allowsRawHTML: Pass raw HTML through (CMARK_OPT_UNSAFE). When `false`, raw HTML is
    ///     replaced by `<!-- raw HTML omitted -->` and `javascript:` links are dropped.
    ///   - isSmartPunctuation: Curly quotes and dashes (CMARK_OPT_SMART).
    /// - Returns: The HTML, ending with a newline unless empty.
    public static func render(
        _ markdown: String, allowsRawHTML: Bool = false, isSmartPunctuation: Bool = false
    ) -> String {
        var flags = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        if allowsRawHTML { flags |= CMARK_OPT_UNSAFE }
        if isSmartPunctuation { flags |= CMARK_OPT_SMART }
        // A Swift string's UTF-8 view with its length: embedded NULs are kept.
        let bytes = Array(markdown.utf8) + [0]
        guard
            let html = bytes.withUnsafeBufferPointer({ buffer -> UnsafeMutablePointer<CChar>? in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    chars.baseAddress.flatMap { cmark_markdown_to_html($0, buffer.count - 1, flags) }
                }
            })
        else {
            preconditionFailure("libcmark returned no HTML (out of memory)")
        }
        defer { free(html) }
        return String(cString: html)
    }
}
