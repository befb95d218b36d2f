/* layout: a layout INI turned into a validated page model. Every value is expanded against the
 * content set first ({field} placeholders work in any key), then parsed strictly. Each problem is
 * reported with file, line, section and key; unknown keys get the nearest known one suggested. */
#ifndef HANDOUT_LAYOUT_H
#define HANDOUT_LAYOUT_H

#include "content.h"
#include "diag.h"
#include "units.h"

#include <stdbool.h>

typedef enum { EL_TEXT, EL_MARKDOWN, EL_QR, EL_IMAGE, EL_RULE, EL_BOX } element_type;
/* start and end: left and right in a left-to-right paragraph, right and left in a right-to-left one */
typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_JUSTIFY, ALIGN_START, ALIGN_END } text_align;
/* A paragraph's base direction (UAX #9): auto from the language, else the first strong letter. */
typedef enum { DIRECTION_AUTO = -1, DIRECTION_LTR = 0, DIRECTION_RTL = 1 } text_direction;
typedef enum { VALIGN_TOP, VALIGN_MIDDLE, VALIGN_BOTTOM } text_valign;
typedef enum { SIDE_FRONT = 0, SIDE_BACK = 1 } item_side;
typedef enum { HYPHENATE_AUTO = 0, HYPHENATE_YES, HYPHENATE_NO } hyphenate_mode;
typedef enum { AUDIENCE_PUBLIC, AUDIENCE_VICTIM, AUDIENCE_DONOR } audience;
/* How a QR element states its payload: as written, or built from typed fields. */
typedef enum { QR_PAYLOAD_RAW, QR_PAYLOAD_URL, QR_PAYLOAD_TEL, QR_PAYLOAD_SMS, QR_PAYLOAD_LINK } qr_payload_kind;

enum { FONT_REGULAR, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, FONT_HEADING, FONT_SLOTS };

typedef struct element {
    char *name; /* the section */
    int line;   /* of the section header */
    element_type type;
    item_side side;
    double x, y, w, h; /* points, from the trim box's top-left corner, y downwards */
    /* text and markdown */
    char *text;                 /* text: the text; markdown: the file name (templates: expanded per item) */
    int rotate;                 /* text: 0, 90 (reads upwards) or 270 (reads downwards) */
    char *lang;                 /* text, markdown: the language of the text (default: the content's) */
    char *font[FONT_SLOTS];     /* font specs; markdown uses every slot, text only REGULAR */
    double size, min_size, max_size;
    bool shrink;
    bool grow;                /* fit = grow or both: up to max_size, the largest size that fits */
    double justify_limit;     /* justified text: the widest a word space stretches (x its width) */
    bool fine_print;          /* fine_print = yes: read up close, left out of the reading-distance check */
    int balance;              /* lines of even length: 1 yes, 0 no, -1 the default (text elements
                               * and Markdown headings yes, Markdown paragraphs no) */
    text_align align;         /* default start */
    text_valign valign;
    text_direction direction; /* text, markdown: the paragraphs' base direction */
    colour color, heading_color;
    double line_height;       /* multiple of the size */
    double paragraph_spacing; /* multiple of the size */
    double list_indent;       /* multiple of the size */
    double heading_scale[3];  /* h1, h2, h3 sizes as multiples of size */
    int columns;              /* text, markdown: balanced columns (1: none) */
    double column_gap;
    char *fit_group;          /* elements of one group share the largest size at which all fit */
    bool greedy;              /* justified text: greedy line breaking instead of total fit */
    hyphenate_mode hyphenate; /* auto: justified text only */
    bool no_fallback;         /* font_fallback = no: only the fonts of the lists */
    /* qr */
    qr_payload_kind payload_kind;
    char *payload;  /* template: the raw payload, URL, phone number or SMS number */
    char *sms_body; /* template, for QR_PAYLOAD_SMS */
    int link;       /* QR_PAYLOAD_LINK: the link's number in the Markdown file (payload), from 1 */
    char ecc; /* 'L', 'M', 'Q', 'H' */
    int quiet_zone;
    colour background;
    /* image */
    char *file; /* template */
    char *alt;  /* image: its alternative text (template), for tagged PDF; or NULL */
    char *fallback; /* image: the file drawn when file expands to empty (template: {theme.logo}); or NULL */
    int order;  /* text, markdown, qr, image: the place in the reading order (1 first); 0: after
                 * those with one, in file order */
    bool optional;  /* image: nothing is drawn when file expands to empty (a logo left out) */
    colour backdrop;     /* image: a panel of this colour under the image, drawn only with it; or none */
    double backdrop_pad; /* image: the panel's margin around the image, inside the box */
    /* rule and box */
    double thickness;
    colour fill, stroke;
    bool bleed;     /* box: extend into the bleed on each side that lies on the trim */
    double dash[2]; /* rule: on and off lengths; 0 = solid */
} element;

