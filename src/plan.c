/* plan: an item's inputs, key and build command. See plan.h. */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "plan.h"
#include "build.h"
#include "strfmt.h"
#include "units.h"
#include "content.h"
#include "data.h"
#include "diag.h"
#include "impose.h"
#include "layout.h"
#include "sha256.h"
#include "status.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef HANDOUT_VERSION
#define HANDOUT_VERSION "0.1.0"
#endif


/* The digests of the files read so far: most items share fonts and content. */
typedef struct hash_cache {
    char **path;
    char (*sha)[SHA256_HEX];
    size_t n, cap;
} hash_cache;

typedef struct fonts_cache {
    char **root;
    fonts **f;
    int n, cap;
} fonts_cache;

struct plan_ctx {
    char *exe;
    char exe_sha[SHA256_HEX];
    char *epoch;
    hash_cache hashes;
    fonts_cache fonts;
};


static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

plan_ctx *plan_ctx_new(const char *exe, const char *exe_sha, const char *epoch)
{
    plan_ctx *pc = calloc(1, sizeof *pc);
    if (!pc)
        return NULL;
    pc->exe = strdup(exe);
    pc->epoch = epoch ? strdup(epoch) : NULL;
    snprintf(pc->exe_sha, sizeof pc->exe_sha, "%s", exe_sha);
    if (!pc->exe || (epoch && !pc->epoch)) {
        plan_ctx_free(pc);
        return NULL;
    }
    return pc;
}

void plan_ctx_forget_files(plan_ctx *pc)
{
    for (size_t i = 0; i < pc->hashes.n; i++)
        free(pc->hashes.path[i]);
    pc->hashes.n = 0;
}

void plan_ctx_free(plan_ctx *pc)
{
    if (!pc)
        return;
    for (size_t i = 0; i < pc->hashes.n; i++)
        free(pc->hashes.path[i]);
    free(pc->hashes.path);
    free(pc->hashes.sha);
    for (int i = 0; i < pc->fonts.n; i++) {
        free(pc->fonts.root[i]);
        fonts_free(pc->fonts.f[i]);
    }
    free(pc->fonts.root);
    free(pc->fonts.f);
    free(pc->exe);
    free(pc->epoch);
    free(pc);
}

void item_plan_free(item_plan *p)
{
    manifest_entry_free(&p->e);
    for (int k = 0; k < p->nargs; k++)
        free(p->args[k]);
    free(p->out_pdf);
    free(p->stamp);
    free(p->csv_path);
    free(p->csv_text);
    free(p->reason);
    free(p->messages);
    free(p->records);
    memset(p, 0, sizeof *p);
}

/* A path written short: "layouts/../sheets/x.ini" becomes "sheets/x.ini" (lexically). */
static char *norm_path(const char *p)
{
    size_t n = strlen(p);
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t k = 0;
    bool abs = p[0] == '/';
    if (abs)
        out[k++] = '/';
    size_t base = k; /* out[base..k) holds the segments */
    const char *s = p;
    while (*s) {
        while (*s == '/')
            s++;
        size_t len = strcspn(s, "/");
        if (len == 0)
            break;
        if (len == 1 && s[0] == '.') {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            /* drop the last segment unless it is ".." itself (or there is none) */
            size_t last = k;
            while (last > base && out[last - 1] != '/')
                last--;
            bool parent = k - last == 2 && out[last] == '.' && out[last + 1] == '.';
            if (k > base && !parent) {
                k = last > base ? last - 1 : base;
            } else if (!abs) {
                if (k > base)
                    out[k++] = '/';
                out[k++] = '.', out[k++] = '.';
            }
        } else {
            if (k > base)
                out[k++] = '/';
            memcpy(out + k, s, len);
            k += len;
        }
        s += len;
    }
    if (k == 0)
        out[k++] = '.';
    out[k] = '\0';
    return out;
}

/* ---- hashing inputs ---- */

