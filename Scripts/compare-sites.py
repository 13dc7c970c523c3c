#!/usr/bin/env python3
"""Compares two built notebook sites page by page, ignoring insignificant differences.

Usage: Scripts/compare-sites.py REFERENCE_SITE NEW_SITE

Every .html file is parsed into a stream of start tags (attributes sorted, entity references
decoded), end tags and text (runs of whitespace collapsed to one space outside <pre>; inside
<pre> kept exactly). Other files (.js, .css, .json, images) are compared byte for byte. Prints
the first difference of each page and exits 1 when any page differs, 0 when all agree.
"""
import html.parser
import pathlib
import sys


class Normaliser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.pre = 0
        self.text = ""

    def flush(self):
        text = self.text if self.pre else " ".join(self.text.split())
        if text:
            self.tokens.append(("text", text))
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.flush()
        if tag == "pre":
            self.pre += 1
        self.tokens.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "pre":
            self.pre -= 1

    def handle_endtag(self, tag):
        self.flush()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        self.text += data

    def handle_decl(self, decl):
        self.flush()
        self.tokens.append(("decl", decl.lower()))


def tokens(path):
    parser = Normaliser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser.flush()
    return parser.tokens


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    reference, new = (pathlib.Path(arg) for arg in sys.argv[1:])
    names = sorted(
        {p.relative_to(reference) for p in reference.rglob("*") if p.is_file()}
        | {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    )
    differing = 0
    for name in names:
        a, b = reference / name, new / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {'the new site' if b.exists() else 'the reference'}")
            differing += 1
            continue
        if name.suffix == ".html":
            ta, tb = tokens(a), tokens(b)
            if ta != tb:
                index = next((i for i, (x, y) in enumerate(zip(ta, tb)) if x != y), min(len(ta), len(tb)))
                print(f"{name}: differs at token {index} of {len(ta)}/{len(tb)}:")
                print(f"  reference: {ta[index] if index < len(ta) else '(end)'}")
                print(f"  new:       {tb[index] if index < len(tb) else '(end)'}")
                differing += 1
        elif a.read_bytes() != b.read_bytes():
            print(f"{name}: bytes differ")
            differing += 1
    print(f"{len(names)} files compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
