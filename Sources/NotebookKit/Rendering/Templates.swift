import Mustache

/// The site's HTML templates, rendered with swift-mustache so that escaping is the default.
///
/// `{{name}}` escapes `&`, `<`, `>`, `"` and `'`. `{{{name}}}` inserts HTML unchanged; the
/// templates use it only for fields whose names end in `HTML`, and those hold HTML that is raw
/// by nature: another template's output, KaTeX's typeset math, cmark's HTML of Markdown, the
/// highlighted code (``SwiftHighlighter`` escapes it) and a notebook's SVG chart. The sources
/// are in `TemplateSources.swift`.
enum Templates {
    /// The templates by name (partials such as `{{>caption}}` refer to these names).
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for template in Template.allCases {
            do {
                templates[template.rawValue] = try MustacheTemplate(string: template.source)
            } catch {
                preconditionFailure("the HTML template '\(template.rawValue)' does not parse: \(error)")
            }
        }
        return MustacheLibrary(templates: templates)
    }()

    /// Renders `template` with `context` (a value whose stored properties the template names).
    static func render(_ template: Template, _ context: Any) -> String {
        guard let html = library.render(context, withTemplate: template.rawValue) else {
            preconditionFailure("the HTML template '\(template.rawValue)' is missing")
        }
        return html
    }
}

/// The name of each template.
enum Template: String, CaseIterable, Sendable {
    case page, article, sidebar, explorerLinks, links, indexEntry, indexPage
    case callout, foldedCallout, cell
    case text, value, error, table, image, chart, caption, chartLabel
    case heading, list, blockQuote, codeBlock, escapedHTMLBlock, inlineCode, link, proseImage, reference
    case equation
}