static const char *hash_of(plan_ctx *pc, const char *path, char *why, size_t whylen)
{
    hash_cache *h = &pc->hashes;
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->path[i], path) == 0)
            return h->sha[i];
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        char **np = realloc(h->path, cap * sizeof *np);
        if (!np)
            return NULL;
        h->path = np;
        char(*ns)[SHA256_HEX] = realloc(h->sha, cap * sizeof *ns);
        if (!ns)
            return NULL;
        h->sha = ns;
        h->cap = cap;
    }
    if (!sha256_file(path, h->sha[h->n], why, whylen))
        return NULL;
    h->path[h->n] = strdup(path);
    if (!h->path[h->n])
        return NULL;
    return h->sha[h->n++];
}

static bool add_input(plan_ctx *pc, item_plan *ip, const char *path)
{
    char why[512];
    char *np = norm_path(path);
    const char *sha = np ? hash_of(pc, np, why, sizeof why) : NULL;
    bool ok = sha && manifest_add_input(&ip->e, np, sha);
    if (!ok && !ip->reason)
        ip->reason = np && !sha ? strfmt("cannot read an input: %s", why) : strdup("out of memory");
    free(np);
    return ok;
}

static int only_visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Every file under dir, in name order, recursively. */
static bool add_folder(plan_ctx *pc, item_plan *ip, const char *dir, int depth)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, only_visible, alphasort);
    bool ok = n >= 0;
    if (!ok && !ip->reason)
        ip->reason = strfmt("cannot read the folder %s: %s", dir, strerror(errno));
    for (int i = 0; i < n; i++) {
        char *p = strfmt("%s/%s", dir, names[i]->d_name);
        struct stat sb;
        if (ok && p && stat(p, &sb) == 0) {
            if (S_ISREG(sb.st_mode))
                ok = add_input(pc, ip, p);
            else if (S_ISDIR(sb.st_mode) && depth < 4)
                ok = add_folder(pc, ip, p, depth + 1);
        }
        free(p);
        free(names[i]);
    }
    free(names);
    return ok;
}

fonts *plan_fonts(plan_ctx *pc, const char *root)
{
    fonts_cache *c = &pc->fonts;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->root[i], root) == 0)
            return c->f[i];
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 4;
        char **nr = realloc(c->root, (size_t)cap * sizeof *nr);
        if (!nr)
            return NULL;
        c->root = nr;
        fonts **nf = realloc(c->f, (size_t)cap * sizeof *nf);
        if (!nf)
            return NULL;
        c->f = nf;
        c->cap = cap;
    }
    fonts *f = fonts_new(root);
    char *r = f ? strdup(root) : NULL;
    if (!r) {
        fonts_free(f);
        return NULL;
    }
    c->root[c->n] = r;
    c->f[c->n++] = f;
    return f;
}

/* ---- planning ---- */

static void set_arg(item_plan *ip, const char *a)
{
    if (ip->nargs < PLAN_MAX_ARGS - 1)
        ip->args[ip->nargs++] = strdup(a);
}

/* The field of a "field=value" setting that names a data column, or -1. */
static long set_column(const data_table *t, const char *set)
{
    char field[256];
    snprintf(field, sizeof field, "%.*s", (int)strcspn(set, "="), set);
    return data_column_index(t, field);
}

static void csv_value(char **s, size_t *n, size_t *cap, const char *v, bool last)
{
    size_t need = *n + 2 * strlen(v) + 4;
    if (need > *cap) {
        size_t nc = need * 2;
        char *ns = realloc(*s, nc);
        if (!ns)
            return;
        *s = ns, *cap = nc;
    }
    char *o = *s + *n;
    *o++ = '"';
    for (; *v; v++) {
        if (*v == '"')
            *o++ = '"';
        *o++ = *v;
    }
    *o++ = '"';
    *o++ = last ? '\n' : ',';
    *n = (size_t)(o - *s);
}

/* The records an item is built from: each record of t repeated in order until there are count
 * (or the first count records), with the set_ fields that name a column put in every record. */
