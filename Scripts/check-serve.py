#!/usr/bin/env python3
"""Browser check of `notebook serve` in headless Chromium through Selenium.

Starts the server (release build in .build-serve) on a scratch notebook folder with one small
notebook, then checks that:

- explore.html loads: thumbnails, feature maps, the hypersurface figure and the table appear;
- a click on a unit of a feature map updates the figure and the table (RM2 of that unit), and
  the address bar holds the new view;
- the preview page reloads after the notebook is edited (new text shown);
- a broken block shows the error overlay with the notebook's file:line over the last good page;
- fixing the block removes the overlay and shows the fixed page.

Screenshots go to OUT. Usage: Scripts/check-serve.py [--out DIR] [--port N] [--explorer-only]
                               [--static SITE]
(--explorer-only: serve without building, check the explorer only; needs no notebook runner.
 --static SITE: check the static export in SITE (`notebook serve --export-explorer`) from file://.)
Exit status: 0 when every check passed, 1 otherwise, 2 when a tool is missing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
except ImportError:
    print("check-serve: selenium is missing (apt-get install python3-selenium)", file=sys.stderr)
    sys.exit(2)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = """---
title: Live preview check
timeout: 120
---

This page is the {version} version.

```swift
print(6 * 7)
```
"""
BROKEN = NOTEBOOK + """
```swift
let broken: Int = "not a number"
```
"""


class Check:
    def __init__(self, out):
        self.out = out
        self.failures = []
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(60)

    def check(self, description, ok, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'}  {description}" + (f": {detail}" if detail and not ok else ""))
        if not ok:
            self.failures.append(description)
        return ok

    def wait(self, condition, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if condition():
                    return True
            except Exception:  # the page may be reloading
                pass
            time.sleep(0.2)
        return False

    def shot(self, name):
        self.driver.save_screenshot(str(self.out / name))

    def js(self, script):
        return self.driver.execute_script(script)


def explorer(c, base, static=False):
    d = c.driver
    d.get(base + "/explore.html?model=vgg7&image=1&layer=2&mode=rm2&channel=4&row=3&column=3")
    c.check("explore.html loads and answers", c.wait(lambda: c.js("return document.body.dataset.ready") == "1", 60),
            c.js("return document.getElementById('error').textContent"))
    c.check("thumbnail strip with labels and predictions",
            len(d.find_elements(By.CSS_SELECTOR, "#thumbs .thumb")) == (4 if static else 16) and "→" in d.find_element(By.ID, "thumbs").text)
    maps = d.find_elements(By.CSS_SELECTOR, "#maps figure img")
    c.check("one feature map per channel of conv2", len(maps) > 8, f"{len(maps)} maps")
    before_figure = d.find_element(By.CSS_SELECTOR, "#figure .panel:nth-child(2) img").get_attribute("src")
    before_table = d.find_element(By.ID, "numbers").text
    c.check("the table shows c, ĉ and ε", "ĉ" in before_table and "ε" in before_table, before_table[:200])
    c.shot("explore-before.png")
    target = maps[10]
    ActionChains(d).move_to_element_with_offset(target, 5, 5).click().perform()
    changed = c.wait(lambda: d.find_element(By.CSS_SELECTOR, "#figure .panel:nth-child(2) img").get_attribute("src") != before_figure
                     and d.find_element(By.ID, "numbers").text != before_table, 20)
    c.check("a click on a unit updates the figure and the table", changed)
    mode = d.find_element(By.ID, "figure").get_attribute("data-mode")
    if static:
        c.check("the click maps the nearest precomputed RM2 unit", mode.startswith("RM2(layer 2, channel"), mode)
        c.check("the page says the static set answered", "Static explorer" in d.find_element(By.ID, "error").text)
        return
    c.check("the click maps RM2 of channel 10", mode.startswith("RM2(layer 2, channel 10,"), mode)
    c.check("the address bar holds the view", "channel=10" in d.current_url, d.current_url)
    c.shot("explore-after-click.png")


def live(c, base, notebook, site):
    d = c.driver
    d.get(base + "/live.html")
    c.check("the preview page is served with the live-reload script",
            "first version" in d.page_source and "/__live/live.js" in d.page_source)
    c.js("window.__beforeEdit = true;")
    notebook.write_text(NOTEBOOK.format(version="second"))
    reloaded = c.wait(lambda: c.js("return window.__beforeEdit === undefined") and "second version" in d.page_source, 240)
    c.check("the page reloads after the notebook is edited", reloaded)
    notebook.write_text(BROKEN.format(version="second"))
    overlay = c.wait(lambda: d.find_element(By.ID, "live-build-error").is_displayed(), 240)
    text = d.find_element(By.ID, "live-build-error").text if overlay else ""
    c.check("a broken block shows the error overlay with file:line", overlay and "live.md:" in text, text[:300])
    c.check("the last good page stays under the overlay", "second version" in d.page_source)
    c.shot("live-error-overlay.png")
    notebook.write_text(NOTEBOOK.format(version="third"))
    fixed = c.wait(lambda: "third version" in d.page_source and not d.find_elements(By.ID, "live-build-error"), 240)
    c.check("fixing the block removes the overlay", fixed)
    c.shot("live-fixed.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / ".build-check/serve-screenshots")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--explorer-only", action="store_true")
    parser.add_argument("--static", type=Path, help="a site holding the static explorer export")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.static:
        c = Check(args.out)
        try:
            print("static explorer from file://")
            explorer(c, args.static.resolve().as_uri(), static=True)
            c.shot("static-explorer.png")
        finally:
            c.driver.quit()
        return 1 if c.failures else 0
    binary = ROOT / ".build-serve/release/notebook"
    if not binary.exists():
        print(f"check-serve: build first: swift build -c release --scratch-path .build-serve --product notebook", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="check-serve-"))
    folder = scratch / "Notebooks"
    folder.mkdir()
    notebook = folder / "live.md"
    notebook.write_text(NOTEBOOK.format(version="first"))
    site = scratch / "Site"
    command = [str(binary), "serve", str(folder), "--project", str(ROOT), "--site", str(site), "--port", str(args.port)]
    if args.explorer_only:
        site.mkdir()
        (site / "live.html").write_text("<html><body>not built</body></html>")
        command.append("--no-build")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(scratch / "serve.log", "w"))
    c = None
    try:
        deadline = time.time() + 300
        while not (site / "live.html").exists() and time.time() < deadline and server.poll() is None:
            time.sleep(0.5)
        if not (site / "live.html").exists():
            print("check-serve: the first build did not finish; log:\n" + (scratch / "serve.log").read_text())
            return 1
        c = Check(args.out)
        base = f"http://127.0.0.1:{args.port}"
        print("explorer")
        explorer(c, base)
        if not args.explorer_only:
            print("live preview")
            live(c, base, notebook, site)
        print(f"screenshots in {args.out}")
        if c.failures:
            print("server log:\n" + (scratch / "serve.log").read_text()[-3000:])
        return 1 if c.failures else 0
    finally:
        if c:
            c.driver.quit()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
