#!/usr/bin/env python3
"""tests/tools/logo_place.py -- where a logo landed on a product, seen on the rendered pages.

usage: logo_place.py WITHOUT.pdf WITH.pdf CLEARANCE_PT

WITH.pdf is WITHOUT.pdf's product built again with a logo of one flat colour (pure green). Both
are rendered with pdftoppm (144 dpi, or 72 dpi for pages longer than 17 in); the pixels that
differ between the two are where the logo was drawn. Prints, for each page whose pixels differ (where a logo was drawn), one line:

  logo PAGE X0 Y0 X1 Y1 W H GREEN CLEAR NEAREST WORD EDGE
     X0..Y1      the changed pixels' bounding box, in pt from the page's top left; W H the page's size
     GREEN       yes when the box's centre and its four inner quarter points are the logo's colour
                 (one logo drawn whole, not two apart or another change), else no
     CLEAR       "clear" when, on the page WITHOUT the logo, the box grown by CLEARANCE_PT on every
                 side is one flat colour: nothing else is drawn there (text, a code and its quiet
                 zone, a rule), so the logo covers nothing and crowds nothing; else where ink is
     NEAREST     the least distance in pt from the box to a word's box that pdftotext -bbox finds
                 on that page WITH the logo ("none" without words), and WORD that word
     EDGE        the colour (rrggbb) 2 pixels inside the box's left edge, half way down: a
                 backdrop panel's, or the logo's own

then "pages N" (first) and "changed_pages P..." (last; "none" when no page differs).
"""
import re
import subprocess
import sys
import tempfile
import os


def pages_of(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def page_size(pdf, page):
    out = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), pdf],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"^Page\s+%d size:\s+([\d.]+) x ([\d.]+)" % page, out, re.M)
    return float(m.group(1)), float(m.group(2))


def render(pdf, page, dpi, folder, tag):
    base = os.path.join(folder, tag)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    pdf, base], check=True)
    with open(base + ".ppm", "rb") as f:
        data = f.read()
    os.unlink(base + ".ppm")
    # P6 header: magic, width, height, maxval, each separated by white space
    fields, pos = [], 0
    while len(fields) < 4:
        m = re.compile(rb"\s*(\S+)").match(data, pos)
        fields.append(m.group(1))
        pos = m.end()
    pos += 1
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos:pos + w * h * 3]


def first_diff(a, b):
    """The first index where two equal-length byte strings differ (they do differ)."""
    lo, hi = 0, len(a)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] != b[lo:mid]:
            hi = mid
        else:
            lo = mid
    return lo


def last_diff(a, b):
    lo, hi = 0, len(a)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[mid:hi] != b[mid:hi]:
            lo = mid
        else:
            hi = mid
    return lo


def pixel(img, x, y):
    w, _, d = img
    i = (y * w + x) * 3
    return d[i], d[i + 1], d[i + 2]


def is_green(p):
    return p[0] < 60 and p[1] > 190 and p[2] < 60


def describe(without, with_logo, page, dpi, a, b, bbox, size, clearance):
    """The facts of one changed page, on one line."""
    x0, y0, x1, y1 = bbox
    pw, ph = size
    s = 72.0 / dpi
    box = (x0 * s, y0 * s, (x1 + 1) * s, (y1 + 1) * s)
    pts = [((x0 + x1) // 2, (y0 + y1) // 2)]
    for fx in (0.25, 0.75):
        for fy in (0.25, 0.75):
            pts.append((int(x0 + fx * (x1 - x0)), int(y0 + fy * (y1 - y0))))
    green = all(is_green(pixel(b, x, y)) for x, y in pts)
    # the page without the logo, around the box: one flat colour?
    c = int(round(clearance / s))
    gx0, gy0 = max(0, x0 - c), max(0, y0 - c)
    gx1, gy1 = min(a[0] - 1, x1 + c), min(a[1] - 1, y1 + c)
    ref = pixel(a, gx0, gy0)
    where = ""
    for y in range(gy0, gy1 + 1):
        row = a[2][(y * a[0] + gx0) * 3:(y * a[0] + gx1 + 1) * 3]
        if row != bytes(ref) * (gx1 - gx0 + 1):
            for x in range(gx0, gx1 + 1):
                if pixel(a, x, y) != ref:
                    where = "ink_%d,%d,%d_at_%.1f,%.1f_pt_on_%d,%d,%d" % (pixel(a, x, y) + (x * s, y * s) + ref)
                    break
            break
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), with_logo, "-"],
                         capture_output=True, text=True, check=True).stdout
    best, best_word = None, ""
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out):
        wx0, wy0, wx1, wy1 = (float(m.group(i)) for i in range(1, 5))
        dx = max(box[0] - wx1, wx0 - box[2], 0)
        dy = max(box[1] - wy1, wy0 - box[3], 0)
        d = (dx * dx + dy * dy) ** 0.5
        if best is None or d < best:
            best, best_word = d, m.group(5)
    # the colour just inside the box's left edge, half way down: the ground of the logo's own
    # image, or of a backdrop panel drawn under it
    edge = pixel(b, min(x0 + 2, x1), (y0 + y1) // 2)
    print("logo %d %.2f %.2f %.2f %.2f %.2f %.2f %s %s %s %s %02x%02x%02x" % (
        page, box[0], box[1], box[2], box[3], pw, ph, "yes" if green else "no",
        where or "clear", "none" if best is None else "%.2f" % best, re.sub(r"\s", "_", best_word) or "-",
        edge[0], edge[1], edge[2]))


def main():
    without, with_logo, clearance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    n = pages_of(without)
    print("pages", n if pages_of(with_logo) == n else "%d/%d" % (n, pages_of(with_logo)))
    if pages_of(with_logo) != n:
        return
    changed = []
    with tempfile.TemporaryDirectory() as tmp:
        for page in range(1, n + 1):
            pw, ph = page_size(without, page)
            dpi = 144 if max(pw, ph) <= 17 * 72 + 0.5 else 72
            a = render(without, page, dpi, tmp, "a")
            b = render(with_logo, page, dpi, tmp, "b")
            if a[2] == b[2]:
                continue
            changed.append(page)
            w, h = a[0], a[1]
            stride = w * 3
            x0, y0, x1, y1 = w, h, -1, -1
            for y in range(h):
                ra, rb = a[2][y * stride:(y + 1) * stride], b[2][y * stride:(y + 1) * stride]
                if ra == rb:
                    continue
                y0, y1 = min(y0, y), max(y1, y)
                x0 = min(x0, first_diff(ra, rb) // 3)
                x1 = max(x1, last_diff(ra, rb) // 3)
            describe(without, with_logo, page, dpi, a, b, (x0, y0, x1, y1), (pw, ph), clearance)
    print("changed_pages", " ".join(map(str, changed)) if changed else "none")


if __name__ == "__main__":
    main()
