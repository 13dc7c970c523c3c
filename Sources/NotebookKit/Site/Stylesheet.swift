/// The site's stylesheet: readable on a laptop, large enough for a projector, a phone layout,
/// dark mode (system setting or the toggle) and a print layout for handouts.
enum Stylesheet {
    /// Colours of the light theme, as CSS custom properties.
    static let lightColours = """
        --bg: #ffffff; --text: #1d1d1f; --muted: #55555a; --rule: #d8d8dc; --code-bg: #f4f5f7;
        --accent: #1f5fa8; --error: #a4161a; --error-bg: #fdf0f0; --warn: #8a5200;
        --warn-bg: #fff7ea; --kw: #9b2393; --str: #b31b13; --num: #1c00cf; --com: #5a6875;
        --type: #0b4f79; --picture-bg: transparent; --selected: #e8eef8;
        --note: #1f5fa8; --warning: #8a5200; --objective: #2e7d32; --exercise: #6a3fa0;
        --solution: #00796b; --callout-bg: #f7f8fa;
        color-scheme: light;
        """

    /// Colours of the dark theme.
    static let darkColours = """
        --bg: #16181c; --text: #e4e4e7; --muted: #a6a6ae; --rule: #3b3e45; --code-bg: #202329;
        --accent: #8ab8f5; --error: #ff9a9a; --error-bg: #3a2022; --warn: #f0b35c;
        --warn-bg: #33291a; --kw: #e59ae5; --str: #f39a8c; --num: #a9a9ff; --com: #97a3ae;
        --type: #7cc9e6; --picture-bg: #ffffff; --selected: #262d3a;
        --note: #8ab8f5; --warning: #f0b35c; --objective: #7fcf84; --exercise: #c3a3f0;
        --solution: #5fd0c0; --callout-bg: #1d2026;
        color-scheme: dark;
        """

    /// The whole stylesheet.
    static let css = """
        :root { \(lightColours) }
        :root[data-theme="dark"] { \(darkColours) }
        @media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { \(darkColours) } }
        \(layout)
        \(prose)
        \(cells)
        \(figures)
        \(callouts)
        \(print)
        """

    static let layout = """
        html { font-size: 18px; }
        @media (min-width: 1400px) { html { font-size: 20px; } }
        body { margin: 0; background: var(--bg); color: var(--text);
          font-family: "Charter", "Bitstream Charter", "Georgia", "DejaVu Serif", serif;
          line-height: 1.55; }
        .layout { max-width: 46rem; margin: 0 auto; padding: 0.8rem 1.5rem 3rem; }
        .page { min-width: 0; }
        @media (min-width: 64rem) {
          .layout { display: grid; grid-template-columns: 14rem minmax(0, 46rem); gap: 2.5rem;
            max-width: 64rem; }
          .sidebar { position: sticky; top: 0; align-self: start; max-height: 100vh;
            overflow-y: auto; padding: 0.6rem 0 1rem; }
        }
        @media (max-width: 40rem) { .layout { padding: 0.6rem 0.9rem 2rem; } }
        .skip { position: absolute; left: -100rem; }
        .skip:focus { left: 0.5rem; top: 0.5rem; background: var(--bg); padding: 0.3rem; z-index: 2; }
        h1, h2, h3, h4, nav, figcaption, .badge, footer, table, .sidebar, summary,
        .callout-title, button {
          font-family: "Inter", "Helvetica Neue", "Arial", "DejaVu Sans", sans-serif; }
        .sidebar { font-size: 0.85rem; }
        .sidebar .site-title { font-weight: 700; margin: 0.4rem 0 0.6rem; }
        .sidebar .site-title a { color: var(--text); text-decoration: none; }
        .sidebar details > summary { cursor: pointer; color: var(--muted); margin: 0.6rem 0 0.3rem; }
        .sidebar ol { list-style: none; padding: 0; margin: 0; }
        .sidebar ol.tools { margin-top: 0.6rem; padding-top: 0.4rem; border-top: 1px solid var(--rule); }
        .sidebar ol.pages li a, .sidebar ol.tools li a { display: block; padding: 0.2rem 0.4rem; border-radius: 4px;
          text-decoration: none; color: var(--text); }
        .sidebar ol.pages li a:hover, .sidebar ol.tools li a:hover { background: var(--code-bg); }
        .sidebar ol.pages li a[aria-current="page"] { background: var(--selected); font-weight: 600;
          color: var(--accent); }
        .search input { width: 100%; box-sizing: border-box; font: inherit; padding: 0.3rem 0.5rem;
          border: 1px solid var(--rule); border-radius: 4px; background: var(--bg);
          color: var(--text); }
        .search ol { margin: 0.3rem 0; }
        .search li { margin: 0.35rem 0; }
        .search li a { font-weight: 600; }
        .search li span { display: block; color: var(--muted); font-size: 0.8rem; }
        .search .status { color: var(--muted); margin: 0.3rem 0; }
        nav.site { display: flex; gap: 0.4rem 1.2rem; flex-wrap: wrap; align-items: center;
          font-size: 0.85rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.5rem; }
        nav.site .end { margin-left: auto; display: flex; gap: 1rem; align-items: center; }
        nav.site a.source { color: var(--muted); }
        button.theme-toggle { font-size: 0.8rem; background: var(--code-bg); color: var(--text);
          border: 1px solid var(--rule); border-radius: 4px; padding: 0.15rem 0.5rem;
          cursor: pointer; }
        button.theme-toggle[aria-pressed="true"] { background: var(--selected); color: var(--accent); }
        footer { margin-top: 3rem; font-size: 0.75rem; color: var(--muted);
          border-top: 1px solid var(--rule); padding-top: 0.5rem; }
        """

