#!/usr/bin/env python3
"""Browser checks for a built notebook site, in headless Chromium through Selenium.

Every page is opened from file:// at a desktop and a phone width, in the light and the dark
theme, and checked for:

- typeset math (KaTeX HTML present, no katex-error, no raw $$ left);
- no horizontal overflow outside scroll containers (the page never scrolls sideways);
- no number broken across lines in a table cell;
- every image loaded, every local link, script and stylesheet pointing at a file that exists;
- KaTeX fonts loaded from the site itself;
- the sidebar listing every page of the course, the current one marked;
- the theme toggle switching light and dark, and the choice kept after a reload;
- search (Lunr) returning the page for a word that only that page contains;
- an accessibility scan (axe-core) with no serious or critical violations.

Screenshots of every page (desktop and phone, light and dark) go to the output folder.

Usage: Scripts/check-site.py SITE_DIR [--out DIR] [--term WORD ...] [--pages a.html,b.html]
Exit status: 0 when every check passed, 1 otherwise, 2 when the tools are missing.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:
    print("check-site: selenium is missing (apt-get install python3-selenium)", file=sys.stderr)
    sys.exit(2)

try:
    from axe_selenium_python import Axe
except ImportError:
    Axe = None

DESKTOP = (1280, 900)
PHONE = (390, 844)

# Elements whose right edge lies beyond the viewport, unless an ancestor scrolls or clips.
OVERFLOW_SCRIPT = """
const width = document.documentElement.clientWidth;
const offenders = [];
function clipped(element) {
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
  }
  return false;
}
for (const element of document.body.querySelectorAll('*')) {
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.right <= width + 1 || clipped(element)) continue;
  if (getComputedStyle(element).position === 'absolute' && box.left < -1000) continue;
  offenders.push(element.tagName.toLowerCase() + (element.className && typeof element.className === 'string'
    ? '.' + element.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(box.right));
}
return {scrollWidth: document.documentElement.scrollWidth, width: width,
        offenders: offenders.slice(0, 8), count: offenders.length};
