/* crowd: see crowd.h. */
#include "crowd.h"

#include <math.h>
#include <stdlib.h>

crowd_run crowd_box(int element, double x, double baseline, double advance, double size, int angle,
                    double above, double below)
{
    double up = above * size, down = below * size;
    crowd_run r = { element, x, baseline - up, x + advance, baseline + down, size };
    if (angle == 90) { /* reading upwards: the text's top towards the left */
        r.x0 = x - up;
        r.x1 = x + down;
        r.y0 = baseline - advance;
        r.y1 = baseline;
    } else if (angle == 270) { /* reading downwards: its top towards the right */
        r.x0 = x - down;
        r.x1 = x + up;
        r.y0 = baseline;
        r.y1 = baseline + advance;
    }
    return r;
}

double crowd_distance(const crowd_run *a, const crowd_run *b)
{
    double dx = fmax(0, fmax(a->x0 - b->x1, b->x0 - a->x1));
    double dy = fmax(0, fmax(a->y0 - b->y1, b->y0 - a->y1));
    return sqrt(dx * dx + dy * dy);
}

static int by_pair(const void *pa, const void *pb)
{
    const crowd_hit *a = pa, *b = pb;
    return a->a != b->a ? (a->a > b->a) - (a->a < b->a) : (a->b > b->b) - (a->b < b->b);
}

size_t crowd_find(const crowd_run *runs, size_t n, double gutter, double factor, crowd_hit **hits)
{
    *hits = NULL;
    size_t nh = 0, cap = 0;
    crowd_hit *h = NULL;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const crowd_run *p = &runs[i], *q = &runs[j];
            if (p->element == q->element)
                continue;
            double want = gutter > 0 ? gutter : factor * fmin(p->size, q->size);
            double d = crowd_distance(p, q);
            if (d >= want)
                continue;
            int a = p->element < q->element ? p->element : q->element;
            int b = p->element < q->element ? q->element : p->element;
            size_t ra = p->element == a ? i : j, rb = p->element == a ? j : i;
            size_t k;
            for (k = 0; k < nh && (h[k].a != a || h[k].b != b); k++)
                ;
            if (k < nh) { /* the pair again: keep the closest, measured against its own gutter */
                if (d - want < h[k].distance - h[k].gutter)
                    h[k] = (crowd_hit){ a, b, ra, rb, d, want };
                continue;
            }
            if (nh == cap) {
                size_t nc = cap ? cap * 2 : 8;
                crowd_hit *g = realloc(h, nc * sizeof *g);
                if (!g) {
                    free(h);
                    return (size_t)-1;
                }
                h = g;
                cap = nc;
            }
            h[nh++] = (crowd_hit){ a, b, ra, rb, d, want };
        }
    if (nh > 1)
        qsort(h, nh, sizeof *h, by_pair);
    *hits = h;
    return nh;
}
