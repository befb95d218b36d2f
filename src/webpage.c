/* webpage: see webpage.h. */
#include "webpage.h"
#include "readfile.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 character at s (1 for ASCII), or 0 for a byte that does not start
 * one: every answer is UTF-8, whatever a request or a build's log held, so such a byte is written
 * as U+FFFD. */
static size_t char_at(const char *s, uint32_t *cp)
{
    if ((unsigned char)*s < 0x80) {
        *cp = (unsigned char)*s;
        return 1;
    }
    size_t left = 1;
    while (left < 4 && s[left])
        left++;
    return utf8_decode(s, left, cp);
}

/* Text for HTML (element content and quoted attributes). */
static void html(FILE *o, const char *s)
{
    while (s && *s) {
        uint32_t cp;
        size_t n = char_at(s, &cp);
        switch (n ? *s : 0) {
        case '&': fputs("&amp;", o); break;
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '"': fputs("&quot;", o); break;
        case '\'': fputs("&#39;", o); break;
        case 0: fputs("\xEF\xBF\xBD", o); break;
        default: fwrite(s, 1, n, o);
        }
        s += n ? n : 1;
    }
}

/* A JSON string, quotes included (RFC 8259); < > & and the line separators escaped too, so that
 * the text is safe wherever a script puts it. */
static void json(FILE *o, const char *s)
{
    fputc('"', o);
    while (s && *s) {
        uint32_t cp;
        size_t n = char_at(s, &cp);
        if (n == 0)
            fputs("\\ufffd", o);
        else if (cp == '"' || cp == '\\')
            fprintf(o, "\\%c", (int)cp);
        else if (cp == '\n')
            fputs("\\n", o);
        else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 || cp == 0x2029)
            fprintf(o, "\\u%04x", (unsigned)cp);
        else
            fwrite(s, 1, n, o);
        s += n ? n : 1;
    }
    fputc('"', o);
}

/* Closes a memory stream and hands over its text (NULL when writing failed). */
static char *finish(FILE *o, char **buf)
{
    if (fclose(o) != 0) {
        free(*buf);
        return NULL;
    }
    return *buf;
}

static const char *val(const web_form *f, web_field fld)
{
    return f && f->value[fld] ? f->value[fld] : "";
}

