"""tests/tools/pgm.py -- reads a binary greyscale PGM (pdftoppm -gray's P5 output) for the test
suites' pixel checks: read_pgm(path) -> (width, height, pixels), pixels one byte per pixel, row by
row, 0 black to 255 white. Header comments are skipped."""


def read_pgm(path):
    d = open(path, 'rb').read()
    parts, pos = [], 0
    while len(parts) < 4:
        while d[pos:pos + 1].isspace():
            pos += 1
        if d[pos:pos + 1] == b'#':
            pos = d.index(b'\n', pos)
            continue
        end = pos
        while not d[end:end + 1].isspace():
            end += 1
        parts.append(d[pos:end])
        pos = end
    pos += 1
    if parts[0] != b'P5' or int(parts[3]) > 255:
        raise ValueError('%s: expected an 8-bit binary PGM (P5), found %r' % (path, parts[0]))
    w, h = int(parts[1]), int(parts[2])
    return w, h, d[pos:pos + w * h]
