/* qr: libqrencode behind a small interface. libqrencode reports through errno (ERANGE: the data
 * does not fit version 40; EINVAL: bad arguments), read at once after the call. A module is dark
 * when bit 0 of its byte is set; the other bits are libqrencode's own. */
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

qr_status qr_encode(const char *payload, char ecc, qr_code *out)
{
    QRecLevel level;
    switch (ecc) {
    case 'L': level = QR_ECLEVEL_L; break;
    case 'M': level = QR_ECLEVEL_M; break;
    case 'Q': level = QR_ECLEVEL_Q; break;
    case 'H': level = QR_ECLEVEL_H; break;
    default: return QR_BAD_INPUT;
    }
    if (payload[0] == '\0')
        return QR_BAD_INPUT;
    errno = 0;
    /* 8-bit mode, case-sensitive: the payload comes back byte for byte */
    QRcode *q = QRcode_encodeString(payload, 0, level, QR_MODE_8, 1);
    int err = errno;
    if (!q)
        return err == ERANGE ? QR_TOO_LONG : err == ENOMEM ? QR_NO_MEMORY : QR_BAD_INPUT;
    size_t n = (size_t)q->width * (size_t)q->width;
    out->dark = malloc(n);
    if (!out->dark) {
        QRcode_free(q);
        return QR_NO_MEMORY;
    }
    for (size_t i = 0; i < n; i++)
        out->dark[i] = q->data[i] & 1;
    out->version = q->version;
    out->width = q->width;
    QRcode_free(q);
    return QR_OK;
}

void qr_code_free(qr_code *q)
{
    if (q) {
        free(q->dark);
        q->dark = NULL;
    }
}

size_t qr_runs(const qr_code *q, qr_run **runs)
{
    size_t cap = 64, n = 0;
    qr_run *r = malloc(cap * sizeof *r);
    if (!r) {
        *runs = NULL;
        return 0;
    }
    for (int y = 0; y < q->width; y++) {
        const unsigned char *row = q->dark + (size_t)y * (size_t)q->width;
        int x = 0;
        while (x < q->width) {
            if (!row[x]) {
                x++;
                continue;
            }
            int start = x;
            while (x < q->width && row[x])
                x++;
            if (n == cap) {
                cap *= 2;
                qr_run *nr = realloc(r, cap * sizeof *nr);
                if (!nr) {
                    free(r);
                    *runs = NULL;
                    return 0;
                }
                r = nr;
            }
            r[n].x = start;
            r[n].y = y;
            r[n].len = x - start;
            n++;
        }
    }
    *runs = r;
    return n;
}
