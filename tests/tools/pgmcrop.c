/* tests/tools/pgmcrop.c -- cut rectangles out of a binary PGM (P5, 8-bit), for the test runner.
 *
 *   pgmcrop IN.pgm OUT.pgm X Y W H [OUT.pgm X Y W H]...
 *
 * writes each OUT.pgm: the rectangle X, Y, W, H of the image (pixels, from the top-left corner;
 * clipped to the image).  tests/run.sh renders a sheet once with pdftoppm and cuts each
 * QR code out with this, instead of starting pdftoppm once per code (process start-up is most of
 * the cost of decoding a sheet of ten codes).  Built by tests/run.sh with cc when available; the
 * runner falls back to one pdftoppm crop per code otherwise.  Exit status 0, or 1 with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int next_number(FILE *f, long *out)
{
    int c;
    for (;;) {
        c = getc(f);
        if (c == '#') {
            while (c != '\n' && c != EOF)
                c = getc(f);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
    }
    if (c < '0' || c > '9')
        return 0;
    long v = 0;
    while (c >= '0' && c <= '9' && v < 1000000) {
        v = v * 10 + (c - '0');
        c = getc(f);
    }
    *out = v; /* c is the single whitespace after the number */
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 7 || (argc - 2) % 5 != 0) {
        fprintf(stderr, "usage: pgmcrop IN.pgm OUT.pgm X Y W H [OUT.pgm X Y W H]...\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "pgmcrop: cannot open %s\n", argv[1]);
        return 1;
    }
    long w = 0, h = 0, maxval = 0;
    if (getc(f) != 'P' || getc(f) != '5' || !next_number(f, &w) || !next_number(f, &h) ||
        !next_number(f, &maxval) || maxval != 255 || w < 1 || h < 1) {
        fprintf(stderr, "pgmcrop: %s is not an 8-bit binary PGM\n", argv[1]);
        fclose(f);
        return 1;
    }
    unsigned char *img = malloc((size_t)w * (size_t)h);
    if (!img || fread(img, 1, (size_t)w * (size_t)h, f) != (size_t)w * (size_t)h) {
        fprintf(stderr, "pgmcrop: %s is truncated\n", argv[1]);
        free(img);
        fclose(f);
        return 1;
    }
    fclose(f);
    int status = 0;
    for (int i = 2, n = 1; i + 4 < argc; i += 5, n++) {
        const char *path = argv[i];
        long x = atol(argv[i + 1]), y = atol(argv[i + 2]), cw = atol(argv[i + 3]), ch = atol(argv[i + 4]);
        if (x < 0)
            cw += x, x = 0;
        if (y < 0)
            ch += y, y = 0;
        if (x + cw > w)
            cw = w - x;
        if (y + ch > h)
            ch = h - y;
        if (cw < 1 || ch < 1) {
            fprintf(stderr, "pgmcrop: rectangle %d lies outside the %ldx%ld image\n", n, w, h);
            status = 1;
            continue;
        }
        FILE *o = fopen(path, "wb");
        if (!o) {
            fprintf(stderr, "pgmcrop: cannot write %s\n", path);
            status = 1;
            continue;
        }
        fprintf(o, "P5\n%ld %ld\n255\n", cw, ch);
        for (long r = 0; r < ch; r++)
            fwrite(img + (size_t)(y + r) * (size_t)w + (size_t)x, 1, (size_t)cw, o);
        if (fclose(o) != 0) {
            fprintf(stderr, "pgmcrop: cannot write %s\n", path);
            status = 1;
        }
    }
    free(img);
    return status;
}