static void head(FILE *o, const char *title)
{
    fputs("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          o);
    html(o, title);
    fputs("</title>\n<link rel=\"stylesheet\" href=\"/form.css\">\n</head>\n<body>\n"
          "<header class=\"top\"><p class=\"brand\">handout</p><h1>",
          o);
    html(o, title);
    fputs("</h1></header>\n", o);
}

/* Opens a memory stream for a page whose text lands in *buf (its length in *len, kept by the
 * caller until finish) and writes the page's head with its title; NULL when it cannot. */
static FILE *page_open(char **buf, size_t *len, const char *title)
{
    *buf = NULL;
    *len = 0;
    FILE *o = open_memstream(buf, len);
    if (o)
        head(o, title);
    return o;
}

static bool has_msg(const web_form *f, web_field fld, bool errors_only)
{
    for (int i = 0; f && i < f->nmsgs; i++)
        if (f->msgs[i].field == fld && (f->msgs[i].error || !errors_only))
            return true;
    return false;
}

/* The messages of one field, in an element the field's aria-describedby names. */
static void messages(FILE *o, const web_form *f, web_field fld)
{
    fprintf(o, "<div class=\"msgs\" id=\"%s-msg\"%s>", web_field_name(fld),
            fld == WF_GENERAL ? " role=\"alert\"" : " aria-live=\"polite\"");
    for (int i = 0; f && i < f->nmsgs; i++) {
        if (f->msgs[i].field != fld)
            continue;
        fprintf(o, "<p class=\"msg %s\"><strong>%s:</strong> ", f->msgs[i].error ? "error" : "warning",
                f->msgs[i].error ? "Error" : "Warning");
        html(o, f->msgs[i].text);
        fputs("</p>", o);
    }
    fputs("</div>\n", o);
}

static void field_attrs(FILE *o, const web_form *f, web_field fld)
{
    const char *name = web_field_name(fld);
    fprintf(o, " id=\"%s\" aria-describedby=\"%s-hint %s-msg\"%s", name, name, name,
            has_msg(f, fld, true) ? " aria-invalid=\"true\"" : "");
}

static void text_input(FILE *o, const web_form *f, web_field fld, const char *label, const char *hint,
                       const char *type, const char *extra)
{
    const char *name = web_field_name(fld);
    fprintf(o, "<div class=\"field\">\n<label for=\"%s\">", name);
    html(o, label);
    fprintf(o, "</label>\n<p class=\"hint\" id=\"%s-hint\">", name);
    html(o, hint);
    fprintf(o, "</p>\n<input type=\"%s\" name=\"%s\" value=\"", type, name);
    html(o, val(f, fld));
    fputc('"', o);
    field_attrs(o, f, fld);
    fprintf(o, " %s>\n", extra);
    messages(o, f, fld);
    fputs("</div>\n", o);
}

/* What a build's result needs in paper, in words. */
static void summary(FILE *o, const web_form *f, const webbuild_result *r)
{
    if (!r || r->pages == 0)
        return;
    fprintf(o, "%ld item%s", r->items, r->items == 1 ? "" : "s");
    if (f && f->print_shop) {
        /* the pages are the trim plus the bleed: the print shop cuts them */
        fprintf(o, " on %ld page%s of %s with bleed, one item per page for a print shop%s", r->pages,
                r->pages == 1 ? "" : "s", r->paper, r->two_sided ? ", front and back" : "");
        return;
    }
    if (r->per_sheet > 0)
        fprintf(o, " (%d to a sheet)", r->per_sheet);
    fprintf(o, " on %ld page%s: %ld sheet%s of %s paper%s", r->pages, r->pages == 1 ? "" : "s", r->sheets,
            r->sheets == 1 ? "" : "s", r->paper, r->two_sided ? ", printed on both sides" : "");
}

/* The notice's fields: the state (from the profiles present), and the county and the staff's
 * languages, which only some laws depend on; the hints name the states that ask for each. */
static void notice_fields(FILE *o, const web_catalogue *c, const web_form *f)
{
    if (c->nstates == 0)
        return;
    fputs("<fieldset id=\"notice\">\n<legend>Mandated notice</legend>\n"
          "<p class=\"hint\">For the notices a state's law requires businesses to post. Each is checked against the "
          "law's profile when it is built.</p>\n"
          "<div class=\"field\">\n<label for=\"state\">State</label>\n<p class=\"hint\" id=\"state-hint\">The state whose "
          "posting law the notice meets; the product list offers its notices.</p>\n<select name=\"state\"",
          o);
    field_attrs(o, f, WF_STATE);
    fputs(">\n<option value=\"\">(not a notice)</option>\n", o);
    const char *chosen = f && f->value[WF_STATE] ? f->value[WF_STATE] : "";
    if (!*chosen && f && f->product && f->product->state)
        chosen = f->product->state;
    for (int i = 0; i < c->nstates; i++) {
        fputs("<option value=\"", o);
        html(o, c->states[i]);
        fprintf(o, "\"%s>", strcmp(c->states[i], chosen) == 0 ? " selected" : "");
        html(o, c->states[i]);
        fputs("</option>\n", o);
    }
    fputs("</select>\n", o);
    messages(o, f, WF_STATE);
    fputs("</div>\n", o);

    /* which states ask for a county, and the counties their data records; which ask for the staff's languages */
    char *cbuf = NULL, *sbuf = NULL;
    size_t clen = 0, slen = 0;
    FILE *co = open_memstream(&cbuf, &clen), *so = co ? open_memstream(&sbuf, &slen) : NULL;
    if (!so) {
        if (co)
            fclose(co);
        free(cbuf);
        return;
    }
    fputs("<datalist id=\"county-list\">\n", o);
    for (int i = 0; i < c->nproducts; i++) {
        const web_product *p = &c->products[i];
        if (p->staff_languages)
            fprintf(so, "%s%s", ftell(so) ? "; " : "", p->paper);
        bool first = p->county_data != NULL; /* each state's counties once */
        for (int k = 0; k < i && first; k++)
            first = !(c->products[k].county_data && strcmp(c->products[k].state, p->state) == 0);
        if (!first)
            continue;
        fprintf(co, "%s%s (the counties recorded: ", ftell(co) ? "; " : "", p->state);
        for (int k = 0; k < p->ncounties; k++) {
            fprintf(co, "%s%s", k ? ", " : "", p->counties[k]);
            fputs("<option value=\"", o);
            html(o, p->counties[k]);
            fputs("\">\n", o);
        }
        fputs(p->ncounties ? ")" : "none yet)", co);
    }
    fputs("</datalist>\n", o);
    fclose(co);
    fclose(so);
    char hint[1200];
    snprintf(hint, sizeof hint, "Where a law asks for a language by county: the county where the notice is posted. %s.",
             cbuf && *cbuf ? cbuf : "No notice asks for it");
    fputs("<div id=\"county-field\">\n", o);
    text_input(o, f, WF_COUNTY, "County", hint, "text", "maxlength=\"100\" list=\"county-list\" autocomplete=\"off\"");
    fputs("</div>\n<div id=\"staff-field\">\n", o);
    snprintf(hint, sizeof hint, "Where a law asks for every language 10 %% or more of the staff speak: their codes "
             "(vi, zh), separated by commas, from the Language list. Asked by: %s.", sbuf && *sbuf ? sbuf : "none");
    text_input(o, f, WF_STAFF_LANGUAGES, "Staff languages", hint, "text", "maxlength=\"100\" autocomplete=\"off\"");
    fputs("</div>\n</fieldset>\n", o);
    free(cbuf);
    free(sbuf);
}

char *webpage_form(const web_catalogue *c, const web_form *f, const webbuild_result *r)
{
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, "Print materials for the hotline");
    if (!o)
        return NULL;
    fputs("<main class=\"page\">\n<form id=\"order\" method=\"post\" action=\"/preview\" enctype=\"multipart/form-data\">\n"
          "<p class=\"lead\">Choose what to print. <strong>Preview</strong> shows the first page; "
          "<strong>Download PDF</strong> gives the print-ready file; <strong>Place order</strong> sends it to the "
          "ministry's staff, who print and deliver it.</p>\n",
          o);
    messages(o, f, WF_GENERAL);

    fputs("<fieldset>\n<legend>What to print</legend>\n<div class=\"field\">\n<label for=\"product\">Product and size</label>\n"
          "<p class=\"hint\" id=\"product-hint\">Cards and stickers come several to a sheet.</p>\n<select name=\"product\"",
          o);
    field_attrs(o, f, WF_PRODUCT);
    fputs(">\n", o);
    const char *chosen = f && f->value[WF_PRODUCT] ? f->value[WF_PRODUCT] : c->products[0].id;
    for (int i = 0; i < c->nproducts; i++) {
        const web_product *p = &c->products[i];
        if (i == 0 || strcmp(p->product, c->products[i - 1].product) != 0) {
            if (i > 0)
                fputs("</optgroup>\n", o);
            fputs("<optgroup label=\"", o);
            html(o, p->product);
            fputs("\">\n", o);
        }
        fputs("<option value=\"", o);
        html(o, p->id);
        fprintf(o, "\"%s%s", strcmp(p->id, chosen) == 0 ? " selected" : "", p->partner ? " data-partner=\"yes\"" : "");
        if (p->logo)
            fputs(" data-logo=\"yes\"", o);
        if (p->state) { /* a notice: its state, and what its law depends on (the script shows those fields) */
            fputs(" data-state=\"", o);
            html(o, p->state);
            fprintf(o, "\"%s%s", p->county_data ? " data-county=\"yes\"" : "", p->staff_languages ? " data-staff=\"yes\"" : "");
        }
        fputc('>', o);
        html(o, p->product);
        fputs(": ", o);
        html(o, p->paper);
        fputs("</option>\n", o);
    }
    fputs("</optgroup>\n</select>\n", o);
    messages(o, f, WF_PRODUCT);
    fputs("</div>\n<div class=\"field\">\n<label for=\"language\">Language</label>\n"
          "<p class=\"hint\" id=\"language-hint\">Mandated notices print their own set of languages.</p>\n<select name=\"language\"",
          o);
    field_attrs(o, f, WF_LANGUAGE);
    fputs(">\n", o);
    /* chosen at first: English where the catalogue has it (the sets are listed by folder name,
     * so Arabic would come first), else the first set */
    const char *lang = c->languages[0].code;
    for (int i = 0; i < c->nlanguages; i++)
        if (strcmp(c->languages[i].code, "en") == 0)
            lang = "en";
    if (f && f->value[WF_LANGUAGE])
        lang = f->value[WF_LANGUAGE];
    for (int i = 0; i < c->nlanguages; i++) {
        fputs("<option value=\"", o);
        html(o, c->languages[i].code);
        fprintf(o, "\"%s>", strcmp(c->languages[i].code, lang) == 0 ? " selected" : "");
        html(o, c->languages[i].label);
        if (c->languages[i].draft)
            fputs(" (" WEB_DRAFT_LABEL ")", o);
        fputs("</option>\n", o);
    }
    fputs("</select>\n", o);
    messages(o, f, WF_LANGUAGE);
    fputs("</div>\n", o);
    char hint[160];
    snprintf(hint, sizeof hint, "How many items, 1 to %d. Sheets are filled up.", WEB_MAX_QUANTITY);
    static char one[] = "1";
    web_form defaults;
    webform_init(&defaults);
    const web_form *shown = f;
    if (!f || !f->value[WF_QUANTITY]) {
        if (f)
            defaults = *f;
        defaults.value[WF_QUANTITY] = one;
        shown = &defaults;
    }
    text_input(o, shown, WF_QUANTITY, "Quantity", hint, "number", "min=\"1\" max=\"10000\" step=\"1\" inputmode=\"numeric\" required");
    bool shop = f && f->print_shop;
    fputs("<fieldset class=\"choice\" id=\"version\" aria-describedby=\"version-msg\">\n<legend>Version</legend>\n"
          "<label><input type=\"radio\" name=\"version\" value=\"sheet\"",
          o);
    fputs(shop ? "" : " checked", o);
    fputs("> For printing at home or in an office: on sheets, with crop marks</label>\n"
          "<label><input type=\"radio\" name=\"version\" value=\"print-shop\"",
          o);
    fputs(shop ? " checked" : "", o);
    fputs("> For a print shop: one item per page, with bleed and trim boxes</label>\n", o);
    messages(o, f, WF_VERSION);
    fputs("</fieldset>\n</fieldset>\n", o);

    notice_fields(o, c, f);

    fputs("<fieldset id=\"partner\">\n<legend>Partner agency</legend>\n"
          "<p class=\"hint\">For co-branded partner cards only: your agency's name, local number and logo are printed "
          "beside the hotline.</p>\n",
          o);
    text_input(o, f, WF_AGENCY, "Agency name", "As it should be printed.", "text", "maxlength=\"200\" autocomplete=\"organization\"");
    text_input(o, f, WF_LOCAL_PHONE, "Local number", "The agency's own telephone number.", "tel", "maxlength=\"40\" autocomplete=\"tel\"");
    /* the logo: for every product whose layout reads {logo} (data-logo on its option): the partner
     * card's agency logo, or any other product's co-branding area (all but the discreet card) */
    fputs("</fieldset>\n<fieldset id=\"logo-area\">\n<legend>Logo</legend>\n<div class=\"field\">\n<label for=\"logo\">Logo (optional)</label>\n<p class=\"hint\" id=\"logo-hint\">"
          "A PNG or JPEG file of at most 4 MB; 300 pixels per inch at its printed size (1 in square) prints sharp.</p>\n"
          "<input type=\"file\" name=\"logo\" accept=\"image/png,image/jpeg\"",
          o);
    field_attrs(o, f, WF_LOGO);
    fputs(">\n", o);
    if (f && f->value[WF_LOGO] && f->logo_path) {
        fputs("<input type=\"hidden\" name=\"logo_id\" value=\"", o);
        html(o, f->value[WF_LOGO]);
        fputs("\">\n<p class=\"kept\">A logo is kept from your last step; choose another file to replace it.</p>\n", o);
    }
    messages(o, f, WF_LOGO);
    fputs("</div>\n</fieldset>\n", o);

    fputs("<fieldset>\n<legend>Your details (for an order)</legend>\n", o);
    text_input(o, f, WF_NAME, "Your name", "Who the staff should ask for.", "text", "maxlength=\"200\" autocomplete=\"name\"");
    text_input(o, f, WF_CONTACT, "Email or telephone", "How the staff can reach you.", "text", "maxlength=\"200\"");
    fputs("</fieldset>\n<div class=\"actions\">\n"
          "<button type=\"submit\" formaction=\"/preview\" name=\"action\" value=\"preview\">Preview</button>\n"
          "<button type=\"submit\" formaction=\"/download\" name=\"action\" value=\"download\">Download PDF</button>\n"
          "<button type=\"submit\" formaction=\"/order\" name=\"action\" value=\"order\">Place order</button>\n"
          "</div>\n</form>\n",
          o);

    fputs("<section class=\"preview\" aria-labelledby=\"preview-title\">\n<h2 id=\"preview-title\">Preview</h2>\n", o);
    char *uri = r && r->png ? webpage_data_uri(r->png, "image/png") : NULL;
    if (uri) {
        fputs("<img id=\"preview-img\" src=\"", o);
        fputs(uri, o);
        fputs("\" alt=\"The first page of the PDF, as it will print\">\n", o);
    } else {
        fputs("<img id=\"preview-img\" alt=\"\" hidden>\n<p id=\"preview-none\">Press Preview to see the first page.</p>\n", o);
    }
    free(uri);
    fputs("<p id=\"summary\">", o);
    summary(o, f, r);
    fputs("</p>\n</section>\n</main>\n<script src=\"/form.js\" defer></script>\n</body>\n</html>\n", o);
    return finish(o, &buf);
}

