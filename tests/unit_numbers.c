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
        /* issue 18, class 7: the number as a phone dials it, apart from what follows it */
        { "Call 1-888-373-7887 (24/7)", true, "a near miss followed by a bracketed (24/7)" },
        { "Call 1-888-373-7888 (24/7)", false, "the hotline followed by (24/7)" },
        { "Call (888) 373-7887 (toll free)", true, "a near miss in brackets, followed by brackets" },
        { "Text 233773 (24/7)", true, "the text line with a digit changed, followed by (24/7)" },
        { "1 888 373 7888 (HELP) 233733", false, "the hotline and the text line in one run" },
        { "1-888-373-7888 or 1-888-373-7887", true, "a near miss after the hotline" },
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

    /* keywords (issue 13): a keyword sent to a number that documents its keywords */
    n = numbers_new();
    numbers_add(n, "233733", "text line", "this test");
    numbers_set_keywords(n, "HELP, INFO");
    numbers_add(n, "1-888-373-7888", "hotline", "this test"); /* documents no keywords */
    static const struct {
        const char *text;
        const char *bad; /* the keyword reported, or NULL */
        const char *name;
    } kw[] = {
        { "Text HELP to 233733", NULL, "HELP, documented" },
        { "text info to 233733", NULL, "a lower-case word is not read as a keyword" },
        { "Envíe AYUDA al 233733", "AYUDA", "AYUDA before al" },
        { "Envíe HELP al 233733", NULL, "HELP before al" },
        { "o envíe el texto AYUDA al 233-733", "AYUDA", "AYUDA, the number with a dash" },
        { "text HELP or AYUDA to 233733", "AYUDA", "the second of two keywords" },
        { "text AYUDA or HELP to 233733", "AYUDA", "the first of two keywords" },
        { "text \xE2\x80\x9CSTOP\xE2\x80\x9D to 233733", "STOP", "a keyword in curly quotes" },
        { "1 888 373 7888 (HELP) 233733", NULL, "a keyword in brackets" },
        { "Text AYUDA to 1-888-373-7888", NULL, "a number that documents no keywords is not checked" },
        { "SMSTO:233733:AYUDA", "AYUDA", "an SMSTO payload's message" },
        { "SMSTO:233733:help", NULL, "an SMSTO payload's message, any case" },
        { "SMSTO:233733:I need help", NULL, "an SMSTO message of several words is no keyword" },
        { "SMS: 233733", NULL, "a label before the number" },
        { "AYUDA. Call or text 233733", NULL, "a keyword two words away is not the number's" },
        { "envoyez HELP par SMS au 233733", NULL, "SMS names the channel, not a keyword (French)" },
        { "SMS HELP au 233733", NULL, "SMS before the keyword" },
        { "envoyez AYUDA par SMS au 233733", "AYUDA", "a wrong keyword before the channel word" },
        { "TEXT AYUDA TO 233733", "AYUDA", "an all-capitals poster: TEXT is the channel" },
        { "TEXT HELP OR INFO TO 233733", NULL, "an all-capitals poster with two keywords" },
        { "Nh\xE1\xBA\xAFn HELP \xC4\x91\xE1\xBA\xBFn 233733", NULL, "Vietnamese: HELP before đến" },
        { "Nh\xE1\xBA\xAFn AYUDA \xC4\x91\xE1\xBA\xBFn 233733", "AYUDA", "Vietnamese: AYUDA before đến" },
        { "Text AYUDA to (233733)", "AYUDA", "the number in brackets" },
        { "Text AYUDA to BeFree (233733)", "AYUDA", "the number's keypad name before it" },
        { "Text HELP to BeFree (233733)", NULL, "HELP, with the number's keypad name before it" },
        { "Text AYUDA to BEFREE", "AYUDA", "the number by its keypad name alone" },
        { "text INFO to BeFree", NULL, "INFO to the keypad name alone" },
        { "Text AYUDA to BEFREES", NULL, "a longer word is not the number's name" },
        { "Text BEFREE to 233733", "BEFREE", "the keypad name sent as a message is read as a keyword" },
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
        keyword_miss k;
        bool kgot = numbers_bad_keyword(n, kw[i].text, &k);
        char name[160];
        snprintf(name, sizeof name, "numbers keyword: %s", kw[i].name);
        check(kgot == (kw[i].bad != NULL) && (!kgot || strcmp(k.keyword, kw[i].bad) == 0), name, kw[i].text);
    }
    keyword_miss k;
    check(numbers_bad_keyword(n, "Text AYUDA to 233733", &k) && strcmp(k.keywords, "HELP, INFO") == 0 &&
              strcmp(k.known, "233733") == 0,
          "numbers keyword: the miss names the number and its keywords", k.keywords);
    numbers_free(n);
}
