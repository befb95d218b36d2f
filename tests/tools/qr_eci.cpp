/* tests/tools/qr_eci.cpp -- decode the QR code of a binary PGM (P5, 8-bit) with zxing-cpp and say
 * whether it carries an ECI designator, for the test runner (zbarimg decodes the text but does not
 * say whether an ECI was present).
 *
 *   qr_eci IN.pgm
 *
 * writes the symbol's content "following the ECI protocol" (zxing-cpp's Result::bytesECI): an AIM
 * symbology identifier, then the data with each ECI designator written where it stands as a
 * backslash and six digits (a backslash in the data doubled). zxing-cpp 1.4 writes the identifier
 * "]Q2" (ISO/IEC 18004:2015 Annex F: QR Code, ECI protocol) in this form whether or not the symbol
 * holds a designator, and its symbologyIdentifier() says "]Q1" in both cases, so the designator is
 * the mark: a payload marked as UTF-8 comes out as "]Q2\000026" and its bytes, one with no marker
 * as "]Q2" and its bytes. Nothing else is written, no line end. Exit status 0; 1 with a message when the file cannot be read or holds no QR code;
 * 2 on a usage error. Built by tests/cards.sh with c++ against libzxing-dev (tools/deps.sh --check). */
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <cstdio>
#include <vector>

/* The next number of a PNM header, skipping blanks and comments; -1 when there is none. */
static long pgm_number(FILE *f)
{
    int c = getc(f);
    for (;;) {
        if (c == '#')
            while (c != '\n' && c != EOF)
                c = getc(f);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            break;
        c = getc(f);
    }
    if (c < '0' || c > '9')
        return -1;
    long v = 0;
    while (c >= '0' && c <= '9' && v < 1000000) {
        v = v * 10 + (c - '0');
        c = getc(f);
    }
    return v; /* the one blank after the number is consumed */
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: qr_eci IN.pgm\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    long w = -1, h = -1, max = -1;
    if (getc(f) == 'P' && getc(f) == '5') {
        w = pgm_number(f);
        h = pgm_number(f);
        max = pgm_number(f);
    }
    if (w <= 0 || h <= 0 || max != 255 || w > 100000 || h > 100000) {
        fprintf(stderr, "qr_eci: %s: expected a binary 8-bit PGM (P5, 255)\n", argv[1]);
        fclose(f);
        return 1;
    }
    std::vector<unsigned char> pixels((size_t)w * (size_t)h);
    size_t got = fread(pixels.data(), 1, pixels.size(), f);
    fclose(f);
    if (got != pixels.size()) {
        fprintf(stderr, "qr_eci: %s: expected %zu bytes of pixels, found %zu\n", argv[1], pixels.size(), got);
        return 1;
    }
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    ZXing::ImageView image(pixels.data(), (int)w, (int)h, ZXing::ImageFormat::Lum);
    ZXing::Result r = ZXing::ReadBarcode(image, hints);
    if (!r.isValid()) {
        fprintf(stderr, "qr_eci: %s: no QR code found\n", argv[1]);
        return 1;
    }
    ZXing::ByteArray out = r.bytesECI();
    fwrite(out.data(), 1, out.size(), stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