static void derive_records(item_plan *ip, const job_item *it, const data_table *t, long count)
{
    size_t cols = data_columns(t), rows = data_rows(t), cap = 0, n = 0;
    char *s = NULL;
    for (size_t c = 0; c < cols; c++)
        csv_value(&s, &n, &cap, data_column_name(t, c), c + 1 == cols);
    const char **over = calloc(cols + 1, sizeof *over); /* the job's set_ value of each column */
    if (!over) {
        free(s);
        return; /* no records: the caller reports out of memory */
    }
    for (int k = 0; k < it->nsets; k++) {
        long c = set_column(t, it->sets[k]);
        if (c >= 0 && (size_t)c < cols)
            over[c] = strchr(it->sets[k], '=') + 1;
    }
    size_t per = rows ? (size_t)count / rows : 0, extra = rows ? (size_t)count % rows : 0;
    for (size_t r = 0; r < rows; r++) {
        size_t copies = (size_t)count <= rows ? (r < (size_t)count ? 1 : 0) : per + (r < extra ? 1 : 0);
        for (size_t k = 0; k < copies; k++)
            for (size_t c = 0; c < cols; c++)
                csv_value(&s, &n, &cap, over[c] ? over[c] : data_value(t, r, c), c + 1 == cols);
    }
    free(over);
    ip->csv_text = s;
    ip->csv_len = n;
}

/* The files an item is expected to read, before it is built, as its resolved build found them:
 * its layout, content sets (its own and the other languages' of [page] languages), sheet, data
 * file, compliance profile, fonts and fixed images. (What the build finds only while building, the
 * stamp learns from its dump.) */
static void add_expected_inputs(plan_ctx *pc, item_plan *ip, const build_spec *s)
{
    const layout *l = s->lay;
    add_input(pc, ip, s->rq->layout);
    add_folder(pc, ip, s->rq->content, 0);
    for (int k = 0; k < s->nlangs; k++)
        add_folder(pc, ip, s->lang_dirs[k], 0);
    if (s->sh && s->ro.mode == OUTPUT_SHEET)
        add_input(pc, ip, s->sheet_path);
    if (s->data)
        add_input(pc, ip, s->data_file);
    if (s->profile_path && is_file(s->profile_path))
        add_input(pc, ip, s->profile_path);
    if (s->profile && compliance_county_path(s->profile) && is_file(compliance_county_path(s->profile)))
        add_input(pc, ip, compliance_county_path(s->profile));
    for (int k = 0; s->fontdb && k < l->nelements; k++) {
        const element *el = &l->elements[k];
        int slots = el->type == EL_MARKDOWN ? FONT_SLOTS : el->type == EL_TEXT ? 1 : 0;
        for (int f = 0; f < slots; f++) {
            const char *list = el->font[f] ? el->font[f] : "";
            char spec[512];
            while (units_list_next(&list, spec, sizeof spec)) {
                const char *why = NULL;
                const font_face *face = fonts_find(s->fontdb, spec, &why);
                if (face)
                    add_input(pc, ip, font_face_file(face));
            }
        }
        if (el->type == EL_IMAGE && el->file && el->file[0] == '/' && !strchr(el->file, '{'))
            add_input(pc, ip, el->file);
    }
}

/* The item's build command: this program's build of the item's layout and content set, into its
 * PDF, with its dump and records, count (whole sheets), one file, and its data: the data file as
 * it is, or the records derived for the item (set_ columns, repeated records) in the job's
 * .handout folder. */