char *webpage_order(const web_catalogue *c, const web_form *f, const webbuild_result *r, const char *orders_shown,
                    const char *key)
{
    (void)c;
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, "Order received");
    if (!o)
        return NULL;
    fputs("<main class=\"page\">\n<section class=\"confirm\">\n<p class=\"lead\">Thank you. Your order <strong id=\"order-name\">", o);
    html(o, r->order_name);
    fputs("</strong> is with the staff.</p>\n<table>\n<caption>What was ordered</caption>\n<tbody>\n<tr><th scope=\"row\">Product</th><td>", o);
    html(o, f->product->product);
    fputs(": ", o);
    html(o, f->product->paper);
    fputs("</td></tr>\n<tr><th scope=\"row\">Language</th><td>", o);
    html(o, f->language->label);
    if (f->language->draft)
        fputs(" (" WEB_DRAFT_LABEL ")", o);
    fprintf(o, "</td></tr>\n<tr><th scope=\"row\">Quantity</th><td id=\"order-quantity\">%ld</td></tr>\n", f->quantity);
    if (f->product->partner) {
        fputs("<tr><th scope=\"row\">Agency</th><td>", o);
        html(o, val(f, WF_AGENCY));
        fputs("</td></tr>\n<tr><th scope=\"row\">Local number</th><td>", o);
        html(o, val(f, WF_LOCAL_PHONE));
        fputs("</td></tr>\n", o);
    }
    if (f->product->partner || f->product->logo)
        fprintf(o, "<tr><th scope=\"row\">Logo</th><td>%s</td></tr>\n", f->logo_path ? "included" : "none");
    fputs("<tr><th scope=\"row\">Version</th><td>", o);
    fputs(f->print_shop ? "for a print shop" : "on sheets", o);
    fputs("</td></tr>\n<tr><th scope=\"row\">Paper</th><td id=\"order-paper\">", o);
    summary(o, f, r);
    fputs("</td></tr>\n<tr><th scope=\"row\">Ordered by</th><td>", o);
    html(o, val(f, WF_NAME));
    fputs(" (", o);
    html(o, val(f, WF_CONTACT));
    fputs(")</td></tr>\n</tbody>\n</table>\n<p>For the staff: the order is the job file <code id=\"order-file\">", o);
    html(o, orders_shown);
    fputs("/", o);
    html(o, r->order_name);
    fputs(".ini</code>; build it with <code>handout batch ", o);
    html(o, orders_shown);
    fputs("/", o);
    html(o, r->order_name);
    fputs(".ini</code>.</p>\n", o);
    /* the key is 64 hexadecimal digits of ours: nothing in it needs escaping */
    fprintf(o, "<p>Follow your order on <a id=\"status-link\" href=\"/status/%s\">its status page</a>; keep the "
               "link: it is the only way to the page.</p>\n", key);
    messages(o, f, WF_GENERAL);
    fputs("<p><a href=\"/\">Start another order</a></p>\n</section>\n</main>\n</body>\n</html>\n", o);
    return finish(o, &buf);
}

