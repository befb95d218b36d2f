/* pdfpack: see pdfpack.h. */
#include "pdfpack.h"

#include <qpdf/qpdf-c.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first error libqpdf recorded, in why. */
static void pdfpack_reason(qpdf_data q, const char *what, char *why, size_t whylen)
{
    const char *detail = NULL;
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        detail = qpdf_get_error_full_text(q, e);
    }
    snprintf(why, whylen, "%s: %s", what, detail ? detail : "libqpdf failed");
}

bool pdfpack(const unsigned char *in, size_t len, atomic_file *a, char *why, size_t whylen)
{
    qpdf_data q = qpdf_init();
    if (!q) {
        snprintf(why, whylen, "compacting the PDF: out of memory");
        return false;
    }
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = false;
    if (qpdf_read_memory(q, "handout", (const char *)in, (unsigned long long)len, NULL) & QPDF_ERRORS) {
        pdfpack_reason(q, "compacting the PDF, reading it", why, whylen);
    } else if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
        pdfpack_reason(q, "compacting the PDF", why, whylen);
    } else {
        qpdf_set_object_stream_mode(q, qpdf_o_generate);
        qpdf_set_stream_data_mode(q, qpdf_s_preserve);
        qpdf_set_deterministic_ID(q, QPDF_TRUE);
        if (qpdf_write(q) & QPDF_ERRORS) {
            pdfpack_reason(q, "compacting the PDF, writing it", why, whylen);
        } else {
            atomic_write(a, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
            ok = true;
        }
    }
    qpdf_cleanup(&q);
    return ok;
}
