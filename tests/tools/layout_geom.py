#!/usr/bin/env python3
"""tests/tools/layout_geom.py -- the geometry a layout file asks for, worked out here from the
file's own numbers and the page sizes of the standards (ISO 216 for A and B sizes, ANSI/ASME Y14.1
for Letter, Legal, Tabloid and Ledger), apart from handout's code: the tests hold handout's dump
to it (docs/formats.md, "Relative geometry" and "One design, many sizes", says what it does).

usage: layout_geom.py LAYOUT.ini [SIZE]
  prints "page W H RATIO", then one line per element in file order:
  "NAME TYPE X Y W H SIZE" (points, from the trim's top-left corner, y downwards; SIZE the font
  size or a QR code's size, "-" for others), at the size named (one of [page] sizes; default:
  the design size, [page] size)."""
import re
import sys

MM = 72 / 25.4
PAGES = {  # portrait, points
    "letter": (612, 792), "legal": (612, 1008), "tabloid": (792, 1224), "ledger": (1224, 792),
    "a0": (841 * MM, 1189 * MM), "a1": (594 * MM, 841 * MM), "a2": (420 * MM, 594 * MM),
    "a3": (297 * MM, 420 * MM), "a4": (210 * MM, 297 * MM), "a5": (148 * MM, 210 * MM),
    "a6": (105 * MM, 148 * MM), "b4": (250 * MM, 353 * MM), "b5": (176 * MM, 250 * MM),
}
UNITS = {"pt": 1, "in": 72, "mm": MM, "cm": 10 * MM}


def read_ini(path):
    secs, order, cur = {}, [], None
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if not s or s[0] in ";#":
            continue
        if s.startswith("["):
            cur = s[1:s.index("]")].strip().lower()
            secs[cur] = {}
            order.append(cur)
        elif "=" in s and cur is not None:
            k, v = s.split("=", 1)
            v = v.strip()
            if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
                v = v[1:-1]
            secs[cur][k.strip().lower()] = v
    return secs, order


def length(s):
    m = re.fullmatch(r"\s*(-?[0-9.]+)\s*(pt|in|mm|cm)?\s*", s)
    if not m or (m.group(2) is None and float(m.group(1)) != 0):
        raise ValueError("not a length: " + s)
    return float(m.group(1)) * UNITS.get(m.group(2) or "pt")


def page_size(s):
    s = s.strip().lower()
    if s in PAGES:
        return PAGES[s]
    a, b = s.split("x")
    return length(a), length(b)


class Geom:
    def __init__(self, path, want):
        self.secs, self.order = read_ini(path)
        page = self.secs["page"]
        dw, dh = page_size(page["size"])
        w, h = dw, dh
        if "sizes" in page:
            for item in page["sizes"].split(","):
                name, _, spec = item.partition(":")
                name = name.strip()
                spec = spec.strip() or name
                iw, ih = page_size(spec)
                if (want and name.lower() == want.lower()) or (not want and abs(iw - dw) < 0.01 and abs(ih - dh) < 0.01):
                    w, h = iw, ih
                    break
            else:
                if want:
                    raise SystemExit("no size " + want)
        if page.get("orientation") == "landscape":
            w, h, dw, dh = max(w, h), min(w, h), max(dw, dh), min(dw, dh)
        elif page.get("orientation") == "portrait":
            w, h, dw, dh = min(w, h), max(w, h), min(dw, dh), max(dw, dh)
        self.W, self.H, self.ratio = w, h, w / dw
        m = self.len(page.get("margin", "36pt"), None)
        self.margin = [self.len(page[k], a) if k in page else m
                       for k, a in (("margin_top", "y"), ("margin_right", "x"), ("margin_bottom", "y"), ("margin_left", "x"))]
        self.boxes = {}

    def len(self, s, axis):
        """a length of the design: a percentage of the trim (along axis unless it says w or h), or
        an absolute one scaled by the ratio of the widths"""
        m = re.fullmatch(r"\s*([0-9.]+)%([wh]?)\s*", s)
        if m:
            of = m.group(2) or axis
            return float(m.group(1)) / 100 * (self.W if of in ("x", "w") else self.H)
        return length(s) * self.ratio

    def box(self, name, stack=()):
        if name in self.boxes:
            return self.boxes[name]
        if name == "trim" and name not in self.secs:
            return (0, 0, self.W, self.H)
        if name == "safe" and name not in self.secs:
            t, r, b, l = self.margin
            return (l, t, self.W - l - r, self.H - t - b)
        if name in stack:
            raise SystemExit("cycle at " + name)
        e = self.secs[name]
        typ = e["type"]
        if typ == "qr":
            w = h = self.len(e["size"], None)
        elif typ == "rule":
            w = self.len(e["width"], "x") if "width" in e else 0
            h = self.len(e["height"], "y") if "height" in e else 0
        else:
            w = self.len(e["width"], "x") if "width" in e else None
            h = self.len(e["height"], "y") if "height" in e else None
        out = []
        for axis, pos, ln, near, far, mid in (("x", "x", w, ("right_of", "align_left"), ("left_of", "align_right"), "align_center"),
                                              ("y", "y", h, ("below", "align_top"), ("above", "align_bottom"), "align_middle")):
            i = 0 if axis == "x" else 1

            def part(key):  # gap or inset along this axis: "V H" or one for both
                vals = e.get(key, "0").split()
                return self.len(vals[-1] if axis == "x" else vals[0], axis)

            lo = hi = None
            if pos in e:
                lo = self.len(e[pos], axis)
            for k in near:
                if k in e:
                    t = self.box(e[k].lower(), stack + (name,))
                    lo = t[i] + t[i + 2] + part("gap") if k in ("right_of", "below") else t[i] + part("inset")
            for k in far:
                if k in e:
                    t = self.box(e[k].lower(), stack + (name,))
                    hi = t[i] - part("gap") if k in ("left_of", "above") else t[i] + t[i + 2] - part("inset")
            if mid in e:
                t = self.box(e[mid].lower(), stack + (name,))
                out += [t[i] + t[i + 2] / 2 - ln / 2, ln]
            elif lo is not None and hi is not None:
                out += [lo, hi - lo]
            elif lo is not None:
                out += [lo, ln]
            else:
                out += [hi - ln, ln]
        b = (out[0], out[2], out[1], out[3])
        self.boxes[name] = b
        return b


def main():
    g = Geom(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    print("page %.3f %.3f %.6f" % (g.W, g.H, g.ratio))
    for name in g.order:
        if name == "page":
            continue
        e = g.secs[name]
        x, y, w, h = g.box(name)
        size = "-"
        if e["type"] in ("text", "markdown"):
            size = "%.3f" % g.len(e.get("size", "12pt"), None)
        elif e["type"] == "qr":
            size = "%.3f" % w
        print("%s %s %.3f %.3f %.3f %.3f %s" % (name, e["type"], x, y, w, h, size))


main()