char *webpage_status(const store_view *v)
{
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, "Order status");
    if (!o)
        return NULL;
    fputs("<main class=\"page\">\n<section class=\"confirm\">\n<p class=\"lead\">Your order <strong id=\"order-name\">", o);
    html(o, v->name);
    fputs("</strong> is <strong id=\"order-status\">", o);
    html(o, store_status_name(v->status));
    fputs("</strong>.</p>\n<table id=\"history\">\n<caption>What happened</caption>\n<thead><tr><th scope=\"col\">When "
          "(UTC)</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n", o);
    for (int k = 0; k < v->nevents; k++) {
        fputs("<tr><td>", o);
        html(o, v->events[k].at);
        fputs("</td><td>", o);
        html(o, store_status_name(v->events[k].status));
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n</main>\n</body>\n</html>\n", o);
    return finish(o, &buf);
}

char *webpage_staff_queue(const store_view *v, int n)
{
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, "Orders");
    if (!o)
        return NULL;
    fputs("<main class=\"page\">\n<section class=\"confirm\">\n<p><a id=\"proof-link\" href=\"/staff/proof\">The proof "
          "sheet</a>: every product in every language, with what the checks found (built when the layouts or "
          "content changed since it was last built: that takes a while)</p>\n", o);
    for (int st = 0; st < STORE_NSTATUS; st++) {
        int count = 0;
        for (int k = 0; k < n; k++)
            count += v[k].status == (store_status)st;
        fprintf(o, "<section id=\"queue-%s\">\n<h2>%s (%d)</h2>\n", store_status_name((store_status)st),
                store_status_name((store_status)st), count);
        if (count == 0) {
            fputs("<p>None.</p>\n</section>\n", o);
            continue;
        }
        fputs("<table>\n<thead><tr><th scope=\"col\">Order</th><th scope=\"col\">Placed (UTC)</th><th scope=\"col\">"
              "Ordered by</th><th scope=\"col\">Product</th><th scope=\"col\">Language</th><th scope=\"col\">"
              "Quantity</th></tr></thead>\n<tbody>\n", o);
        for (int k = 0; k < n; k++) {
            if (v[k].status != (store_status)st)
                continue;
            fputs("<tr><td><a href=\"/staff/order/", o);
            html(o, v[k].name);
            fputs("\">", o);
            html(o, v[k].name);
            fputs("</a></td><td>", o);
            html(o, v[k].placed_at);
            fputs("</td><td>", o);
            html(o, v[k].who);
            fputs("</td><td>", o);
            html(o, v[k].product);
            fputs("</td><td>", o);
            html(o, v[k].language);
            fprintf(o, "</td><td>%ld</td></tr>\n", v[k].quantity);
        }
        fputs("</tbody>\n</table>\n</section>\n", o);
    }
    fputs("</section>\n</main>\n</body>\n</html>\n", o);
    return finish(o, &buf);
}

