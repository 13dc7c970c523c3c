/// The static explorer's answerer (`explorer-data/static.js`): it stands in for the JSON API
/// when the page is opened from `file://`, loading one precomputed bundle per model and image
/// with a `<script>` tag (no `fetch`, which `file://` forbids).
enum StaticExplorerScript {
    static let source = #"""
        (function () {
          "use strict";
          var index = window.EXPLORER_STATIC_INDEX, bundles = {}, loading = {};
          function fail(message) { return Promise.reject(new Error(message)); }
          function load(name) {
            if (bundles[name]) return Promise.resolve(bundles[name]);
            if (!loading[name]) {
              loading[name] = new Promise(function (resolve, reject) {
                var script = document.createElement("script");
                script.src = "explorer-data/" + name + ".js";
                script.onload = function () { bundles[name] ? resolve(bundles[name]) : reject(new Error(name + ": empty bundle")); };
                script.onerror = function () { reject(new Error("explorer-data/" + name + ".js is missing")); };
                document.head.appendChild(script);
              });
            }
            return loading[name];
          }
          function nearest(bundle, query) {
            var best = null, bestScore = Infinity;
            Object.keys(bundle.answers).forEach(function (key) {
              var p = key.split("/");
              if (p[0] !== "rm2" || p[1] !== String(query.layer)) return;
              var score = (p[2] === String(query.channel) ? 0 : 1e6) +
                Math.pow(p[3] - query.row, 2) + Math.pow(p[4] - query.column, 2);
              if (score < bestScore) { bestScore = score; best = key; }
            });
            return best;
          }
          function backMap(bundle, query) {
            var notes = [];
            if (String(query.k) !== "0.125" || query.bias === "1" || query.overlay === "1")
              notes.push("the static set holds k = 0.125 without own bias or overlay");
            var key;
            if (query.mode === "rm0") key = "rm0/" + query.unit;
            else if (query.mode === "rm2") {
              key = ["rm2", query.layer, query.channel, query.row, query.column].join("/");
              if (!bundle.answers[key]) {
                key = nearest(bundle, query);
                if (key) notes.push("nearest precomputed unit shown (" + index.description + ")");
              }
            } else return fail(query.mode.toUpperCase() + " is answered by `swift run notebook serve` only; the static set holds RM0 and RM2");
            var answer = key && bundle.answers[key];
            if (!answer) return fail("no precomputed answer for this layer; run `swift run notebook serve` for every unit");
            answer = Object.assign({}, answer);
            var parts = key.split("/");
            if (parts[0] === "rm2") answer.resolved = { channel: parts[2], row: parts[3], column: parts[4] };
            if (notes.length) answer.note = "Static explorer: " + notes.join("; ") + ".";
            return Promise.resolve(answer);
          }
          window.EXPLORER_STATIC = {
            deliver: function (name, bundle) { bundles[name] = bundle; },
            answer: function (path, query) {
              var key = query.model + "-" + query.precision, summary = index.models[key];
              if (!summary) return fail("the static explorer holds " + Object.keys(index.models).join(", ") +
                "; run `swift run notebook serve` for " + key);
              if (path === "model") return Promise.resolve(summary);
              if (path === "images") return Promise.resolve(index.thumbnails[key]);
              var name = key + "-" + query.image;
              if (index.bundles.indexOf(name) < 0) return fail("image " + query.image + " is not in the static set (" +
                index.description + "); run `swift run notebook serve` for every image");
              return load(name).then(function (bundle) {
                if (path === "features") return bundle.features[String(query.layer)] || fail("no layer " + query.layer);
                if (path === "backmap") return backMap(bundle, query);
                return fail("the static explorer cannot answer " + path);
              });
            }
          };
        })();
        """#
}
