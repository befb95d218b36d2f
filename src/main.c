/* main: the command line. Parses once into an options struct, runs one command, and turns the
 * outcome into an exit status (documented in handout.1):
 *   0 success, 1 invalid input, 2 usage error, 3 output not written, 4 internal failure. */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "content.h"
#include "diag.h"
#include "fonts.h"
#include "ini.h"
#include "layout.h"
#include "render.h"

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

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3, EXIT_INTERNAL = 4 };

typedef struct options {
    const char *command;
    const char *layout;
    const char *content;
    const char *output;
    const char *dump;
    const char *root;
    const char **sets;
    int nsets;
} options;

static void usage(FILE *to)
{
    fputs("usage: handout build LAYOUT.ini CONTENT_DIR [-o OUT.pdf] [--set key=value]... [--dump FILE]\n"
          "       handout list [--root DIR]\n"
          "       handout --help | --version\n"
          "\n"
          "Commands:\n"
          "  build   make a print-ready PDF from a layout and a content set\n"
          "  list    list the layouts and content sets, with their descriptions\n"
          "\n"
          "Options for build:\n"
          "  -o, --output FILE   the PDF to write (default output/LAYOUT-CONTENT.pdf)\n"
          "  --set KEY=VALUE     set or override a content field (repeatable)\n"
          "  --dump FILE         write a text description of the page ('-' for stdout)\n"
          "Options for list:\n"
          "  --root DIR          the folder holding layouts/ and content/ (default .)\n"
          "\n"
          "Exit status: 0 success, 1 invalid input, 2 usage error, 3 output not written,\n"
          "4 internal failure. See handout(1) and docs/formats.md.\n",
          to);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "handout: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    usage(stderr);
    return EXIT_USAGE;
}

/* Takes an option's value: "--opt value" or "--opt=value". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

/* Returns -1 when parsing succeeded, else the exit status to use. */
static int parse_args(int argc, char **argv, options *o)
{
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->sets)
        return EXIT_INTERNAL;
    const char *positional[3];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("handout %s\n", HANDOUT_VERSION);
            return 0;
        }
        const char **slot = NULL;
        const char *name = NULL;
        if (is_option(a, "-o") || is_option(a, "--output"))
            slot = &o->output, name = a[1] == 'o' ? "-o" : "--output";
        else if (is_option(a, "--dump"))
            slot = &o->dump, name = "--dump";
        else if (is_option(a, "--root"))
            slot = &o->root, name = "--root";
        if (slot) {
            const char *v = option_value(argc, argv, &i, name);
            if (!v || !*v)
                return usage_error("option %s needs a value", name);
            *slot = v;
            continue;
        }
        if (is_option(a, "--set")) {
            const char *v = option_value(argc, argv, &i, "--set");
            const char *eq = v ? strchr(v, '=') : NULL;
            if (!eq || eq == v)
                return usage_error("--set: expected key=value, found \"%s\"", v ? v : "");
            for (const char *k = v; k < eq; k++)
                if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
                    return usage_error("--set: expected a field name of a-z, 0-9 and '_', found \"%.*s\"",
                                       (int)(eq - v), v);
            o->sets[o->nsets++] = v;
            continue;
        }
        if (a[0] == '-' && a[1] != '\0')
            return usage_error("unknown option %s", a);
        if (npos == 3)
            return usage_error("unexpected argument %s", a);
        positional[npos++] = a;
    }
    if (npos == 0)
        return usage_error("%s", "a command is needed: build or list");
    o->command = positional[0];
    if (strcmp(o->command, "build") == 0) {
        if (npos != 3)
            return usage_error("%s", "build needs a layout file and a content folder");
        if (o->root)
            return usage_error("option %s is for list", "--root");
        o->layout = positional[1];
        o->content = positional[2];
    } else if (strcmp(o->command, "list") == 0) {
        if (npos != 1)
            return usage_error("%s", "list takes no arguments");
        if (o->output || o->dump || o->nsets)
            return usage_error("%s", "list takes only --root");
    } else {
        return usage_error("unknown command %s (expected build or list)", o->command);
    }
    return -1;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org): seconds since 1970, digits only. */
static int source_date_epoch(long long *epoch)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    *epoch = -1;
    if (!s)
        return 0;
    long long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && p - s < 12; p++)
        v = v * 10 + (*p - '0');
    if (p == s || *p != '\0' || v > 253402300799LL) {
        fprintf(stderr,
                "handout: error: SOURCE_DATE_EPOCH: expected seconds since 1970 (digits only), "
                "found \"%s\"\n",
                s);
        return EXIT_USAGE;
    }
    *epoch = v;
    return 0;
}

