/* Unit tests for numbers: near misses of known phone and text numbers. */
#include "numbers.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

void test_numbers(void)
{
    numbers *n = numbers_new();
    numbers_add(n, "1-888-373-7888", "National Human Trafficking Hotline", "seed");
    numbers_add(n, "233733", "text line", "brief");
    numbers_add(n, "1-800-FLA-SAFE", "an example vanity number", "this test");
    number_miss m;
    static const struct {
        const char *text;
        bool miss;
        const char *name;
    } cases[] = {
        { "Call 1-888-373-7888 now", false, "the hotline itself is not a near miss" },
        { "Call (888) 373-7888.", false, "the hotline without its country code is itself" },
        { "Call 1-888-373-7887 now", true, "one digit changed" },
        { "Call 1-888-373-788 now", true, "one digit dropped" },
        { "Call 1-888-373-78888 now", true, "one digit added" },
        { "Call 1-888-337-7888 now", true, "two digits swapped" },
        { "Call 1-888-337-7878 now", false, "two edits are another number, not a near miss" },
        { "text HELP to 233733", false, "the text line itself" },
        { "text HELP to 233773", true, "text line with a digit changed" },
        { "1-800-FLA-SAFE", false, "a keypad word that dials the known number" },
        { "1-800-FLA-SAVE", true, "FLA-SAVE for FLA-SAFE" },
        { "Room 12345 on floor 2", false, "an unrelated number" },
        { "2026-11-28", false, "a date" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool got = numbers_near_miss(n, cases[i].text, &m);
        char name[128];
        snprintf(name, sizeof name, "numbers: %s", cases[i].name);
        check(got == cases[i].miss, name, cases[i].text);
    }
    bool got = numbers_near_miss(n, "Call 1-888-373-7887 now", &m);
    check(got && strcmp(m.found, "1-888-373-7887") == 0 && strcmp(m.known, "1-888-373-7888") == 0,
          "numbers: the miss names what was found and the known number", m.found);
    numbers_free(n);
}
