/// The unit explorer's page (`explore.html`): plain HTML and CSS; ``ExplorerScript`` does the rest.
enum ExplorerPage {
    /// The page: `live` adds the live-reload script (served); `staticSet` loads the precomputed
    /// answers of the server-less export instead of asking the API.
    static func html(live: Bool, staticSet: Bool = false) -> String {
        let liveTag = live ? #"<script src="/__live/live.js" defer></script>"# : ""
        let staticTags =
            staticSet
            ? #"<script src="explorer-data/index.js"></script><script src="explorer-data/static.js"></script>"#
            : ""
        return [
            head, styleRules, body, staticTags, #"<script src="explore.js"></script>"#, liveTag,
            "</body>\n</html>",
        ].joined(separator: "\n")
    }

    /// The document up to the opening `<style>` tag.
    private static let head = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Unit explorer — Adjoint Notebooks</title>
        <style>
        """#

    /// The page's CSS, light and dark.
    private static let styleRules = #"""
        :root { --fg:#1d2430; --bg:#fbfbfd; --muted:#5b6474; --line:#d8dce3; --accent:#0b5fd6; }
        @media (prefers-color-scheme: dark) { :root { --fg:#e6e9ef; --bg:#14171c; --muted:#a0a8b6; --line:#333a45; --accent:#6aa6ff; } }
        body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; padding: 16px 24px; }
        h1 { font-size: 1.4rem; margin: 0 0 4px; } a { color: var(--accent); }
        .controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: end; margin: 12px 0; }
        .controls label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        .controls input[type=number] { width: 5em; }
        #thumbs { display: flex; gap: 6px; overflow-x: auto; padding: 4px 0 8px; }
        .thumb { border: 2px solid transparent; background: none; padding: 2px; cursor: pointer; color: var(--fg); font-size: .72rem; text-align: center; }
        .thumb img { display: block; width: 64px; height: 64px; image-rendering: pixelated; }
        .thumb.selected { border-color: var(--accent); } .thumb .wrong { color: #d33; }
        #maps { display: flex; flex-wrap: wrap; gap: 4px; max-height: 340px; overflow: auto; border: 1px solid var(--line); padding: 4px; }
        #maps figure { margin: 0; font-size: .7rem; color: var(--muted); text-align: center; }
        #maps img { image-rendering: pixelated; cursor: crosshair; display: block; }
        #maps figure.chosen img { outline: 2px solid var(--accent); }
        #figure { display: flex; flex-wrap: wrap; gap: 10px; }
        #figure .panel { margin: 0; font-size: .8rem; text-align: center; color: var(--muted); }
        #figure .frame { position: relative; line-height: 0; }
        #figure img, #thumbs img, #maps img { image-rendering: pixelated; image-rendering: crisp-edges; }
        #figure .field { position: absolute; border: 1px solid rgb(0, 150, 0); box-sizing: border-box; pointer-events: none; }
        #figure .bar .frame { padding-right: 64px; }
        #figure .tick { position: absolute; left: 18px; font-size: .72rem; line-height: 1; color: var(--fg); }
        #figure .tick.top { top: 0; } #figure .tick.mid { top: 74px; } #figure .tick.bottom { bottom: 0; }
        table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
        td, th { border: 1px solid var(--line); padding: 3px 8px; text-align: right; } th { text-align: left; }
        #error { color: #d33; font-weight: 600; min-height: 1.4em; }
        .row2 { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(320px, 1.4fr); gap: 18px; }
        @media (max-width: 900px) { .row2 { grid-template-columns: 1fr; } }
        """#

    /// From the closing `</style>` tag to the end of the results panels.
    private static let body = #"""
        </style>
        </head>
        <body>
        <h1>Unit explorer</h1>
        <p>Pick a model, an image and a layer; click a unit on a feature map to see its exact
        hypersurface <var>H</var> = [<var>H</var><sup>I</sup>; <var>H</var><sup>b</sup>] (RM2), or choose another mode.
        The address bar holds the view: copy it to share. <a href="index.html">Back to the course</a>.</p>
        <div class="controls">
          <label>model <select id="model"><option value="vgg7">VGG7</option><option value="resnet20">ResNet20</option><option value="resnet20-fixup">ResNet20-Fixup</option></select></label>
          <label>precision <select id="precision"><option value="float">float32</option><option value="double">float64</option></select></label>
          <label>layer <select id="layer"></select></label>
          <label>mode <select id="mode"><option value="rm0">RM0 class</option><option value="rm1">RM1 channel</option><option value="rm2">RM2 unit</option><option value="rm3">RM3 in-channel</option><option value="rm4">RM4 unit, in-channel</option></select></label>
          <label>channel <input id="channel" type="number" min="0" value="0"></label>
          <label>row <input id="row" type="number" min="0" value="0"></label>
          <label>column <input id="column" type="number" min="0" value="0"></label>
          <label>in-channel <input id="in" type="number" min="0" value="0"></label>
          <label>class unit <input id="unit" type="number" min="0" max="9" value="0"></label>
          <label>k <input id="k" type="number" min="0.001" step="any" value="0.125"></label>
          <label><span>own bias</span><input id="bias" type="checkbox"></label>
          <label><span>overlay</span><input id="overlay" type="checkbox"></label>
          <label>upload 32×32 PNG <input id="upload" type="file" accept="image/png"></label>
        </div>
        <div id="thumbs" aria-label="CIFAR-10 test images"></div>
        <div id="error" role="status"></div>
        <div class="row2">
          <section><h2 id="maps-title">Feature maps</h2><div id="maps"></div></section>
          <section><h2 id="figure-title">Hypersurface</h2><div id="figure"></div>
            <table id="numbers"><tbody></tbody></table>
            <h3>H<sup>b</sup> by layer</h3><table id="bias-groups"><thead><tr><th>source</th><th>scalars</th><th>⟨x<sub>b</sub>|H<sup>b</sup>⟩ share</th><th>Σ|x<sub>b</sub>H<sup>b</sup>|</th></tr></thead><tbody></tbody></table>
          </section>
        </div>
        """#
}
