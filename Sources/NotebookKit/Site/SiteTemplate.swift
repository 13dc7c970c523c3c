/// The HTML skeleton and stylesheet shared by every page of the site.
enum SiteTemplate {
    /// A complete page.
    static func page(title: String, navigation: String, content: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="assets/katex/katex.min.css">
        <link rel="stylesheet" href="assets/notebook.css">
        </head>
        <body>
        <nav class="site">
        \(navigation)
        </nav>
        \(content)<footer>Built by the notebook runner from Markdown; equations typeset with KaTeX.</footer>
        </body>
        </html>

        """
    }

    /// The stylesheet: readable on a laptop, large enough for a projector, printable.
    static let stylesheet = """
        :root {
          --text: #1d1d1f; --muted: #5b5b60; --rule: #d8d8dc; --code-bg: #f6f7f9;
          --accent: #1f5fa8; --error: #a4161a; --error-bg: #fdf0f0;
        }
        html { font-size: 18px; }
        @media (min-width: 1400px) { html { font-size: 20px; } }
        body {
          margin: 0 auto; max-width: 46rem; padding: 1rem 1.5rem 3rem;
          font-family: "Charter", "Bitstream Charter", "Georgia", "DejaVu Serif", serif;
          line-height: 1.55; color: var(--text); background: #fff;
        }
        h1, h2, h3, h4, nav, figcaption, .badge, footer, table {
          font-family: "Inter", "Helvetica Neue", "Arial", "DejaVu Sans", sans-serif;
        }
        h1.title { font-size: 2rem; line-height: 1.2; margin: 1.5rem 0 0.3rem; }
        h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 1.15rem; margin-top: 1.6rem; }
        a { color: var(--accent); }
        .description { color: var(--muted); font-size: 1.05rem; margin-top: 0; }
        nav.site { display: flex; gap: 1.2rem; flex-wrap: wrap; font-size: 0.85rem;
          border-bottom: 1px solid var(--rule); padding-bottom: 0.5rem; }
        nav.site a.source { margin-left: auto; color: var(--muted); }
        .intro { margin-bottom: 1.5rem; }
        nav.toc { background: var(--code-bg); padding: 0.6rem 1rem; border-radius: 6px;
          font-size: 0.9rem; margin: 1rem 0 1.5rem; }
        nav.toc h2 { font-size: 0.95rem; margin: 0 0 0.3rem; border: 0; }
        nav.toc ol { margin: 0; padding-left: 1.2rem; }
        nav.toc .toc-level-3 { margin-left: 1.2rem; list-style-type: circle; }
        pre, code { font-family: "JetBrains Mono", "DejaVu Sans Mono", "Menlo", monospace;
          font-size: 0.8rem; }
        pre { background: var(--code-bg); padding: 0.7rem 0.9rem; border-radius: 6px;
          overflow-x: auto; line-height: 1.4; }
        p code, li code { background: var(--code-bg); padding: 0.05rem 0.25rem; border-radius: 3px; }
        .cell { margin: 1.2rem 0; }
        .cell pre.code { border-left: 3px solid var(--accent); margin-bottom: 0.3rem; }
        .cell.not-run pre.code { border-left-color: var(--muted); }
        .badge { float: right; font-size: 0.7rem; color: var(--muted); border: 1px solid var(--rule);
          border-radius: 3px; padding: 0 0.3rem; }
        .outputs { margin-left: 0.6rem; }
        pre.output { background: #fff; border: 1px solid var(--rule); margin: 0.3rem 0; }
        pre.output.value { border-style: dashed; }
        .output.error { background: var(--error-bg); border-left: 3px solid var(--error);
          padding: 0.4rem 0.8rem; margin: 0.3rem 0; border-radius: 4px; }
        .output.error.expected { border-left-color: #b26a00; background: #fff7ea; }
        .output.error pre { background: transparent; padding: 0; margin: 0.2rem 0 0; }
        .output.error strong { font-family: "Inter", "Helvetica Neue", "Arial", sans-serif;
          font-size: 0.8rem; color: var(--error); }
        .output.error.expected strong { color: #8a5200; }
        .kw { color: #9b2393; font-weight: 600; } .str { color: #c41a16; }
        .num { color: #1c00cf; } .com { color: #5d6c79; font-style: italic; } .type { color: #0b4f79; }
        figure { margin: 1rem 0; text-align: center; }
        figure img { max-width: 100%; height: auto; image-rendering: pixelated; }
        figure.table { text-align: left; overflow-x: auto; }
        figcaption { font-size: 0.85rem; color: var(--muted); margin: 0.4rem 0; }
        .caption-number { font-weight: 600; color: var(--text); }
        table { border-collapse: collapse; font-size: 0.85rem; margin: 0.3rem 0; }
        th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid var(--rule); text-align: left; }
        thead th { border-bottom: 2px solid var(--text); }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        .equation { display: block; }
        .katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; }
        a.ref { text-decoration: none; }
        blockquote { border-left: 3px solid var(--rule); margin-left: 0; padding-left: 1rem;
          color: var(--muted); }
        ul.notebooks { list-style: none; padding: 0; }
        ul.notebooks li { margin: 1rem 0; }
        ul.notebooks .description { display: block; }
        footer { margin-top: 3rem; font-size: 0.75rem; color: var(--muted);
          border-top: 1px solid var(--rule); padding-top: 0.5rem; }
        @media print {
          html { font-size: 11pt; }
          body { max-width: none; padding: 0; }
          nav.site, footer { display: none; }
          pre { white-space: pre-wrap; border: 1px solid var(--rule); }
          .cell, figure, table { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          a { color: inherit; text-decoration: none; }
        }

        """
}
