/// The site's one script, `assets/notebook.js`: the dark-mode toggle (following the system
/// setting until the reader picks a theme, which is then kept in `localStorage`), the sidebar
/// folded on narrow screens, and search over the index in `assets/search-index.js` with Lunr.
///
/// Pages read fully without it: it only adds the toggle and the search box.
enum SiteScript {
    /// The script; loaded in `<head>` so the theme is set before the page is painted.
    static let javaScript = """
        (function () {
          'use strict';
          var root = document.documentElement;
          var key = 'notebook-theme';
          function stored() {
            try { return localStorage.getItem(key); } catch (error) { return null; }
          }
          function system() {
            return window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches
              ? 'dark' : 'light';
          }
          function apply(theme) {
            root.setAttribute('data-theme', theme);
            var button = document.querySelector('button.theme-toggle');
            if (!button) return;
            button.setAttribute('aria-pressed', theme === 'dark' ? 'true' : 'false');
          }
          apply(stored() || system());

          function setUpTheme() {
            var button = document.querySelector('button.theme-toggle');
            if (!button) return;
            button.hidden = false;
            apply(root.getAttribute('data-theme'));
            button.addEventListener('click', function () {
              var next = root.getAttribute('data-theme') === 'dark' ? 'light' : 'dark';
              try { localStorage.setItem(key, next); } catch (error) { /* private mode */ }
              apply(next);
            });
            if (window.matchMedia) {
              matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function (event) {
                if (!stored()) apply(event.matches ? 'dark' : 'light');
              });
            }
          }

          function terms(text) {
            return lunr.tokenizer(text).map(lunr.trimmer)
              .filter(function (token) { return token.toString() && lunr.stopWordFilter(token); });
          }
          function find(index, text) {
            var tokens = terms(text);
            if (!tokens.length) return [];
            var results = index.query(function (query) {
              tokens.forEach(function (token) {
                query.term(token, { presence: lunr.Query.presence.REQUIRED });
              });
            });
            if (results.length) return results;
            return index.query(function (query) {
              tokens.forEach(function (token, position) {
                var last = position === tokens.length - 1;
                query.term(token, {
                  presence: lunr.Query.presence.REQUIRED, usePipeline: !last,
                  wildcard: last ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
                });
              });
            });
          }
          function setUpSearch() {
            var box = document.querySelector('.search');
            var input = document.getElementById('search-input');
            var list = document.getElementById('search-results');
            var status = document.getElementById('search-status');
            var data = window.notebookSearch;
            if (!box || !input || !list || !status || !window.lunr || !data) return;
            box.hidden = false;
            var index = null;
            input.addEventListener('input', function () {
              var text = input.value.trim();
              list.textContent = '';
              if (text.length < 2) { status.textContent = ''; return; }
              if (!index) index = lunr.Index.load(data.index);
              var results = find(index, text);
              status.textContent = results.length === 0 ? 'No page matches.'
                : results.length + (results.length === 1 ? ' match' : ' matches');
              results.slice(0, 12).forEach(function (result) {
                var entry = data.documents[result.ref];
                if (!entry) return;
                var item = document.createElement('li');
                var link = document.createElement('a');
                link.href = result.ref;
                link.textContent = entry.section || entry.page;
                item.appendChild(link);
                if (entry.section) {
                  var page = document.createElement('span');
                  page.textContent = entry.page;
                  item.appendChild(page);
                }
                list.appendChild(item);
              });
            });
          }

          document.addEventListener('DOMContentLoaded', function () {
            setUpTheme();
            var pages = document.querySelector('.sidebar details.pages');
            if (pages && window.matchMedia && matchMedia('(max-width: 63.99rem)').matches) {
              pages.removeAttribute('open');
            }
            setUpSearch();
          });
        })();

        """

    /// The Node.js program that builds the Lunr index: reads a JSON array of
    /// `{id, title, body}` from the file named by its first argument, writes the serialised
    /// index.
    static let indexBuilder = """
        const lunr = require(process.argv[2]);
        const documents = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
        const index = lunr(function () {
          this.ref('id');
          this.field('title', { boost: 4 });
          this.field('body');
          documents.forEach((document) => this.add(document));
        });
        process.stdout.write(JSON.stringify(index));
        """
}