"""

# Numbers in table cells whose characters lie on more than one line.
BROKEN_NUMBER_SCRIPT = """
const pattern = /[-\\u2212+]?\\d[\\d.,]*(?:e[-\\u2212+]?\\d+)?%?/gi;
const broken = [];
for (const cell of document.querySelectorAll('td, th')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.katex')) continue;
    for (const match of node.data.matchAll(pattern)) {
      if (match[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
}
return broken.slice(0, 8);
"""

IMAGES_SCRIPT = """
return Array.from(document.images).filter((image) => !(image.complete && image.naturalWidth > 0))
  .map((image) => image.getAttribute('src'));
"""

# KaTeX's font faces that loaded: the site's CSS names them with relative URLs and no local()
# fallback, so a loaded face came from the site's own assets/katex/fonts.
FONTS_SCRIPT = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => done(Array.from(document.fonts)
  .filter((face) => face.family.includes('KaTeX') && face.status === 'loaded')
  .map((face) => face.family + ' ' + face.weight + ' ' + face.style)));
"""

LOCAL_URLS_SCRIPT = """
const urls = [];
for (const element of document.querySelectorAll('a[href], link[href], script[src], img[src]')) {
  const value = element.getAttribute('href') || element.getAttribute('src');
  if (!value || value.startsWith('#') || value.startsWith('data:') || /^[a-z]+:/i.test(value)) continue;
  urls.push(new URL(value, document.baseURI).href);
}
return urls;
"""

# The prose a reader sees (no code, no math), where a search term is looked for.
TEXT_SCRIPT = """
const parts = [];
for (const element of document.querySelectorAll('main p, main li, main h2, main h3, main figcaption, main td, main th, header')) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('pre, code, .katex')) parts.push(node.data);
  }
}
return parts.join(' ');
"""

STOP_WORDS = set("""a able about across after all almost also am among an and any are as at be
because been but by can cannot could dear did do does either else ever every for from get got had
has have he her hers him his how however i if in into is it its just least let like likely may me
might most must my neither no nor not of off often on only or other our own rather said say says
she should since so some than that the their them then there these they this tis to too twas us
wants was we were what when where which while who whom why will with would yet you your""".split())


class Checker:
    def __init__(self, site, out, terms):
        self.site = site.resolve()
        self.out = out
        self.terms = terms
        self.failures = []
        self.screenshots = []
        options = webdriver.ChromeOptions()
        options.binary_location = find_browser()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--allow-file-access-from-files"):
            options.add_argument(flag)
        service = Service(executable_path=find_driver())
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(120)

    def check(self, description, ok, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'}  {description}" + (f": {detail}" if detail and not ok else ""))
        if not ok:
            self.failures.append(description)

    def url(self, page):
        return (self.site / page).as_uri()

    def viewport(self, size):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": size[0], "height": size[1], "deviceScaleFactor": 1,
            "mobile": size[0] < 600})

    def theme(self, name):
        self.driver.execute_script(
            "localStorage.setItem('notebook-theme', arguments[0]);", name)
        self.driver.refresh()
        time.sleep(0.3)

    def screenshot(self, page, label):
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        width = self.driver.execute_script("return document.documentElement.clientWidth")
        height = min(int(size["height"]), 12000)
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        import base64
        path = self.out / f"{Path(page).stem}-{label}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        self.screenshots.append(path)

    # --- the checks -------------------------------------------------------------------------

    def check_page(self, page, course):
        print(f"check-site: {page}")
        self.driver.get(self.url(page))
        time.sleep(0.3)
        html = self.driver.page_source
        if page != "index.html":
            self.check("math is typeset", 'class="katex"' in html or "$" not in html)
        self.check("no KaTeX errors", "katex-error" not in html)
        self.check("no raw $$ left in the text", "$$" not in self.driver.execute_script(
            "return document.body.innerText"))
        missing = [url for url in self.driver.execute_script(LOCAL_URLS_SCRIPT)
                   if urlparse(url).scheme == "file" and not os.path.exists(unquote(urlparse(url).path))]
        self.check("every local link, script, stylesheet and image exists", not missing,
                   ", ".join(sorted(set(missing))[:5]))
        fonts = self.driver.execute_async_script(FONTS_SCRIPT)
        if 'class="katex"' in html:
            self.check(f"KaTeX fonts load from the site ({len(fonts)} faces)", bool(fonts))
        links = [a.get_attribute("href") for a in
                 self.driver.find_elements(By.CSS_SELECTOR, ".sidebar ol.pages a")]
        listed = [Path(unquote(urlparse(link).path)).name for link in links]
        self.check("the sidebar lists every course page in order", listed == course,
                   f"{listed} != {course}")
        current = self.driver.find_elements(By.CSS_SELECTOR, ".sidebar a[aria-current='page']")
        if page in course:
            self.check("the sidebar marks the current page",
                       len(current) == 1 and current[0].get_attribute("href").endswith(page))
        for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
            self.viewport(size)
            for theme in ("light", "dark"):
                self.theme(theme)
                self.check_layout(f"{label}, {theme}")
                self.screenshot(page, f"{label}-{theme}")
                if label == "desktop" and Axe is not None:
                    self.check_accessibility(theme)
        self.viewport(DESKTOP)
        self.check_toggle()
        self.check_print()

    def check_layout(self, label):
        overflow = self.driver.execute_script(OVERFLOW_SCRIPT)
        self.check(f"no horizontal overflow ({label})",
                   overflow["scrollWidth"] <= overflow["width"] + 1 and overflow["count"] == 0,
                   f"page {overflow['scrollWidth']}px wide for {overflow['width']}px; "
                   + "; ".join(overflow["offenders"]))
        broken = self.driver.execute_script(BROKEN_NUMBER_SCRIPT)
        self.check(f"no number broken across lines in a table cell ({label})", not broken,
                   ", ".join(broken))
        unloaded = self.driver.execute_script(IMAGES_SCRIPT)
        self.check(f"every image loaded ({label})", not unloaded, ", ".join(unloaded[:5]))

    def check_toggle(self):
        self.theme("light")
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "button.theme-toggle")
        if not buttons:
            self.check("a theme toggle is shown", False)
            return
        background = lambda: self.driver.execute_script(
            "return getComputedStyle(document.body).backgroundColor")
        before = background()
        buttons[0].click()
        time.sleep(0.2)
        theme = self.driver.execute_script("return document.documentElement.dataset.theme")
        after = background()
        self.driver.refresh()
        time.sleep(0.3)
        kept = self.driver.execute_script("return document.documentElement.dataset.theme")
        self.check("the toggle switches to dark mode and the choice is kept",
                   theme == "dark" and before != after and kept == "dark",
                   f"theme {theme}, background {before} -> {after}, after reload {kept}")
        self.theme("light")

    def check_print(self):
        self.theme("dark")
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        state = self.driver.execute_script("""
            const shown = (selector) => Array.from(document.querySelectorAll(selector))
              .filter((element) => element.getClientRects().length > 0).length;
            return {sidebar: shown('.sidebar, nav.site'), code: shown('details.code > pre'),
                    callouts: shown('.callout'), allCallouts: document.querySelectorAll('.callout').length,
                    background: getComputedStyle(document.body).backgroundColor};
            """)
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        self.theme("light")
        self.check("print: no sidebar, code folded, callouts kept, light colours",
                   state["sidebar"] == 0 and state["code"] == 0
                   and state["callouts"] == state["allCallouts"]
                   and state["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), str(state))

    def check_accessibility(self, theme):
        Axe(self.driver).inject()
        results = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
              .then((result) => done(result.violations.map((v) => ({id: v.id, impact: v.impact,
                 nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3), count: v.nodes.length}))),
                    (error) => done([{id: 'axe-error', impact: 'critical', nodes: [String(error)], count: 1}]));
            """, ["wcag2a", "wcag2aa", "best-practice"])
        serious = [v for v in results if v["impact"] in ("serious", "critical")]
        detail = "; ".join(f"{v['id']} ({v['impact']}, {v['count']}x: {', '.join(v['nodes'])})"
                           for v in serious)
        self.check(f"axe: no serious or critical violations ({theme})", not serious, detail)
        minor = sorted({f"{v['id']} ({v['count']}x: {v['nodes'][0]})" for v in results if v not in serious})
        if minor:
            print(f"        axe, minor or moderate ({theme}): {'; '.join(minor)}")

    def page_words(self, pages):
        words = {}
        for page in pages:
            self.driver.get(self.url(page))
            text = self.driver.execute_script(TEXT_SCRIPT).lower()
            words[page] = set(re.findall(r"[a-z][a-z]{5,}", text)) - STOP_WORDS
        return words

    def search(self, page, query):
        self.driver.get(self.url(page))
        time.sleep(0.3)
        boxes = self.driver.find_elements(By.ID, "search-input")
        if not boxes or not boxes[0].is_displayed():
            return None
        boxes[0].clear()
        boxes[0].send_keys(query)
        time.sleep(0.4)
        return [Path(unquote(urlparse(a.get_attribute("href")).path)).name
                for a in self.driver.find_elements(By.CSS_SELECTOR, "#search-results a")]

    def check_search(self, pages):
        print("check-site: search")
        words = self.page_words(pages)
        for page in pages:
            others = set().union(*(words[p] for p in pages if p != page)) if len(pages) > 1 else set()
            unique = sorted(words[page] - others, key=lambda w: (-len(w), w))
            if not unique:
                print(f"  --    {page}: no word only this page contains")
                continue
            term = unique[0]
            results = self.search("index.html", term)
            self.check(f"search for '{term}' returns {page}", results is not None and page in results,
                       f"results: {results}")
        for number, term in enumerate(self.terms):
            results = self.search("index.html", term)
            if number == 0:
                self.screenshot("search", "results")
            self.check(f"search for '{term}' finds a page", bool(results),
                       f"results: {results}")
            if results:
                print(f"        '{term}': {', '.join(dict.fromkeys(results))}")

    def close(self):
        self.driver.quit()


def find_browser():
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if os.path.exists(candidate):
            return candidate
    print("check-site: no Chromium; apt-get install -y chromium chromium-driver", file=sys.stderr)
    sys.exit(2)


def find_driver():
    for candidate in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"):
        if os.path.exists(candidate):
            return candidate
    print("check-site: no chromedriver; apt-get install -y chromium-driver", file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", nargs="?", default="Site", type=Path)
    parser.add_argument("--out", type=Path, default=Path(".build-check/screenshots"))
    parser.add_argument("--term", action="append", default=[],
                        help="a search term that must find some page (repeatable)")
    parser.add_argument("--pages", help="comma-separated pages to check (default: all)")
    arguments = parser.parse_args()
    site = arguments.site
    manifest_file = site / "assets" / "pages.json"
    if not manifest_file.exists():
        print(f"check-site: {manifest_file} is missing; build the site first", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_file.read_text())
    pages = [entry["name"] + ".html" for entry in manifest["pages"]]
    course = [entry["name"] + ".html" for entry in manifest["pages"] if entry["isInCourse"]]
    selected = arguments.pages.split(",") if arguments.pages else ["index.html"] + pages
    arguments.out.mkdir(parents=True, exist_ok=True)
    if Axe is None:
        print("check-site: axe-selenium-python is missing; the accessibility scan is skipped "
              "(Scripts/check-site.sh installs it)", file=sys.stderr)
    checker = Checker(site, arguments.out, arguments.term)
    try:
        for page in selected:
            checker.check_page(page, course)
        checker.check_search(pages)
    finally:
        checker.close()
    print(f"check-site: {len(checker.screenshots)} screenshots in {arguments.out}")
    if Axe is None:
        checker.failures.append("accessibility scan not run")
    if checker.failures:
        print(f"check-site: {len(checker.failures)} check(s) failed", file=sys.stderr)
        return 1
    print("check-site: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
