# handout: build, run, test. `make run` and `make check` are the two commands a newcomer needs;
# both first install missing Debian packages (tools/deps.sh).

PREFIX ?= /usr/local
DESTDIR ?=
VERSION = 0.1.0

CC ?= cc
PKGS = libqrencode libcmark fontconfig libpng libmicrohttpd
# recursive (=) so that pkg-config runs only once the packages are there
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DHANDOUT_VERSION='"$(VERSION)"' $(WARN) \
              -I/usr/include/iniparser $(PKG_CFLAGS)
OPT = -O2 -g
LIBS = -lhpdf -liniparser -lcsv -lhyphen $(PKG_LIBS) -lpthread -lm

SRC = src/atomic.c src/inputs.c src/parts.c src/escape.c src/diag.c src/readfile.c src/utf8.c src/units.c src/ini.c src/content.c src/layout.c src/fonts.c \
      src/qr.c src/text.c src/markdown.c src/image.c src/pdf.c src/pdf_boxes.c src/render.c \
      src/impose.c src/data.c src/calibrate.c src/compliance.c src/numbers.c src/hyphenate.c src/suggest.c src/strfmt.c \
      src/sha256.c src/job.c src/manifest.c src/reportdoc.c src/report.c src/plan.c src/batch.c \
      src/childproc.c src/webform.c src/webbuild.c src/webpage.c src/serve.c
HDR = $(wildcard src/*.h)

BUILD ?= build
OBJ = $(SRC:src/%.c=$(BUILD)/%.o)

LAYOUTS = $(sort $(wildcard layouts/*.ini))
# every content set but the reference ones (scope = reference: fields for other sets' layouts)
CONTENTS = $(sort $(patsubst %/content.ini,%,$(shell grep -L -E '^scope *= *reference' content/*/content.ini)))

.PHONY: all deps run check check-asan check-valgrind fuzz bench install uninstall clean

all: handout tests/unit

deps:
	@sh tools/deps.sh

$(BUILD)/%.o: src/%.c $(HDR)
	@mkdir -p $(BUILD)
	@echo "  CC      $<"
	@$(CC) $(BASE_CFLAGS) $(OPT) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/handout: $(OBJ) $(BUILD)/main.o
	@echo "  LD      $@"
	@$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(LIBS)

UNIT_SRC = $(wildcard tests/unit*.c)

$(BUILD)/unit: $(OBJ) $(UNIT_SRC) tests/unit.h $(HDR)
	@echo "  LD      $@"
	@$(CC) $(BASE_CFLAGS) -Isrc -Itests $(OPT) $(EXTRA_CFLAGS) -o $@ $(UNIT_SRC) $(OBJ) $(LIBS)

handout: $(BUILD)/handout
	@cp $< $@.tmp && mv -f $@.tmp $@

tests/unit: $(BUILD)/unit
	@cp $< $@.tmp && mv -f $@.tmp $@

# The default materials: every layout with every content set.
run: deps
	@$(MAKE) --no-print-directory handout
	@mkdir -p output
	@set -e; for l in $(LAYOUTS); do for c in $(CONTENTS); do \
	  ./handout build $$l $$c -o output/$$(basename $$l .ini)-$$(basename $$c).pdf; \
	done; done
	@echo "Default materials in output/:"
	@ls -l output/*.pdf

check: deps
	@$(MAKE) --no-print-directory all
	@tests/all.sh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  build-asan/handout build-asan/unit
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  HANDOUT=build-asan/handout UNIT=build-asan/unit tests/all.sh

check-valgrind: deps
	@$(MAKE) --no-print-directory all
	@HANDOUT_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	  tests/all.sh

install: handout
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 handout $(DESTDIR)$(PREFIX)/bin/handout
	install -m 644 handout.1 $(DESTDIR)$(PREFIX)/share/man/man1/handout.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/handout $(DESTDIR)$(PREFIX)/share/man/man1/handout.1

clean:
	rm -rf build build-asan build-fuzz handout tests/unit

# Fuzzing with libFuzzer (clang): each target runs FUZZ_SECONDS on its corpus in tests/fuzz/.
# FUZZ_TARGETS=job runs one. fuzz_build's inputs are a layout, a content.ini and a Markdown file
# together: they may be longer; fuzz_family's are two content.ini files and a text, for
# {field@lang} across sets. A crash stops the loop; its input is left in build-fuzz/.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= layout markdown csv job build webform family
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined

fuzz: deps
	@sh tools/deps.sh clang libclang-rt-14-dev
	@mkdir -p build-fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "  FUZZ    $$t ($(FUZZ_SECONDS) s)"; \
	  clang $(BASE_CFLAGS) -Isrc $(FUZZ_FLAGS) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c \
	    $(SRC) $(LIBS); \
	  case $$t in build) len=16384 ;; *) len=4096 ;; esac; \
	  mkdir -p build-fuzz/corpus-$$t; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$len -artifact_prefix=build-fuzz/$$t- \
	    build-fuzz/corpus-$$t tests/fuzz/corpus-$$t > build-fuzz/fuzz_$$t.log 2>&1 || \
	    { tail -n 40 build-fuzz/fuzz_$$t.log; exit 1; }; \
	  tail -n 3 build-fuzz/fuzz_$$t.log; \
	done

# Speed, memory and size against the floor program (tools/bench.sh); not part of the tests.
bench: deps
	@sh tools/deps.sh time bc
	@RUNS=$(or $(RUNS),5) tools/bench.sh
	@RUNS=$(or $(RUNS),1) tools/bench-batch.sh
	@sh tools/deps.sh wrk
	@tools/bench-serve.sh
