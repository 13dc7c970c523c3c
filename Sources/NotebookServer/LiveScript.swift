/// The script `notebook serve` adds to every page: it listens on `/__live/events`, reloads the
/// page when a build finishes, and shows a failed build's `file:line` and message in an overlay
/// over the last good page (removed by the next good build).
enum LiveScript {
    static let source = #"""
        (function () {
          "use strict";
          var overlay = null;
          function clear() { if (overlay) { overlay.remove(); overlay = null; } }
          function show(errors) {
            clear();
            overlay = document.createElement("div");
            overlay.id = "live-build-error";
            overlay.setAttribute("role", "alert");
            overlay.style.cssText = "position:fixed;left:0;right:0;top:0;max-height:60vh;overflow:auto;" +
              "z-index:99999;background:#2b0d0d;color:#ffd9d9;font:14px/1.45 ui-monospace,monospace;" +
              "padding:14px 18px;border-bottom:3px solid #e5484d;box-shadow:0 4px 18px rgba(0,0,0,.4)";
            var title = document.createElement("strong");
            title.textContent = "Build failed — the page below is the last good build";
            overlay.appendChild(title);
            errors.forEach(function (e) {
              var item = document.createElement("pre");
              item.className = "live-build-error-item";
              item.style.cssText = "white-space:pre-wrap;margin:8px 0 0;padding:0;border:0;background:none;" +
                "color:#ffe4e4;font:inherit";
              var place = e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "");
              item.textContent = place + ": " + e.message;
              overlay.appendChild(item);
            });
            document.body.appendChild(overlay);
          }
          var source = new EventSource("/__live/events");
          source.addEventListener("reload", function () { location.reload(); });
          source.addEventListener("failure", function (event) { show(JSON.parse(event.data).errors || []); });
          source.addEventListener("status", function () { document.documentElement.dataset.liveBuilding = "1"; });
          var nav = document.querySelector("aside.sidebar ol.pages");
          if (nav && !document.querySelector("a[href='explore.html']")) {
            var li = document.createElement("li");
            var link = document.createElement("a");
            link.href = "/explore.html";
            link.textContent = "Unit explorer";
            li.appendChild(link);
            nav.appendChild(li);
          }
        })();
        """#
}
