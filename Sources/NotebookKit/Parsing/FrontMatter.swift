import Foundation
import Yams

/// The YAML header of a notebook, between `---` lines at the very top of the file.
///
/// ```yaml
/// ---
/// title: Reconstruction modes
/// description: RM0–RM4 on a small CNN.
/// order: 2
/// timeout: 300
/// inputs: [Training/weights/vgg7.safetensors]
/// raw-html: false
/// macros: {'\R': '\mathbb{R}'}
/// fold-code: true
/// course: true
/// ---
/// ```
public struct FrontMatter: Hashable, Sendable {
    /// The page title; defaults to the notebook's file name.
    public var title: String?
    /// A one-sentence description for the index page.
    public var description: String
    /// The position on the index page (smaller first; notebooks without one come last, by
    /// file name).
    public var order: Int?
    /// Seconds the notebook's program may run before it is stopped.
    public var timeout: Int?
    /// Files (relative to the project root) the notebook reads; their contents are part of the
    /// cache key.
    public var inputs: [String]
    /// Whether raw HTML in the Markdown passes through to the page (otherwise it is escaped).
    public var allowsRawHTML: Bool
    /// KaTeX macros (`\name` → replacement) available in every equation of this notebook.
    public var macros: [String: String]
    /// Whether the page's code blocks are folded (`fold-code`); `nil` follows the site's
    /// default (`notebook --fold-code`).
    public var foldsCode: Bool?
    /// Whether the page is part of the course (`course`, default `true`): listed in the
    /// sidebar and the previous/next links. The runner's own demo sets `course: false`.
    public var isInCourse: Bool

    /// The keys a front matter may contain.
    public static let knownKeys = [
        "title", "description", "order", "timeout", "inputs", "raw-html", "macros", "fold-code",
        "course",
    ]

    /// Creates front matter; every field is optional.
    public init(
        title: String? = nil, description: String = "", order: Int? = nil, timeout: Int? = nil,
        inputs: [String] = [], allowsRawHTML: Bool = false, macros: [String: String] = [:],
        foldsCode: Bool? = nil, isInCourse: Bool = true
    ) {
        self.title = title
        self.description = description
        self.order = order
        self.timeout = timeout
        self.inputs = inputs
        self.allowsRawHTML = allowsRawHTML
        self.macros = macros
        self.foldsCode = foldsCode
        self.isInCourse = isInCourse
    }
}

// MARK: - Parsing

extension FrontMatter {
    /// Splits a notebook's source into front matter and body.
    ///
    /// The body keeps one empty line for every front matter line, so that line numbers in the
    /// body are the file's line numbers.
    ///
    /// - Parameters:
    ///   - source: The whole notebook.
    ///   - file: The notebook's path for error messages.
    /// - Returns: The front matter (empty when there is none) and the body.
    /// - Throws: ``NotebookError`` naming the line for an unterminated header, invalid YAML,
    ///   an unknown key or a value of the wrong type.
    public static func split(_ source: String, file: String) throws -> (FrontMatter, String) {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, isDelimiter(first, allowingDots: false) else {
            return (FrontMatter(), source)
        }
        guard
            let end = lines.indices.dropFirst().first(where: {
                isDelimiter(lines[$0], allowingDots: true)
            })
        else {
            throw NotebookError(
                file: file, line: 1,
                message: "front matter starting with '---' on line 1 is never closed; end it "
                    + "with a line holding only '---'"
            )
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let frontMatter = try parse(yaml: yaml, file: file)
        for index in 0...end { lines[index] = "" }
        return (frontMatter, lines.joined(separator: "\n"))
    }

    private static func isDelimiter(_ line: Substring, allowingDots: Bool) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed == "---" || (allowingDots && trimmed == "...")
    }

    /// YAML's resolver with integers limited to plain decimals of up to 18 digits: Yams 5 traps
    /// on overflow when it reads YAML 1.1's base-60 integers (`1234567890123:45`), and such
    /// values are never meant in a front matter (they stay text).
    private static var decimalIntegers: Resolver {
        // Rules are tried in order: the integer rule must come before the float rule.
        guard let integer = try? Resolver.Rule(.int, "^[-+]?[0-9]{1,18}$") else {
            preconditionFailure("the integer pattern is a valid regular expression")
        }
        return [.bool, integer, .float, .merge, .null, .timestamp, .value].reduce(Resolver.basic) {
            $0.appending($1)
        }
    }

    /// The deepest nesting a front matter may have (real ones have two or three levels).
    static let maximumNesting = 64

