// The Mustache sources of the site's HTML (see `Templates`). A tag alone on its line, such as
// `{{#pages}}`, leaves no line in the output; fields ending in `HTML` are inserted unescaped.

extension Template {
    /// The template's Mustache source.
    var source: String {
        switch self {
        case .page: Self.pageSource
        case .article: Self.articleSource
        case .sidebar: Self.sidebarSource
        case .explorerLinks:
            "<ol class=\"tools\">\n<li><a href=\"{{explorerPage}}\">Unit explorer</a></li>\n</ol>\n"
        case .links: Self.linksSource
        case .indexEntry: Self.indexEntrySource
        case .indexPage: Self.indexPageSource
        case .callout:
            "<div class=\"callout {{kind}}\" role=\"note\">\n"
                + "<p class=\"callout-title\">{{{titleHTML}}}</p>\n{{{bodyHTML}}}</div>\n"
        case .foldedCallout:
            "<details class=\"callout {{kind}}\">\n<summary>{{{titleHTML}}}</summary>\n"
                + "{{{bodyHTML}}}</details>\n"
        case .cell: Self.cellSource
        case .text: "<pre class=\"output\">{{text}}</pre>\n"
        case .value: "<pre class=\"output value\">{{text}}</pre>\n"
        case .error:
            "<div class=\"output error{{#isExpected}} expected{{/isExpected}}\" role=\"note\">"
                + "<strong>Error{{#isExpected}} (expected){{/isExpected}}</strong>"
                + "<pre>{{message}}</pre></div>\n"
        case .table: Self.tableSource
        case .image: Self.imageSource
        case .chart: Self.chartSource
        case .caption:
            "<figcaption><span class=\"caption-number\">{{kind}} {{number}}.</span>"
                + "{{#textHTML}} {{{.}}}{{/textHTML}}</figcaption>\n"
        case .chartLabel: "<svg role=\"img\" aria-label=\"{{label}}\" "
        default: proseSource
        }
    }

    /// The templates of the prose's elements that carry the notebook's text or URLs.
    private var proseSource: String {
        switch self {
        case .heading: "<h{{level}} id=\"{{anchor}}\">{{{contentHTML}}}</h{{level}}>\n"
        case .list:
            "<{{tag}}{{#start}} start=\"{{.}}\"{{/start}}>\n{{#itemsHTML}}<li>{{{.}}}</li>\n{{/itemsHTML}}</{{tag}}>\n"
        case .blockQuote: "<blockquote>\n{{{contentHTML}}}</blockquote>\n"
        case .codeBlock:
            "<pre class=\"code\"><code{{#language}} class=\"language-{{.}}\"{{/language}}>{{literal}}</code></pre>\n"
        case .escapedHTMLBlock: "<pre class=\"escaped-html\">{{literal}}</pre>\n"
        case .inlineCode: "<code>{{code}}</code>"
        case .link: "<a href=\"{{href}}\"{{#title}} title=\"{{.}}\"{{/title}}>{{{contentHTML}}}</a>"
        case .proseImage: "<img src=\"{{src}}\" alt=\"{{alt}}\"{{#title}} title=\"{{.}}\"{{/title}}>"
        case .reference: "<a class=\"ref\" href=\"#{{anchor}}\">{{text}}</a>"
        case .equation: "<span class=\"equation\"{{#anchor}} id=\"{{.}}\"{{/anchor}}>{{{mathHTML}}}</span>"
        default: preconditionFailure("\(rawValue) is not a prose template")
        }
    }

    private static let pageSource = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="assets/katex/katex.min.css">
        <link rel="stylesheet" href="assets/notebook.css">
        <script src="assets/notebook.js"></script>
        <script src="assets/lunr.min.js" defer></script>
        <script src="assets/search-index.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#content">Skip to the content</a>
        <div class="layout">
        {{{sidebarHTML}}}<div class="page">
        <nav class="site" aria-label="Page">
        {{{navigationHTML}}}
        <span class="end"><button type="button" class="theme-toggle" hidden>Dark mode</button></span>
        </nav>
        {{{contentHTML}}}<footer>Built by the notebook runner from Markdown; equations typeset with KaTeX.</footer>
        </div>
        </div>
        </body>
        </html>