static void set_build_args(plan_ctx *pc, item_plan *ip, const job *j, const job_item *it, const build_spec *bs,
                           const char *outdir, long count)
{
    const data_table *t = bs->data;
    char num[32];
    set_arg(ip, pc->exe);
    set_arg(ip, "build");
    set_arg(ip, it->layout);
    set_arg(ip, it->content);
    set_arg(ip, "-o");
    set_arg(ip, ip->out_pdf);
    set_arg(ip, "--dump");
    set_arg(ip, "DUMP"); /* replaced by the dump's path when built */
    set_arg(ip, "--diagnostics");
    set_arg(ip, "DIAG"); /* replaced by the records' path when built */
    set_arg(ip, "--count");
    snprintf(num, sizeof num, "%ld", count);
    set_arg(ip, num);
    set_arg(ip, "--max-pages"); /* one file per item */
    snprintf(num, sizeof num, "%d", PLAN_MAX_PAGES);
    set_arg(ip, num);
    if (it->size) { /* after the arguments at fixed places (PLAN_ARG_*) */
        set_arg(ip, "--size");
        set_arg(ip, it->size);
    }
    if (j->theme) {
        set_arg(ip, "--theme");
        set_arg(ip, j->theme);
    }
    if (t) {
        bool overridden = false;
        for (int k = 0; k < it->nsets; k++)
            overridden = overridden || set_column(t, it->sets[k]) >= 0;
        if (it->quantity_column) {
            /* the records' quantities make the items: each record once, its copies by the build */
            set_arg(ip, "--quantity-column");
            set_arg(ip, it->quantity_column);
        } else if (data_column_index(t, "quantity") >= 0) {
            /* the job's quantity rules its items: the records' own quantities are not applied */
            set_arg(ip, "--quantity-column");
            set_arg(ip, "none");
        }
        set_arg(ip, "--data");
        if (overridden || (!it->quantity_column && (size_t)count > data_rows(t))) {
            derive_records(ip, it, t, it->quantity_column ? (long)data_rows(t) : count);
            ip->csv_path = strfmt("%s/%s/.handout/%s.csv", outdir, j->slug, ip->e.name);
            set_arg(ip, ip->csv_path);
            if (!ip->csv_text && !ip->reason)
                ip->reason = strdup("out of memory");
        } else {
            set_arg(ip, bs->data_file);
        }
    }
    for (int k = 0; k < it->nsets; k++) {
        set_arg(ip, "--set");
        set_arg(ip, it->sets[k]);
    }
    if (it->print_shop)
        set_arg(ip, "--print-shop");
    if (it->ink_limit) {
        set_arg(ip, "--ink-limit");
        set_arg(ip, it->ink_limit);
    }
    if (it->overprint_black)
        set_arg(ip, "--overprint-black");
}

/* With quantities per record: the data file, the column, and each record's line, first value
 * (the first column that is not the quantities') and copies, for the report and the manifest. */
static bool record_quantities(manifest_entry *e, const data_table *t, const char *column)
{
    long qc = data_column_index(t, column);
    size_t label = qc == 0 && data_columns(t) > 1 ? 1 : 0;
    e->qty_data = strdup(data_path(t));
    e->qty_column = strdup(column);
    if (!e->qty_data || !e->qty_column)
        return false;
    for (size_t r = 0; r < data_rows(t); r++)
        if (!manifest_add_record(e, data_row_line(t, r), data_value(t, r, label), data_quantity(t, r)))
            return false;
    return true;
}

/* A diag_record_fn: keeps the first error's line (its place and text) in *data. */
static void keep_first_error(void *data, const diag_record *r)
{
    char **first = data;
    if (!*first && strcmp(r->level, "error") == 0)
        *first = diag_record_shown(r);
}