    static let prose = """
        h1.title { font-size: 2rem; line-height: 1.2; margin: 1.5rem 0 0.3rem; }
        h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 1.15rem; margin-top: 1.6rem; }
        a { color: var(--accent); }
        .description { color: var(--muted); font-size: 1.05rem; margin-top: 0; }
        .intro { margin-bottom: 1.5rem; }
        nav.toc { background: var(--code-bg); padding: 0.6rem 1rem; border-radius: 6px;
          font-size: 0.9rem; margin: 1rem 0 1.5rem; }
        nav.toc h2 { font-size: 0.95rem; margin: 0 0 0.3rem; border: 0; }
        nav.toc ol { margin: 0; padding-left: 1.2rem; }
        nav.toc .toc-level-3 { margin-left: 1.2rem; list-style-type: circle; }
        blockquote { border-left: 3px solid var(--rule); margin-left: 0; padding-left: 1rem;
          color: var(--muted); }
        ul.notebooks { list-style: none; padding: 0; }
        ul.notebooks li { margin: 1rem 0; }
        ul.notebooks .description { display: block; }
        .equation { display: block; }
        .katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; position: relative; }
        @media (max-width: 40rem) {
          .katex-display > .katex > .katex-html > .tag { position: static; display: block;
            text-align: right; }
        }
        a.ref { text-decoration: none; }
        img { max-width: 100%; height: auto; }
        .nowrap { white-space: nowrap; }
        """

