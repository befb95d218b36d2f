/* grow: arrays that grow by doubling, so that no list has a silent fixed size. A list is a
 * pointer, a count and a capacity; GROW(list, count, cap) makes room for one more item and is
 * false when memory ran out (the list is then unchanged). */
#ifndef HANDOUT_GROW_H
#define HANDOUT_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Makes *items hold at least need items of size bytes each; *cap is the capacity in items. */
bool grow_to(void **items, size_t *cap, size_t need, size_t size);

#define GROW(list, count, cap) grow_to((void **)&(list), &(cap), (size_t)(count) + 1, sizeof *(list))

#endif