    /// An upper bound of the nesting depth of `yaml`: open flow brackets (`[`, `{`, quotes not
    /// considered) plus, per line, half its indentation and its chain of `- ` markers.
    static func nestingDepth(of yaml: String) -> Int {
        var flow = 0
        var deepest = 0
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = line[...]
            let indentation = rest.prefix { $0 == " " }.count
            rest = rest.dropFirst(indentation)
            var dashes = 0
            while rest.hasPrefix("- ") || rest == "-" {
                dashes += 1
                rest = rest.dropFirst(2)
            }
            deepest = max(deepest, flow + indentation / 2 + dashes)
            for character in rest {
                if character == "[" || character == "{" { flow += 1 }
                if character == "]" || character == "}" { flow = max(0, flow - 1) }
                deepest = max(deepest, flow + indentation / 2 + dashes)
            }
        }
        return deepest
    }

    /// The first mapping key anywhere in `node` that is a list or a mapping.
    private static func firstNonScalarKey(in node: Node) -> Node? {
        switch node {
        case .scalar: return nil
        case .sequence(let sequence): return sequence.lazy.compactMap(firstNonScalarKey).first
        case .mapping(let mapping):
            for (key, value) in mapping {
                if key.scalar == nil { return key }
                if let inner = firstNonScalarKey(in: value) { return inner }
            }
            return nil
        }
    }

    private static func parse(yaml: String, file: String) throws -> FrontMatter {
        guard let fields = try loadFields(yaml: yaml, file: file) else { return FrontMatter() }
        let reader = FieldReader(fields: fields, yaml: yaml, file: file)
        for key in fields.keys.sorted() where !knownKeys.contains(key) {
            throw NotebookError(
                file: file, line: reader.line(ofKey: key),
                message: "unknown front matter key '\(key)'; known keys: "
                    + knownKeys.joined(separator: ", ")
            )
        }
        var result = FrontMatter()
        result.title = try reader.field("title", as: String.self, expected: "a string")
        result.description =
            try reader.field("description", as: String.self, expected: "a string") ?? ""
        result.order = try reader.field("order", as: Int.self, expected: "an integer")
        result.timeout = try reader.field("timeout", as: Int.self, expected: "a number of seconds")
        if let timeout = result.timeout, timeout <= 0 {
            throw NotebookError(
                file: file, line: reader.line(ofKey: "timeout"),
                message: "front matter key 'timeout' must be a positive number of seconds"
            )
        }
        result.inputs =
            try reader.field("inputs", as: [String].self, expected: "a list of paths") ?? []
        result.allowsRawHTML =
            try reader.field("raw-html", as: Bool.self, expected: "true or false") ?? false
        result.macros =
            try reader.field(
                "macros", as: [String: String].self, expected: "a mapping of '\\name': 'TeX'"
            ) ?? [:]
        result.foldsCode = try reader.field("fold-code", as: Bool.self, expected: "true or false")
        result.isInCourse =
            try reader.field("course", as: Bool.self, expected: "true or false") ?? true
        return result
    }

    /// The front matter's top-level mapping (`nil` for an empty front matter), after the checks
    /// that keep Yams from trapping.
    private static func loadFields(yaml: String, file: String) throws -> [String: Any]? {
        let value: Any?
        do {
            // Yams loads nested values recursively: a deep nesting would overflow the stack.
            if nestingDepth(of: yaml) > maximumNesting {
                throw NotebookError(
                    file: file, line: 2,
                    message: "front matter nests lists or mappings more than \(maximumNesting) deep")
            }
            // Yams traps on a mapping key that is not a scalar (`? - x`): refuse those first.
            if let node = try Yams.compose(yaml: yaml), let key = firstNonScalarKey(in: node) {
                throw NotebookError(
                    file: file, line: key.mark.map { $0.line + 1 },
                    message: "front matter keys must be plain names, not lists or mappings")
            }
            value = try Yams.load(yaml: yaml, decimalIntegers)
        } catch let error as YamlError {
            throw NotebookError(
                file: file, line: yamlLine(of: error).map { $0 + 1 },
                message: "invalid YAML in front matter: \(yamlProblem(of: error))"
            )
        }
        guard let value else { return nil }
        guard let fields = value as? [String: Any] else {
            throw NotebookError(
                file: file, line: 2,
                message: "front matter must be a YAML mapping such as 'title: My notebook'"
            )
        }
        return fields
    }

    /// Reads typed values out of the front matter's mapping; a wrong type is an error at the
    /// key's line.
    private struct FieldReader {
        var fields: [String: Any]
        var yaml: String
        var file: String

        /// The notebook line of `key:` (the front matter starts on line 2).
        func line(ofKey key: String) -> Int? {
            yaml.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.hasPrefix(key + ":") }
                .map { $0 + 2 }
        }

        func field<T>(_ key: String, as type: T.Type, expected: String) throws -> T? {
            guard let raw = fields[key] else { return nil }
            guard let typed = raw as? T else {
                throw NotebookError(
                    file: file, line: line(ofKey: key),
                    message: "front matter key '\(key)' must be \(expected), got '\(raw)'"
                )
            }
            return typed
        }
    }

    private static func yamlLine(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _),
            .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func yamlProblem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return (context.map { "\($0.description) " } ?? "") + problem
        default:
            return error.description
        }
    }
}