        """

    private static let articleSource = """
        <header>
        <h1 class="title">{{title}}</h1>
        {{#descriptionHTML}}
        <p class="description">{{{.}}}</p>
        {{/descriptionHTML}}
        </header>
        {{#hasContents}}
        <nav class="toc" aria-label="Contents">
        <h2>Contents</h2>
        <ol>
        {{#contents}}
        <li class="toc-level-{{level}}"><a href="#{{anchor}}">{{{html}}}</a></li>
        {{/contents}}
        </ol>
        </nav>
        {{/hasContents}}
        <main id="content">
        {{{bodyHTML}}}</main>

        """

    private static let sidebarSource = """
        <aside class="sidebar" aria-label="Course">
        <p class="site-title"><a href="index.html">{{siteTitle}}</a></p>
        <div class="search" role="search" hidden>
        <input type="search" id="search-input" aria-label="Search all pages" placeholder="Search all pages" autocomplete="off">
        <p class="status" id="search-status" aria-live="polite"></p>
        <ol id="search-results"></ol>
        </div>
        <details class="pages" open>
        <summary>Course pages ({{count}})</summary>
        <ol class="pages">
        {{#pages}}
        <li><a href="{{href}}"{{#isCurrent}} aria-current="page"{{/isCurrent}}>{{title}}</a></li>
        {{/pages}}
        </ol>
        </details>
        {{#linksExplorer}}
        {{>explorerLinks}}
        {{/linksExplorer}}
        </aside>

        """

    private static let linksSource = """
        <a href="index.html">Index</a>
        {{#previous}}
        <a rel="prev" href="{{href}}">← {{title}}</a>
        {{/previous}}
        {{#next}}
        <a rel="next" href="{{href}}">{{title}} →</a>
        {{/next}}
        <a class="source" href="{{source}}">Markdown source</a>
        """

    private static let indexEntrySource =
        "<li><strong>{{#href}}<a href=\"{{.}}\">{{title}}</a>{{/href}}"
        + "{{^href}}{{title}} <span class=\"badge\">not built yet</span>{{/href}}</strong>"
        + "{{#descriptionHTML}}<span class=\"description\">{{{.}}}</span>{{/descriptionHTML}}"
        + "{{#description}}<span class=\"description\">{{.}}</span>{{/description}}</li>\n"

    private static let indexPageSource = """
        <header>
        <h1 class="title">{{title}}</h1>
        </header>
        <main id="content">
        {{{introductionHTML}}}<ul class="notebooks">
        {{{entriesHTML}}}</ul>
        {{#otherEntriesHTML}}
        <h2 id="other-pages">Other pages</h2>
        <ul class="notebooks">
        {{{.}}}</ul>
        {{/otherEntriesHTML}}
        </main>

        """

    private static let cellSource = """
        <section class="cell{{#isNotRun}} not-run{{/isNotRun}}" id="cell-{{number}}">
        {{#code}}
        <details class="code"{{#isOpen}} open{{/isOpen}}><summary>Swift code, {{lines}} line{{#isPlural}}s{{/isPlural}}{{#isNotRun}} (not run){{/isNotRun}}</summary>
        <pre class="code swift">{{#isNotRun}}<span class="badge">not run</span>{{/isNotRun}}<code class="language-swift">{{{highlightedHTML}}}</code></pre>
        </details>
        {{/code}}
        {{#outputsHTML}}
        <div class="outputs">
        {{{.}}}</div>
        {{/outputsHTML}}
        </section>

        """

    private static let tableSource = """
        <figure class="table"{{#anchor}} id="{{.}}"{{/anchor}}>
        {{#caption}}{{>caption}}{{/caption}}<table>
        <thead><tr>{{#columns}}<th scope="col"{{#isNumber}} class="number"{{/isNumber}}>{{{html}}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td{{#isNumber}} class="number"{{/isNumber}}>{{{html}}}</td>{{/cells}}</tr>
        {{/rows}}</tbody>
        </table>
        </figure>

        """

    private static let imageSource = """
        <figure{{#anchor}} id="{{.}}"{{/anchor}}>
        <img src="{{src}}" alt="{{alt}}"{{#width}} width="{{.}}"{{/width}}>
        {{#caption}}{{>caption}}{{/caption}}</figure>

        """

    private static let chartSource = """
        <figure class="chart"{{#anchor}} id="{{.}}"{{/anchor}}>
        {{{svgHTML}}}
        {{#caption}}{{>caption}}{{/caption}}</figure>

        """
}
