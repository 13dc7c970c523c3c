/// The unit explorer's script (`explore.js`): reads the view from the address bar, asks the
/// JSON API (or, in the static export, the precomputed answers in `explorer-data.js`) and
/// draws thumbnails, feature maps, the hypersurface figure and its tables.
enum ExplorerScript {
    static let source = #"""
        (function () {
          "use strict";
          var state = { model: "vgg7", precision: "float", image: "0", layer: "3", mode: "rm2", channel: "0",
            row: "8", column: "8", in: "0", unit: "0", k: "0.125", bias: "0", overlay: "0" };
          var params = new URLSearchParams(location.search);
          Object.keys(state).forEach(function (key) { if (params.has(key)) state[key] = params.get(key); });
          var summary = null, features = null, uploads = {};
          function $(id) { return document.getElementById(id); }
          // Builds an element; text children become text nodes, so names from a model file are never parsed as HTML.
          function el(tag, attributes, children) {
            var node = document.createElement(tag);
            Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
            (children || []).forEach(function (child) {
              node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
            });
            return node;
          }
          function api(path, query) {
            if (window.EXPLORER_STATIC) return window.EXPLORER_STATIC.answer(path, query);
            return fetch("api/" + path + "?" + new URLSearchParams(query)).then(function (response) {
              return response.json().then(function (body) {
                if (!response.ok) throw new Error(body.error || response.statusText);
                return body;
              });
            });
          }
          function selection() { return { model: state.model, precision: state.precision }; }
          function save() { history.replaceState(null, "", "?" + new URLSearchParams(state)); }
          function report(error) { $("error").textContent = error ? String(error.message || error) : ""; }
          function layerInfo() { return summary ? summary.layers[Number(state.layer)] : null; }
          function number(x, digits) {
            if (typeof x !== "number") return String(x);
            return Math.abs(x) >= 1e-3 || x === 0 ? x.toPrecision(digits || 7) : x.toExponential(3);
          }
          function syncControls() {
            ["model", "precision", "layer", "mode", "channel", "row", "column", "in", "unit", "k"].forEach(function (key) {
              if ($(key)) $(key).value = state[key];
            });
            $("bias").checked = state.bias === "1";
            $("overlay").checked = state.overlay === "1";
          }
          async function loadModel() {
            summary = await api("model", selection());
            var select = $("layer");
            select.innerHTML = "";
            summary.layers.forEach(function (layer) {
              var option = document.createElement("option");
              option.value = layer.index;
              option.textContent = layer.index + " " + layer.name + " (" + layer.height + "×" + layer.width + "×" + layer.channels + ")";
              select.appendChild(option);
            });
            if (Number(state.layer) >= summary.layers.length) state.layer = "0";
          }
          async function loadThumbs() {
            var index = /^\d+$/.test(state.image) ? Number(state.image) : 0;
            var start = Math.floor(index / 16) * 16;
            var list = await api("images", Object.assign(selection(), { start: start, count: 16 }));
            var strip = $("thumbs");
            strip.innerHTML = "";
            list.forEach(function (item) { strip.appendChild(thumb(String(item.index), item.png, item.label, item.predicted)); });
            Object.keys(uploads).forEach(function (id) { strip.appendChild(thumb(id, uploads[id], "upload", "")); });
          }
          function thumb(id, png, label, predicted) {
            var button = document.createElement("button");
            button.className = "thumb" + (id === state.image ? " selected" : "");
            button.dataset.image = id;
            button.title = id.indexOf("upload:") === 0 ? "uploaded image" : "test image " + id;
            var wrong = predicted && predicted !== label ? { class: "wrong" } : {};
            button.append(el("img", { alt: "", src: png }), el("span", {}, [label]), el("br"), el("span", wrong, ["→ " + predicted]));
            button.addEventListener("click", function () { state.image = id; refresh(true); });
            return button;
          }
          function zoom(layer) { return layer.kind === "convolution" ? Math.max(2, Math.floor(96 / layer.width)) : 24; }
          async function loadMaps() {
            features = await api("features", Object.assign(selection(), { image: state.image, layer: state.layer }));
            $("maps-title").textContent = "Feature maps of " + features.layer.name + " (click a unit)";
            var maps = $("maps"), factor = zoom(features.layer);
            maps.innerHTML = "";
            features.channels.forEach(function (picture, channel) {
              var figure = document.createElement("figure");
              figure.dataset.channel = channel;
              if (String(channel) === state.channel && features.layer.kind === "convolution") figure.className = "chosen";
              var image = document.createElement("img");
              image.src = picture.png;
              image.alt = picture.label;
              image.width = (features.layer.kind === "convolution" ? features.layer.width : features.layer.channels) * factor;
              image.height = (features.layer.kind === "convolution" ? features.layer.height : 1) * factor;
              image.addEventListener("click", function (event) { pick(channel, event, factor); });
              figure.appendChild(image);
              var caption = document.createElement("figcaption");
              caption.textContent = features.layer.kind === "convolution" ? channel : picture.label;
              figure.appendChild(caption);
              maps.appendChild(figure);
            });
          }
          function pick(channel, event, factor) {
            var x = Math.floor(event.offsetX / factor), y = Math.floor(event.offsetY / factor);
            if (features.layer.kind === "convolution") {
              state.mode = state.mode === "rm4" ? "rm4" : "rm2";
              state.channel = String(channel);
              state.row = String(Math.min(y, features.layer.height - 1));
              state.column = String(Math.min(x, features.layer.width - 1));
            } else {
              state.mode = "rm0";
              state.unit = String(Math.min(x, features.layer.channels - 1));
            }
            Array.prototype.forEach.call(document.querySelectorAll("#maps figure"), function (f) {
              f.className = f.dataset.channel === String(channel) ? "chosen" : "";
            });
            refresh(false);
          }
          function drawFigure(answer) {
            var figure = $("figure"), size = 5, bounds = answer.receptiveFieldBounds;
            figure.innerHTML = "";
            figure.dataset.mode = answer.mode;
            figure.dataset.answer = String(Date.now());
            var whole = bounds[0] === 0 && bounds[2] === 0 && bounds[1] === 32 && bounds[3] === 32;
            answer.panels.forEach(function (panel) {
              var box = document.createElement("figure");
              box.className = "panel";
              var frame = document.createElement("div");
              frame.className = "frame";
              var image = document.createElement("img");
              image.src = panel.png;
              image.alt = panel.label + " of " + answer.mode;
              image.width = 32 * size;
              image.height = 32 * size;
              frame.appendChild(image);
              if (!whole) {
                var field = document.createElement("div");
                field.className = "field";
                field.style.cssText = "top:" + bounds[0] * size + "px;left:" + bounds[2] * size + "px;height:" +
                  (bounds[1] - bounds[0]) * size + "px;width:" + (bounds[3] - bounds[2]) * size + "px";
                frame.appendChild(field);
              }
              box.appendChild(frame);
              var caption = document.createElement("figcaption");
              caption.textContent = panel.label;
              box.appendChild(caption);
              figure.appendChild(box);
            });
            var bar = document.createElement("figure");
            bar.className = "panel bar";
            bar.append(
              el("div", { class: "frame" }, [
                el("img", { alt: "colour bar", width: "14", height: "160", src: answer.colorBar }),
                el("span", { class: "tick top" }, [number(answer.colorBarLimit, 3)]), el("span", { class: "tick mid" }, ["0"]),
                el("span", { class: "tick bottom" }, [number(-answer.colorBarLimit, 3)])]),
              el("figcaption", {}, ["Hᴵ"]));
            figure.appendChild(bar);
          }
          function backMapQuery() {
            var query = Object.assign({}, state);
            var layer = layerInfo();
            if (state.mode === "rm0" && layer && layer.kind !== "dense") delete query.layer;
            return query;
          }
          async function loadBackMap() {
            var answer = await api("backmap", backMapQuery());
            if (answer.resolved) {  // the static set answered its nearest precomputed unit
              Object.assign(state, answer.resolved);
              save();
              syncControls();
              Array.prototype.forEach.call(document.querySelectorAll("#maps figure"), function (f) {
                f.className = f.dataset.channel === state.channel ? "chosen" : "";
              });
            }
            $("figure-title").textContent = answer.mode + " in " + answer.layerName;
            drawFigure(answer);
            report(answer.note ? { message: answer.note } : null);
            var rows = [
              ["c (the network's value)", number(answer.actual)], ["ĉ = ⟨x|Hᴵ⟩ + ⟨x_b|Hᵇ⟩", number(answer.reconstructed)],
              ["ε = (ĉ − c)/c", answer.relativeError.toExponential(2)], ["⟨x|Hᴵ⟩", number(answer.imageContribution)],
              ["⟨x_b|Hᵇ⟩", number(answer.biasContribution)], ["k", answer.k],
              ["own bias included", answer.includesOwnBias ? "yes" : "no"],
              ["H at k = " + answer.scaleCheck.k + ": max|ΔH|/max|H|", answer.scaleCheck.relativeDistance.toExponential(2)],
              ["receptive field", answer.receptiveField], ["answer computed in", answer.milliseconds.toFixed(2) + " ms"]];
            $("numbers").tBodies[0].replaceChildren(...rows.map(function (row) {
              return el("tr", {}, [el("th", {}, [row[0]]), el("td", {}, [row[1]])]);
            }));
            $("bias-groups").tBodies[0].replaceChildren(...answer.biasGroups.map(function (group) {
              return el("tr", {}, [el("th", {}, [group.source]), el("td", {}, [group.count]),
                el("td", {}, [number(group.contribution, 5)]), el("td", {}, [number(group.magnitude, 5)])]);
            }));
          }
          async function refresh(all) {
            save();
            syncControls();
            try {
              report(null);
              if (window.EXPLORER_STATIC) $("upload").disabled = true;
              if (all) { await loadModel(); syncControls(); await loadThumbs(); await loadMaps(); }
              await loadBackMap();
              document.body.dataset.ready = "1";
            } catch (error) { report(error); }
          }
          ["model", "precision", "layer"].forEach(function (key) {
            $(key).addEventListener("change", function () { state[key] = $(key).value; refresh(true); });
          });
          ["mode", "channel", "row", "column", "in", "unit", "k"].forEach(function (key) {
            $(key).addEventListener("change", function () { state[key] = $(key).value; refresh(false); });
          });
          ["bias", "overlay"].forEach(function (key) {
            $(key).addEventListener("change", function () { state[key] = $(key).checked ? "1" : "0"; refresh(false); });
          });
          $("upload").addEventListener("change", async function () {
            var file = $("upload").files[0];
            if (!file) return;
            try {
              var response = await fetch("api/upload", { method: "POST", body: file, headers: { "Content-Type": "image/png" } });
              var body = await response.json();
              if (!response.ok) throw new Error(body.error);
              uploads[body.image] = body.png;
              state.image = body.image;
              refresh(true);
            } catch (error) { report(error); }
          });
          refresh(true);
        })();
        """#
}