/* One row of the details table. */
static void detail(FILE *o, const char *label, const char *value)
{
    fputs("<tr><th scope=\"row\">", o);
    html(o, label);
    fputs("</th><td>", o);
    html(o, value);
    fputs("</td></tr>\n", o);
}

/* The order's hand-outs so far and, once it is built, the form that records one more. */
static void staff_handouts(FILE *o, const store_view *v, const char *problem)
{
    fputs("<table id=\"handouts\">\n<caption>Handed out</caption>\n<thead><tr><th scope=\"col\">Date</th><th "
          "scope=\"col\">Place</th><th scope=\"col\">Item</th><th scope=\"col\">Quantity</th><th scope=\"col\">Staff"
          "</th><th scope=\"col\">Recorded (UTC)</th></tr></thead>\n<tbody>\n", o);
    for (int k = 0; k < v->ngiven; k++) {
        const store_given *g = &v->given[k];
        fputs("<tr><td>", o);
        html(o, g->day);
        fputs("</td><td>", o);
        html(o, g->place);
        fputs("</td><td>", o);
        html(o, g->item);
        fprintf(o, "</td><td>%ld</td><td>", g->quantity);
        html(o, g->staff);
        fputs("</td><td>", o);
        html(o, g->at);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n<h2>Record a hand-out</h2>\n", o);
    if (problem) {
        fputs("<p class=\"msg error\" role=\"alert\" id=\"handout-problem\">", o);
        html(o, problem);
        fputs("</p>\n", o);
    }
    if (v->status != STORE_BUILT && v->status != STORE_PRINTED && v->status != STORE_SHIPPED) {
        fputs("<p>Hand-outs are recorded once the order is built.</p>\n", o);
        return;
    }
    fputs("<form method=\"post\" action=\"/staff/handout\" id=\"form-handout\">\n<input type=\"hidden\" name=\"order\" "
          "value=\"", o);
    html(o, v->name);
    fprintf(o, "\">\n<input type=\"hidden\" name=\"seen\" value=\"%d\">\n", v->ngiven);
    fputs("<label for=\"handout-date\">Date</label> <input id=\"handout-date\" name=\"date\" type=\"date\" required>\n"
          "<label for=\"handout-place\">Place</label> <input id=\"handout-place\" name=\"place\" required ", o);
    fprintf(o, "maxlength=\"%d\">\n<label for=\"handout-item\">Item</label> <select id=\"handout-item\" name=\"item\" "
               "required>\n", STORE_MAX_TEXT);
    for (int k = 0; k < v->nitems; k++) {
        fputs("<option value=\"", o);
        html(o, v->items[k]);
        fputs("\">", o);
        html(o, v->items[k]);
        fputs("</option>\n", o);
    }
    fprintf(o, "</select>\n<label for=\"handout-quantity\">Quantity</label> <input id=\"handout-quantity\" "
               "name=\"quantity\" type=\"number\" min=\"1\" step=\"1\" inputmode=\"numeric\" required>\n<label "
               "for=\"handout-staff\">Your name</label> <input id=\"handout-staff\" name=\"staff\" required "
               "maxlength=\"%d\">\n<button type=\"submit\">Record the hand-out</button>\n</form>\n", STORE_MAX_TEXT);
}

char *webpage_staff_order(const store_view *v, bool built, const char *problem)
{
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, "Order");
    if (!o)
        return NULL;
    fputs("<main class=\"page\">\n<section class=\"confirm\">\n<p class=\"lead\"><strong id=\"order-name\">", o);
    html(o, v->name);
    fputs("</strong> is <strong id=\"order-status\">", o);
    html(o, store_status_name(v->status));
    fputs("</strong>.</p>\n<table>\n<caption>The order</caption>\n<tbody>\n", o);
    detail(o, "Placed (UTC)", v->placed_at);
    detail(o, "Ordered by", v->who);
    detail(o, "Contact", v->contact);
    if (*v->agency) {
        detail(o, "Agency", v->agency);
        detail(o, "Local number", v->local_phone);
    }
    detail(o, "Product", v->product);
    detail(o, "Language", v->language);
    detail(o, "Version", v->version);
    fprintf(o, "<tr><th scope=\"row\">Quantity</th><td>%ld</td></tr>\n", v->quantity);
    detail(o, "Job file", v->job_file);
    fputs("</tbody>\n</table>\n<table id=\"history\">\n<caption>History</caption>\n<thead><tr><th scope=\"col\">When "
          "(UTC)</th><th scope=\"col\">Status</th><th scope=\"col\">Staff</th><th scope=\"col\">Reason</th></tr></thead>"
          "\n<tbody>\n", o);
    for (int k = 0; k < v->nevents; k++) {
        fputs("<tr><td>", o);
        html(o, v->events[k].at);
        fputs("</td><td>", o);
        html(o, store_status_name(v->events[k].status));
        fputs("</td><td>", o);
        html(o, v->events[k].staff);
        fputs("</td><td>", o);
        html(o, v->events[k].reason);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n", o);
    if (built) {
        fputs("<p><a id=\"download\" href=\"/staff/download/", o);
        html(o, v->name);
        fputs("\">Download the last build</a></p>\n", o);
    }
    static const struct {
        const char *action, *label;
        store_status to;
    } ACTIONS[] = { { "approve", "Approve", STORE_APPROVED }, { "build", "Build", STORE_BUILT },
                    { "printed", "Mark printed", STORE_PRINTED }, { "shipped", "Mark shipped", STORE_SHIPPED },
                    { "cancel", "Cancel", STORE_CANCELLED } };
    store_status now = v->status;
    bool any = false;
    for (size_t k = 0; k < sizeof ACTIONS / sizeof ACTIONS[0]; k++) {
        store_status to = ACTIONS[k].to;
        if (!store_change_allowed(now, to))
            continue;
        if (!any)
            fputs("<h2>Change</h2>\n", o);
        any = true;
        fprintf(o, "<form method=\"post\" action=\"/staff/action\" id=\"form-%s\">\n<input type=\"hidden\" "
                   "name=\"order\" value=\"", ACTIONS[k].action);
        html(o, v->name);
        fprintf(o, "\">\n<input type=\"hidden\" name=\"seen\" value=\"%d\">\n<input type=\"hidden\" name=\"action\" "
                   "value=\"%s\">\n<label for=\"staff-%s\">Your name</label> <input id=\"staff-%s\" name=\"staff\" "
                   "required maxlength=\"%d\">\n", v->nevents, ACTIONS[k].action, ACTIONS[k].action, ACTIONS[k].action,
                STORE_MAX_TEXT);
        if (to == STORE_CANCELLED)
            fprintf(o, "<label for=\"reason\">Reason</label> <input id=\"reason\" name=\"reason\" required "
                       "maxlength=\"%d\">\n", STORE_MAX_TEXT);
        fprintf(o, "<button type=\"submit\">%s</button>\n</form>\n", ACTIONS[k].label);
        /* while a build runs, the staff page's script tells the items built (GET /staff/progress/ORDER) */
        if (to == STORE_BUILT)
            fputs("<p id=\"build-progress\" role=\"status\" aria-live=\"polite\"></p>\n", o);
    }
    if (v->status == STORE_BUILT || v->status == STORE_PRINTED || v->status == STORE_SHIPPED || v->ngiven > 0 || problem)
        staff_handouts(o, v, problem);
    fputs("<p><a href=\"/staff\">All orders</a></p>\n</section>\n</main>\n<script src=\"/staff/staff.js\" defer></script>\n"
          "</body>\n</html>\n", o);
    return finish(o, &buf);
}

char *webpage_staff_proof(int pages)
{
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, "Proof sheet");
    if (!o)
        return NULL;
    fprintf(o, "<main class=\"page\">\n<section class=\"confirm\">\n<p>Every product in every "
               "language, with what the checks found: <a id=\"proof-pdf\" href=\"/staff/proof.pdf\">the PDF</a> (%d "
               "page%s).</p>\n", pages, pages == 1 ? "" : "s");
    for (int k = 1; k <= pages; k++)
        fprintf(o, "<p><a href=\"/staff/proof/%d.png\"><img class=\"proof-page\" src=\"/staff/proof/%d.png\" "
                   "alt=\"Page %d of the proof sheet\"></a></p>\n", k, k, k);
    fputs("<p><a href=\"/staff\">All orders</a></p>\n</section>\n</main>\n</body>\n</html>\n", o);
    return finish(o, &buf);
}