/* Learns an item's inputs, counts and build arguments; on a problem sets reason (and messages). */
void plan_item(plan_ctx *pc, const job *j, const job_item *it, const char *outdir, item_plan *ip)
{
    manifest_entry *e = &ip->e;
    e->name = strdup(it->name ? it->name : it->section);
    e->section = strdup(it->section);
    e->layout = it->layout ? norm_path(it->layout) : strdup("");
    e->language = strdup(it->language ? it->language : "");
    e->asked = it->quantity;
    snprintf(e->version, sizeof e->version, "%s", HANDOUT_VERSION);
    memcpy(e->tool_sha, pc->exe_sha, SHA256_HEX);
    ip->out_pdf = strfmt("%s/%s/%s.pdf", outdir, j->slug, e->name);
    ip->stamp = strfmt("%s/%s/.handout/%s.stamp", outdir, j->slug, e->name);
    if (it->error) {
        ip->reason = strdup(it->error);
        ip->status = EXIT_INPUT;
        return;
    }
    char *msg = NULL, *rec = NULL;
    size_t msglen = 0, reclen = 0;
    FILE *sink = open_memstream(&msg, &msglen);
    FILE *rsink = open_memstream(&rec, &reclen);
    diag *d = diag_new(sink);
    char *first_error = NULL; /* the first error, as its record reads: the item's reason */
    if (d && rsink)
        diag_set_records(d, rsink);
    if (d)
        diag_set_callback(d, keep_first_error, &first_error);
    /* the item resolved as its build will resolve it (build.h), with the project's shared fonts */
    char *root = project_root(it->layout);
    build_request rq = { .layout = it->layout, .size = it->size, .theme = j->theme, .content = it->content, .data = it->data, .output = ip->out_pdf,
                         .sets = (const char *const *)it->sets, .nsets = it->nsets, .print_shop = it->print_shop,
                         .ink_limit = it->ink_limit, .overprint_black = it->overprint_black,
                         .quantity_column = it->quantity_column, .dry_run = true, .job_item = true, .fonts = root ? plan_fonts(pc, root) : NULL };
    build_spec *bs = d && root && rq.fonts ? build_spec_load(&rq, d) : NULL;
    if (!bs && !ip->reason)
        ip->reason = strdup(d && root && !rq.fonts ? "fontconfig could not be initialised" : "out of memory");
    const layout *l = bs ? bs->lay : NULL;
    if (bs && bs->status == EXIT_OK) {
        if (bs->ro.mode == OUTPUT_SHEET)
            e->per_sheet = sheet_per_page(bs->sh);
        e->two_sided = l->two_sided;
        long count = it->quantity;
        if (it->quantity_column && bs->data && data_has_quantities(bs->data)) {
            /* the records' quantities, exactly: the last sheet may have empty cells */
            count = e->asked = data_items(bs->data);
            if (!record_quantities(e, bs->data, it->quantity_column) && !ip->reason)
                ip->reason = strdup("out of memory");
        } else if (it->quantity_column) {
            if (!bs->data && !ip->reason) /* a data file's bad quantities are the build's errors, below */
                ip->reason = strfmt("quantity_column: expected a data file (the item's data, or the layout's [page] data) "
                                    "whose column \"%s\" says the copies of each record, found none", it->quantity_column);
        } else if (e->per_sheet > 0) {
            count = (count + e->per_sheet - 1) / e->per_sheet * e->per_sheet;
        }
        e->items = count;
        add_expected_inputs(pc, ip, bs);
        set_build_args(pc, ip, j, it, bs, outdir, count);
        long pages = (e->per_sheet ? (count + e->per_sheet - 1) / e->per_sheet : count) * (l->two_sided ? 2 : 1);
        if (count > JOB_MAX_QUANTITY && !ip->reason)
            ip->reason = strfmt("expected at most %ld items, found %ld once rounded up to full sheets", JOB_MAX_QUANTITY, count);
        else if (pages > PLAN_MAX_PAGES && !ip->reason)
            ip->reason = strfmt("expected at most %d pages in one item's PDF, found %ld; split the quantity over several items",
                             PLAN_MAX_PAGES, pages);
    }
    if (diag_errors(d) > 0 && !ip->reason)
        ip->reason = first_error ? first_error : strdup(diag_last(d));
    else
        free(first_error);
    if (!d && !ip->reason)
        ip->reason = strdup("out of memory");
    if (ip->reason)
        ip->status = ip->status ? ip->status : EXIT_INPUT;
    if (sink)
        fclose(sink);
    if (rsink)
        fclose(rsink);
    ip->messages = msg;
    ip->records = rec;
    /* the key: the binary, the arguments (not where the files go) and every input */
    if (!ip->reason) {
        sha256 s;
        sha256_init(&s);
        char line[8192];
        snprintf(line, sizeof line, "handout-batch-key\t1\nversion\t%s\nbinary\t%s\nepoch\t%s\n", HANDOUT_VERSION,
                 pc->exe_sha, pc->epoch ? pc->epoch : "-");
        sha256_update(&s, line, strlen(line));
        for (int k = 1; k < ip->nargs; k++) {
            const char *a = ip->args[k];
            if (a == ip->args[PLAN_ARG_OUT] || (ip->csv_path && strcmp(a, ip->csv_path) == 0))
                a = a == ip->args[PLAN_ARG_OUT] ? "OUT" : "RECORDS";
            snprintf(line, sizeof line, "arg\t%s\n", a);
            sha256_update(&s, line, strlen(line));
        }
        if (ip->csv_text)
            sha256_update(&s, ip->csv_text, ip->csv_len);
        for (size_t k = 0; k < e->ninputs; k++) {
            snprintf(line, sizeof line, "input\t%s\t%s\n", e->inputs[k].sha, e->inputs[k].path);
            sha256_update(&s, line, strlen(line));
        }
        sha256_hex(&s, e->key);
    }
    build_spec_free(bs);
    free(root);
    diag_free(d);
}

