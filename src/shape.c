/* shape: HarfBuzz's shaper behind handles of our own. Each face is the file's blob (HarfBuzz maps
 * the file), a face of it and a font at the scale of its units per em, so the positions HarfBuzz
 * gives are exact font units, the numbers `hb-shape` prints for the same font, and are turned
 * into points only at the end. */
#include "shape.h"
#include "grow.h"
#include "utf8.h"

#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shape_face {
    char *file;
    int index;
    unsigned upem;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
};

struct shape {
    shape_face **faces; /* each allocated alone: callers keep pointers */
    size_t nfaces, capfaces;
    hb_buffer_t *buf;
};

shape *shape_new(void)
{
    shape *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(s->buf)) {
        hb_buffer_destroy(s->buf);
        free(s);
        return NULL;
    }
    return s;
}

static void face_free(shape_face *f)
{
    if (!f)
        return;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->file);
    free(f);
}

void shape_free(shape *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfaces; i++)
        face_free(s->faces[i]);
    free(s->faces);
    hb_buffer_destroy(s->buf);
    free(s);
}

const shape_face *shape_face_get(shape *s, const char *file, int index, char *why, size_t whylen)
{
    for (size_t i = 0; i < s->nfaces; i++)
        if (s->faces[i]->index == index && strcmp(s->faces[i]->file, file) == 0)
            return s->faces[i];
    if (index < 0) {
        snprintf(why, whylen, "%s: a face index is 0 or more, found %d", file, index);
        return NULL;
    }
    shape_face *f = calloc(1, sizeof *f);
    if (!f || !(f->file = strdup(file)) || !GROW(s->faces, s->nfaces, s->capfaces)) {
        face_free(f);
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    f->index = index;
    f->blob = hb_blob_create_from_file_or_fail(file);
    if (!f->blob) {
        snprintf(why, whylen, "%s: cannot read the font file", file);
        face_free(f);
        return NULL;
    }
    unsigned count = hb_face_count(f->blob);
    if (count == 0 || (unsigned)index >= count) {
        if (count == 0)
            snprintf(why, whylen, "%s: not an OpenType or TrueType font", file);
        else
            snprintf(why, whylen, "%s: no face %d in the file (it holds %u, from 0)", file, index, count);
        face_free(f);
        return NULL;
    }
    f->face = hb_face_create(f->blob, (unsigned)index);
    f->upem = hb_face_get_upem(f->face);
    if (hb_face_get_glyph_count(f->face) == 0) {
        snprintf(why, whylen, "%s: face %d has no glyphs", file, index);
        face_free(f);
        return NULL;
    }
    f->font = hb_font_create(f->face); /* scale: units per em; OpenType's own functions */
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    hb_face_make_immutable(f->face);
    hb_font_make_immutable(f->font);
    s->faces[s->nfaces++] = f;
    return f;
}

const char *shape_face_file(const shape_face *f)
{
    return f->file;
}

int shape_face_index(const shape_face *f)
{
    return f->index;
}

unsigned shape_face_upem(const shape_face *f)
{
    return f->upem;
}

hb_face_t *shape_face_hb_face(const shape_face *f)
{
    return f->face;
}

hb_font_t *shape_face_hb_font(const shape_face *f)
{
    return f->font;
}

bool shape_face_ink(const shape_face *f, uint32_t glyph, int32_t *top, int32_t *bottom)
{
    hb_glyph_extents_t x;
    *top = *bottom = 0;
    if (!hb_font_get_glyph_extents(f->font, glyph, &x))
        return false;
    /* y_bearing: the top of the box; height: downwards, so negative */
    *top = x.y_bearing;
    *bottom = x.y_bearing + x.height;
    return true;
}

/* An ISO 15924 tag: four ASCII letters. */
static bool script_tag_ok(const char *t)
{
    if (strlen(t) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return false;
    return true;
}

/* A BCP 47 tag, loosely: ASCII letters, digits and hyphens, starting with a letter. */
static bool lang_tag_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 2 || n > 35 || !((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z')))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9') ||
              t[i] == '-'))
            return false;
    return true;
}

bool shape_text(shape *s, const shape_face *f, const char *text, size_t len, double size,
                const char *script, shape_dir dir, const char *lang, shape_run *out, char *why,
                size_t whylen)
{
    out->n = 0;
    out->width = 0;
    long bad = utf8_invalid_at(text, len);
    if (bad >= 0) {
        snprintf(why, whylen, "the text is not valid UTF-8 at byte %ld", bad);
        return false;
    }
    if (script && !script_tag_ok(script)) {
        snprintf(why, whylen, "a script is an ISO 15924 tag of four letters (\"Arab\"), found \"%s\"", script);
        return false;
    }
    if (lang && !lang_tag_ok(lang)) {
        snprintf(why, whylen, "a language is a BCP 47 tag (\"ar\", \"zh-Hans\"), found \"%s\"", lang);
        return false;
    }
    if (len > (size_t)0x3FFFFFFF) {
        snprintf(why, whylen, "a run of %zu bytes is too long to shape", len);
        return false;
    }
    hb_buffer_t *b = s->buf;
    hb_buffer_clear_contents(b);
    hb_buffer_add_utf8(b, text, (int)len, 0, (int)len);
    hb_buffer_set_direction(b, dir == SHAPE_RTL ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    if (script)
        hb_buffer_set_script(b, hb_script_from_string(script, 4));
    if (lang)
        hb_buffer_set_language(b, hb_language_from_string(lang, -1));
    hb_buffer_guess_segment_properties(b); /* fills only what was not set */
    hb_shape(f->font, b, NULL, 0);
    if (!hb_buffer_allocation_successful(b)) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &n);
    if (!grow_to((void **)&out->glyphs, &out->cap, n ? n : 1, sizeof *out->glyphs)) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    double k = size / (double)f->upem;
    double width = 0;
    for (unsigned i = 0; i < n; i++) {
        shape_glyph *g = &out->glyphs[i];
        g->id = info[i].codepoint;
        g->cluster = info[i].cluster;
        g->ax = pos[i].x_advance * k;
        g->ay = pos[i].y_advance * k;
        g->dx = pos[i].x_offset * k;
        g->dy = pos[i].y_offset * k;
        width += g->ax;
    }
    out->n = n;
    out->width = width;
    return true;
}

void shape_run_free(shape_run *r)
{
    if (!r)
        return;
    free(r->glyphs);
    r->glyphs = NULL;
    r->n = r->cap = 0;
    r->width = 0;
}