char *webpage_problem(int status, const char *reason)
{
    char title[64];
    snprintf(title, sizeof title, "Request refused (%d)", status);
    char *buf;
    size_t len;
    FILE *o = page_open(&buf, &len, title);
    if (!o)
        return NULL;
    fputs("<main class=\"page\">\n<p class=\"msg error\" role=\"alert\" id=\"reason\">", o);
    html(o, reason);
    fputs("</p>\n<p><a href=\"/\">Back to the form</a></p>\n</main>\n</body>\n</html>\n", o);
    return finish(o, &buf);
}

char *webpage_problem_json(int status, const char *reason)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    if (!o)
        return NULL;
    fprintf(o, "{\"ok\":false,\"status\":%d,\"messages\":[{\"field\":\"general\",\"severity\":\"error\",\"text\":",
            status);
    json(o, reason);
    fputs("}]}\n", o);
    return finish(o, &buf);
}

char *webpage_preview_json(const web_form *f, const webbuild_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    if (!o)
        return NULL;
    char *uri = r && r->png ? webpage_data_uri(r->png, "image/png") : NULL;
    fprintf(o, "{\"ok\":%s,\"image\":", webform_errors(f) == 0 && r && (r->pdf || r->png) ? "true" : "false");
    json(o, uri ? uri : "");
    free(uri);
    char *sum = NULL;
    size_t slen = 0;
    FILE *so = open_memstream(&sum, &slen);
    if (so) {
        summary(so, f, r);
        fclose(so);
    }
    fputs(",\"summary\":", o);
    json(o, sum ? sum : "");
    free(sum);
    fputs(",\"logo_id\":", o);
    json(o, f->logo_path && f->value[WF_LOGO] ? f->value[WF_LOGO] : "");
    fputs(",\"messages\":[", o);
    for (int i = 0; i < f->nmsgs; i++) {
        fprintf(o, "%s{\"field\":", i ? "," : "");
        json(o, web_field_name(f->msgs[i].field));
        fprintf(o, ",\"severity\":\"%s\",\"text\":", f->msgs[i].error ? "error" : "warning");
        json(o, f->msgs[i].text);
        fputc('}', o);
    }
    fputs("]}\n", o);
    return finish(o, &buf);
}

char *webpage_data_uri(const char *path, const char *type)
{
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char why[256];
    size_t n;
    unsigned char *in = (unsigned char *)readfile(path, (size_t)32 << 20, &n, why, sizeof why);
    if (!in)
        return NULL;
    size_t head_len = strlen(type) + 14;
    char *out = malloc(head_len + (n + 2) / 3 * 4 + 1);
    if (!out) {
        free(in);
        return NULL;
    }
    char *p = out + sprintf(out, "data:%s;base64,", type);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        *p++ = B64[v >> 18 & 63];
        *p++ = B64[v >> 12 & 63];
        *p++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? B64[v & 63] : '=';
    }
    *p = '\0';
    free(in);
    return out;
}