/* Up to date: the stamp holds the current key, every file the last build recorded as read (its
 * dump's "input" lines: the planned inputs and those found only while building, such as a
 * content set reached through {field@lang}) still has the digest recorded, and the output has
 * the digest the stamp recorded. Then the record (pages, sheets, QR payloads) comes from the
 * stamp. */
bool plan_up_to_date(plan_ctx *pc, item_plan *ip, char *stale, size_t stalelen)
{
    manifest_entry old;
    if (stale && stalelen)
        stale[0] = '\0';
    if (ip->reason || !manifest_stamp_read(&old, ip->stamp))
        return false;
    char sha[SHA256_HEX], why[256];
    bool same_key = strcmp(old.key, ip->e.key) == 0;
    bool same_pdf = sha256_file(ip->out_pdf, sha, why, sizeof why) && strcmp(sha, old.sha) == 0;
    bool ok = same_key && same_pdf;
    const char *changed = NULL; /* the first input whose digest is not the stamp's */
    for (size_t i = 0; !changed && i < old.ninputs; i++) {
        const char *now = hash_of(pc, old.inputs[i].path, why, sizeof why);
        if (!now || strcmp(now, old.inputs[i].sha) != 0)
            changed = old.inputs[i].path;
    }
    ok = ok && !changed;
    if (!ok && stale && stalelen) {
        if (changed)
            snprintf(stale, stalelen, "%s is not the file it was built from", changed);
        else if (!same_key)
            snprintf(stale, stalelen, "it was built from other inputs (its job values, files or the handout program)");
        else
            snprintf(stale, stalelen, "its PDF is missing or is not the file that was built");
    }
    if (ok) {
        /* keep the plan's inputs; take the results from the stamp */
        manifest_entry *e = &ip->e;
        memcpy(e->sha, old.sha, SHA256_HEX);
        e->bytes = old.bytes;
        e->pages = old.pages;
        e->sheets = old.sheets;
        e->page_w = old.page_w;
        e->page_h = old.page_h;
        for (size_t i = 0; i < old.ninputs; i++) /* the inputs found while building, as a build adds them */
            manifest_add_input(e, old.inputs[i].path, old.inputs[i].sha);
        for (size_t i = 0; i < old.nqrs; i++)
            for (long u = 0; u < old.qrs[i].uses; u++)
                manifest_add_qr(e, old.qrs[i].element, old.qrs[i].payload);
    }
    manifest_entry_free(&old);
    return ok;
}
