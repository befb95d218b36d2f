#!/usr/bin/env python3
"""tests/tools/flyer_text.py -- the words a content set gives the flyer (layouts/flyer.ini), read
from the set's own files apart from handout's code, checked against the text pdftotext takes out
of the built PDF.

usage: flyer_text.py CONTENT_DIR PDFTOTEXT_OUTPUT
  prints one line per content line not found in the PDF's text ("missing: ..."), nothing when all
  are there. A content line is each field the flyer prints ([content] title, subtitle,
  hotline_label, hotline, textline_label, hotline_caption, donate_caption, footer: placeholders
  {name} expanded from the same file) and each non-empty line of what-is.md and act.md (Markdown
  marks, # headings, ** and _ emphasis, list bullets and [text](url) links, taken off). Both
  sides are compared without white space, hyphens and soft hyphens (the PDF breaks lines and
  hyphenates words where the content has neither), NFC-normalised."""
import re
import sys
import unicodedata

FIELDS = ["title", "subtitle", "hotline_label", "hotline", "textline_label", "hotline_caption",
          "donate_caption", "footer"]


def read_content(path):
    vals, sec = {}, None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if not s or s[0] in ";#":
            continue
        if s.startswith("["):
            sec = s[1:s.index("]")].strip()
            continue
        if sec == "content" and "=" in s:
            k, v = s.split("=", 1)
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                v = v[1:-1]
            vals[k.strip()] = v
    return vals


def expand(v, vals, depth=0):
    if depth > 8:
        return v
    return re.sub(r"\{([a-z0-9_]+)\}", lambda m: expand(vals.get(m.group(1), m.group(0)), vals, depth + 1), v)


def squeeze(s):
    s = unicodedata.normalize("NFC", s)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", s)


def md_lines(path, vals):
    out = []
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if not s:
            continue
        s = re.sub(r"^#+\s*", "", s)
        s = re.sub(r"^([-*+]|\d+[.)])\s+", "", s)
        s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
        s = s.replace("**", "").replace("__", "")
        s = re.sub(r"(?<![\w])_(.+?)_(?![\w])", r"\1", s)
        out.append(expand(s, vals))
    return out


def main():
    cdir, txt = sys.argv[1], sys.argv[2]
    vals = read_content(cdir + "/content.ini")
    lines = [expand(vals[f], vals) for f in FIELDS if f in vals]
    missing_fields = [f for f in FIELDS if f not in vals]
    for name in ("what-is.md", "act.md"):
        lines += md_lines(cdir + "/" + name, vals)
    text = squeeze(open(txt, encoding="utf-8").read())
    for f in missing_fields:
        print("missing field in content.ini: " + f)
    n = 0
    for line in lines:
        n += 1
        # a field may hold \n (two lines): each part on its own
        for part in line.split("\\n"):
            if squeeze(part) and squeeze(part) not in text:
                print("missing: " + part)
    if n == 0:
        print("no content line read")


if __name__ == "__main__":
    main()
