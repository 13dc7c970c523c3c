import Foundation

/// Typesets TeX to HTML with KaTeX at build time, in one `node` process per call.
///
/// Output is KaTeX's `htmlAndMathml`: it reads without JavaScript and gives screen readers
/// MathML. Pages need `katex.min.css` and the KaTeX fonts (see ``SiteAssets``).
public struct Typesetter: Sendable {
    /// One equation to typeset.
    public struct Request: Hashable, Sendable {
        /// The TeX source.
        public var tex: String
        /// Display style (`$$…$$`) rather than inline.
        public var isDisplay: Bool
        /// Macros for this equation (`\name` → replacement).
        public var macros: [String: String]

        /// Creates a request.
        public init(tex: String, isDisplay: Bool, macros: [String: String] = [:]) {
            self.tex = tex
            self.isDisplay = isDisplay
            self.macros = macros
        }
    }

    /// An equation KaTeX rejected.
    public struct Failure: Error, Sendable {
        /// The position of the request in the batch.
        public var index: Int
        /// KaTeX's message.
        public var message: String
    }

    /// Macros every notebook gets: `\bigtimes`, the paper's n-ary Cartesian product, which KaTeX
    /// lacks.
    public static let standardMacros = [
        "\\bigtimes": "\\mathop{\\vcenter{\\hbox{\\LARGE$\\times$}}}"
    ]

    /// The `NODE_PATH` where Debian's `katex` package installs the module.
    public var nodePath: String

    /// Creates a typesetter.
    public init(nodePath: String = "/usr/share/nodejs") {
        self.nodePath = nodePath
    }

    /// Typesets a batch of equations.
    ///
    /// - Returns: One HTML fragment per request, in order.
    /// - Throws: ``Failure`` for the first rejected equation, or an error when `node` or KaTeX
    ///   cannot be started.
    public func typeset(_ requests: [Request]) throws -> [String] {
        guard !requests.isEmpty else { return [] }
        guard let node = Subprocess.find("node") ?? Subprocess.find("nodejs") else {
            throw TypesetterError(
                message: "'node' is not on PATH; install Debian's 'katex' "
                    + "package (apt-get install katex)")
        }
        let payload: [[String: Any]] = requests.map { request in
            [
                "tex": request.tex, "display": request.isDisplay,
                "macros": Self.standardMacros.merging(request.macros) { $1 },
            ]
        }
        let input = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        var environment = ["NODE_PATH": nodePath]
        if let existing = ProcessInfo.processInfo.environment["NODE_PATH"], !existing.isEmpty {
            environment["NODE_PATH"] = nodePath + ":" + existing
        }
        // The requests travel in a temporary file: feeding them through a stdin pipe made
        // Foundation's Process wait up to a second longer on Linux.
        let requestFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("notebook-katex-\(getpid())-\(UUID().uuidString).json")
        try input.write(to: requestFile)
        defer { try? FileManager.default.removeItem(at: requestFile) }
        let result = try Subprocess(
            executable: node, arguments: ["-e", Self.script, requestFile.path],
            environment: environment, timeout: 120, mergesStandardError: false
        ).run()
        guard result.isSuccess,
            let answers = try JSONSerialization.jsonObject(with: result.output)
                as? [[String: String]],
            answers.count == requests.count
        else {
            let message = String(decoding: result.errorOutput, as: UTF8.self)
            throw TypesetterError(
                message: "KaTeX (node) failed: "
                    + message.split(separator: "\n").prefix(5).joined(separator: "\n"))
        }
        return try answers.enumerated().map { index, answer in
            if let html = answer["html"] { return html }
            throw Failure(index: index, message: answer["error"] ?? "unknown KaTeX error")
        }
    }

    /// The Node.js program: reads a JSON array of requests from the file named by its first
    /// argument, writes a JSON array of answers.
    private static let script = """
        const katex = require('katex');
        const requests = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
        const answers = requests.map((request) => {
          try {
            return { html: katex.renderToString(request.tex, {
              displayMode: request.display, output: 'htmlAndMathml', throwOnError: true,
              macros: Object.assign({}, request.macros), strict: 'ignore', trust: false,
            }) };
          } catch (error) {
            return { error: String(error && error.message ? error.message : error) };
          }
        });
        process.stdout.write(JSON.stringify(answers));
        """
}

/// KaTeX could not be run at all.
public struct TypesetterError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var message: String
    /// The message.
    public var description: String { message }
}