    static let cells = """
        pre, code { font-family: "JetBrains Mono", "DejaVu Sans Mono", "Menlo", monospace;
          font-size: 0.8rem; }
        pre { background: var(--code-bg); padding: 0.7rem 0.9rem; border-radius: 6px;
          overflow-x: auto; line-height: 1.4; position: relative; }
        p code, li code { background: var(--code-bg); padding: 0.05rem 0.25rem; border-radius: 3px;
          overflow-wrap: anywhere; }
        .cell { margin: 1.2rem 0; }
        .cell pre.code { border-left: 3px solid var(--accent); margin: 0 0 0.3rem;
          white-space: pre-wrap; overflow-wrap: anywhere; }
        .cell.not-run pre.code { border-left-color: var(--muted); }
        details.code > summary { cursor: pointer; font-family: "Inter", "Helvetica Neue", "Arial",
          "DejaVu Sans", sans-serif; font-size: 0.75rem; color: var(--muted); margin-bottom: 0.2rem; }
        .badge { float: right; font-size: 0.7rem; color: var(--muted); border: 1px solid var(--rule);
          border-radius: 3px; padding: 0 0.3rem; }
        .outputs { margin-left: 0.6rem; }
        pre.output { background: var(--bg); border: 1px solid var(--rule); margin: 0.3rem 0; }
        pre.output.value { border-style: dashed; }
        .output.error { background: var(--error-bg); border-left: 3px solid var(--error);
          padding: 0.4rem 0.8rem; margin: 0.3rem 0; border-radius: 4px; }
        .output.error.expected { border-left-color: var(--warn); background: var(--warn-bg); }
        .output.error pre { background: transparent; padding: 0; margin: 0.2rem 0 0; }
        .output.error strong { font-family: "Inter", "Helvetica Neue", "Arial", sans-serif;
          font-size: 0.8rem; color: var(--error); }
        .output.error.expected strong { color: var(--warn); }
        .kw { color: var(--kw); font-weight: 600; } .str { color: var(--str); }
        .num { color: var(--num); } .com { color: var(--com); font-style: italic; }
        .type { color: var(--type); }
        """

    static let figures = """
        figure { margin: 1rem 0; text-align: center; }
        figure img { image-rendering: pixelated; background: var(--picture-bg); }
        :root[data-theme="dark"] figure img { padding: 0.3rem; border-radius: 4px; }
        figure.chart { overflow-x: auto; position: relative; }
        figure.chart svg { max-width: 100%; height: auto; }
        @media (max-width: 40rem) { figure.chart svg { max-width: none; width: 34rem; } }
        figure.chart svg:not(:has(image)) > rect[fill="white"] { fill: var(--bg); }
        figure.chart svg:not(:has(image)) text { fill: var(--text); }
        figure.chart svg:not(:has(image)) text[fill="#555"] { fill: var(--muted); }
        figure.chart svg:not(:has(image)) line[stroke="black"] { stroke: var(--text); }
        figure.chart svg:not(:has(image)) line[stroke="#ddd"] { stroke: var(--rule); }
        figure.chart svg:has(image) { border-radius: 4px; }
        figure.table { text-align: left; overflow-x: auto; position: relative; }
        figcaption { font-size: 0.85rem; color: var(--muted); margin: 0.4rem 0; }
        .caption-number { font-weight: 600; color: var(--text); }
        table { border-collapse: collapse; font-size: 0.85rem; margin: 0.3rem 0; }
        th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid var(--rule); text-align: left; }
        thead th { border-bottom: 2px solid var(--text); }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums;
          white-space: nowrap; }
        @media (max-width: 40rem) { figure.table td { white-space: nowrap; } }
        """

    static let callouts = """
        .callout { border-left: 4px solid var(--kind); background: var(--callout-bg);
          padding: 0.3rem 1rem; margin: 1.2rem 0; border-radius: 0 6px 6px 0; }
        .callout > :last-child { margin-bottom: 0.5rem; }
        .callout-title, details.callout > summary { font-weight: 700; font-size: 0.9rem;
          color: var(--kind); margin: 0.4rem 0; }
        details.callout > summary { cursor: pointer; }
        .callout.note { --kind: var(--note); } .callout.warning { --kind: var(--warning); }
        .callout.objective { --kind: var(--objective); }
        .callout.exercise { --kind: var(--exercise); }
        .callout.solution { --kind: var(--solution); }
        """

    static let print = """
        @media print {
          :root, :root[data-theme="dark"] { \(lightColours) }
          html { font-size: 11pt; }
          .layout { display: block; max-width: none; padding: 0; }
          .sidebar, nav.site, footer, .skip, button { display: none; }
          details.code > pre { display: none; }
          details.code > summary { list-style: none; }
          pre { white-space: pre-wrap; border: 1px solid var(--rule); }
          .cell, figure, table, .callout { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        """
}