static char *base_name(const char *path, const char *strip)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t len = n - start;
    size_t sl = strip ? strlen(strip) : 0;
    if (sl && len > sl && strncmp(path + start + len - sl, strip, sl) == 0)
        len -= sl;
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, path + start, len);
        s[len] = '\0';
    }
    return s;
}

/* The project folder of a layout: the parent of the folder holding it. */
static char *project_root(const char *layout_path)
{
    const char *slash = strrchr(layout_path, '/');
    size_t n = slash ? (size_t)(slash - layout_path) : 1;
    char *s = malloc(n + 4);
    if (s)
        snprintf(s, n + 4, "%.*s/..", (int)n, slash ? layout_path : ".");
    return s;
}

static int cmd_build(const options *o)
{
    long long epoch;
    int st = source_date_epoch(&epoch);
    if (st)
        return st;
    struct stat sb;
    if (stat(o->layout, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "handout: error: %s: expected a layout file, found %s\n", o->layout,
                stat(o->layout, &sb) != 0 ? strerror(errno) : "a folder");
        return EXIT_INPUT;
    }
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    content *c = content_load(o->content, d);
    for (int i = 0; c && i < o->nsets; i++)
        content_set_arg(c, o->sets[i], d);
    layout *l = c && diag_errors(d) == 0 ? layout_load(o->layout, c, d) : NULL;
    char *root = project_root(o->layout);
    fonts *f = root ? fonts_new(root) : NULL;
    char *output = NULL;
    int status = EXIT_INPUT;
    if (l && f && diag_errors(d) == 0) {
        if (o->output) {
            output = strdup(o->output);
        } else {
            char *lb = base_name(o->layout, ".ini"), *cb = base_name(o->content, NULL);
            size_t n = (lb ? strlen(lb) : 0) + (cb ? strlen(cb) : 0) + 16;
            output = lb && cb ? malloc(n) : NULL;
            if (output)
                snprintf(output, n, "output/%s-%s.pdf", lb, cb);
            free(lb);
            free(cb);
        }
        render_opts ro = { output, o->dump, epoch, "handout " HANDOUT_VERSION };
        status = output ? render_build(l, c, f, &ro, d) : EXIT_INTERNAL;
        if (status == 0)
            fprintf(stderr, "handout: wrote %s (1 page, %.6g x %.6g pt)\n", output, l->page_w,
                    l->page_h);
    } else if (!f && l) {
        fprintf(stderr, "handout: error: fontconfig could not be initialised\n");
        status = EXIT_INTERNAL;
    }
    if (status != 0)
        fprintf(stderr, "handout: no PDF was written\n");
    free(output);
    fonts_free(f);
    free(root);
    layout_free(l);
    content_free(c);
    diag_free(d);
    return status;
}

static int only_ini(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".ini") == 0;
}

static int only_visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int cmd_list(const options *o)
{
    const char *root = o->root ? o->root : ".";
    char path[4096];
    struct dirent **names = NULL;
    int found = 0;
    snprintf(path, sizeof path, "%s/layouts", root);
    int n = scandir(path, &names, only_ini, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%slayouts/%s", o->root ? root : "", o->root ? "/" : "",
                 names[i]->d_name);
        char *desc = layout_description(path);
        printf("layout   %-32s %s\n", path, desc ? desc : "(cannot be read: run handout build for details)");
        free(desc);
        free(names[i]);
        found++;
    }
    free(names);
    names = NULL;
    snprintf(path, sizeof path, "%s/content", root);
    n = scandir(path, &names, only_visible, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%scontent/%s/content.ini", o->root ? root : "",
                 o->root ? "/" : "", names[i]->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0) {
            diag *d = diag_new(NULL);
            ini_file *f = d ? ini_load(path, d) : NULL;
            const char *desc = f ? ini_get(f, "content", "description") : NULL;
            path[strlen(path) - strlen("/content.ini")] = '\0';
            printf("content  %-32s %s\n", path, f ? (desc ? desc : "") : "(cannot be read: run handout build for details)");
            ini_free(f);
            diag_free(d);
            found++;
        }
        free(names[i]);
    }
    free(names);
    if (found == 0) {
        fprintf(stderr, "handout: error: %s: expected layouts/*.ini or content/*/content.ini, found none\n",
                root);
        return EXIT_INPUT;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    int status = parse_args(argc, argv, &o);
    if (status < 0)
        status = strcmp(o.command, "build") == 0 ? cmd_build(&o) : cmd_list(&o);
    free(o.sets);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (status == 0) {
            fprintf(stderr, "handout: error: cannot write to standard output: %s\n", strerror(errno));
            status = EXIT_OUTPUT;
        }
    }
    return status;
}