typedef struct layout {
    char *path;
    char *description;
    char *title;
    double page_w, page_h; /* the trim size (the size built, when the layout lists sizes) */
    char *size_name;       /* the name of the size built ([page] sizes), or NULL when none are listed */
    double ratio;          /* the size built's width over the design size's ([page] size): 1 without sizes */
    double bleed;          /* beyond the trim, for print-shop output */
    double margin[4];      /* top, right, bottom, left: the safe area inside the trim */
    audience audience;
    char *sheet;           /* the default sheet (a name in sheets/ or a path), or NULL */
    char *data;            /* the default data file (from the project folder), or NULL */
    bool two_sided;        /* some element is on the back */
    double scan_distance;  /* points; QR codes must be at least a tenth of it; 0: not stated */
    double viewing_distance; /* points; for the reader's information and later checks; 0: not stated */
    char *languages;       /* "en, es, vi": one page per language (content/<lang>/ each), or NULL */
    bool mirror;           /* drawn mirror-wise, for mounting behind glass (window clings) */
    char *compliance;      /* a profile in profiles/ that the output must satisfy, or NULL */
    double min_type;       /* the smallest type the layout allows, points; 0: none stated */
    double empty_band;     /* the emptiness check's limit, a share (0.15); -1: not stated */
    char *empty_reason;    /* empty_band_reason: why an empty band is meant (silences the check), or NULL */
    char *reading_reason;  /* reading_distance_reason: why type under the distance's rule is kept (silences it), or NULL */
    colour background;
    element *elements;
    int nelements;
    struct ini_file *ini; /* kept for the line of a key in later messages */
} layout;

/* Loads and validates path against the content set c. NULL after reporting when invalid. */
layout *layout_load(const char *path, const content *c, diag *d);
/* The same at one of the sizes the layout lists ([page] sizes), by name; size NULL: the design
 * size. Absolute lengths scale by the ratio of the widths, percentages follow the size built, and
 * elements placed from one another are placed in the order they depend on one another. */
layout *layout_load_size(const char *path, const char *size, const content *c, diag *d);
void layout_free(layout *l);

/* The location of key in element e (line looked up in the file), for messages. */
diag_loc layout_loc(const layout *l, const element *e, const char *key);

/* The value of key in element e as written in the file, before expansion (NULL when absent). */
const char *layout_raw(const layout *l, const element *e, const char *key);

/* The names of the sizes path lists ([page] sizes), comma-separated, as a new string; NULL when it
 * lists none (or cannot be read). */
char *layout_size_names(const char *path);

/* Whether path lists a size named name ([page] sizes). */
bool layout_lists_size(const char *path, const char *name);

/* A layout at one of its sizes goes by the name LAYOUT-SIZE (poster-tabloid: layouts/poster.ini at
 * its size tabloid) in job files, content sets' layouts lists and web/products.ini. For such a name
 * (no '/'), the path DIR/LAYOUT.ini of the layout that lists SIZE, with *size set to SIZE (both
 * new strings); NULL when there is none. */
char *layout_sized_path(const char *dir, const char *name, char **size);

/* For the path of a layout file that is not there, DIR/NAME.ini with NAME a LAYOUT-SIZE name (a
 * file a layout made for several sizes replaced: layouts/flyer-a4.ini), the path DIR/LAYOUT.ini
 * of the layout that lists SIZE, with *size set to SIZE (both new strings); NULL otherwise. */
char *layout_renamed_path(const char *path, char **size);

/* Reads only [page] description, for `handout list`. Returns a new string or NULL. */
char *layout_description(const char *path);

const char *layout_type_name(element_type t);

#endif
