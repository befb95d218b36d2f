# handout: build, run, test. `make run` and `make check` are the two commands a newcomer needs;
# both first install missing Debian packages (tools/deps.sh): `make run` what building and running
# needs, `make check` the test tools as well, and chromium and nodejs for the browser test.
# `make` alone builds ./handout and tests/unit and installs nothing.

PREFIX ?= /usr/local
DESTDIR ?=
VERSION = 0.1.0

CC ?= cc
# The libraries that ship a pkg-config file (.pc) on Debian 12 come through pkg-config; libhpdf,
# iniparser, libcsv and libhyphen ship none there, so their flags are written out below.
PKGS = zlib libqrencode libcmark fontconfig freetype2 libpng libjpeg libmicrohttpd icu-uc harfbuzz harfbuzz-subset sqlite3 lcms2 nettle
# recursive (=) so that pkg-config runs only once the packages are there
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Warnings are errors only where the code is ours to fix: make check, check-asan, check-valgrind,
# fuzz, CI, and a maintainer's `make WERROR=1`; a user's make, make run and make install only
# warn, so that a newer compiler's new warning does not stop anyone from printing.
WERROR ?=
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 $(if $(filter-out 0,$(WERROR)),-Werror)
BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DHANDOUT_VERSION='"$(VERSION)"' $(WARN) \
              -I/usr/include/iniparser $(PKG_CFLAGS)
OPT = -O2 -g
LIBS = -lhpdf -liniparser -lcsv -lhyphen $(PKG_LIBS) -lpthread -lm
# the command lines that compile a source file and link the objects
COMPILE = $(CC) $(BASE_CFLAGS) $(OPT) $(EXTRA_CFLAGS)
LINK = $(CC) $(OPT) $(EXTRA_CFLAGS)

SRC = src/cli.c src/project.c src/build.c src/atomic.c src/inputs.c src/parts.c src/escape.c src/grow.c src/payload.c src/preflight.c src/diag.c src/readfile.c src/utf8.c src/units.c src/ini.c src/theme.c src/content.c src/layout.c src/fonts.c \
      src/qr.c src/text.c src/unicode.c src/markdown.c src/image.c src/pdf.c src/pdfpack.c src/pdf_boxes.c src/pdfx.c src/tags.c src/ink.c src/gamut.c src/render.c src/art.c src/typeset.c src/pages.c src/split.c \
      src/shape.c src/fontembed.c \
      src/impose.c src/data.c src/calibrate.c src/compliance.c src/posting.c src/numbers.c src/hyphenate.c src/suggest.c src/strfmt.c src/crowd.c src/design.c src/proof.c \
      src/sha256.c src/job.c src/manifest.c src/reportdoc.c src/report.c src/plan.c src/batch.c \
       src/childproc.c src/store.c src/orders.c src/webform.c src/preview.c src/warm.c src/webbuild.c src/webpage.c src/webproof.c src/serve.c
HDR = $(wildcard src/*.h)

BUILD ?= build
# How many compilers a build inside check, check-asan, check-valgrind, run and regen runs at once.
NPROC := $(shell nproc 2>/dev/null || echo 2)
OBJ = $(SRC:src/%.c=$(BUILD)/%.o)


.PHONY: all deps deps-check run run-pairs regen check check-asan check-valgrind fuzz bench bench-cards install uninstall clean \
        FORCE

all: handout tests/unit $(BUILD)/shape-sample

# What building and running needs (make run): compiler, -dev libraries, fonts, dictionaries.
deps:
	@sh tools/deps.sh --run

# What the tests need (make check, check-asan, check-valgrind): the run packages, the test tools
# and DEPS_EXTRA; then chromium and nodejs, which only the browser test needs: without root and
# without them, the command that installs them is printed and the other suites still run.
deps-check:
	@sh tools/deps.sh --check $(DEPS_EXTRA)
	@sh tools/deps.sh --browser || \
	  echo "handout: only the browser test (tests/browser.sh) needs chromium and nodejs" >&2

# $(BUILD)/flags: the compile and link command lines, rewritten only when they change, so that a
# new VERSION, OPT, EXTRA_CFLAGS, WERROR or library flag rebuilds everything (as does any change
# to this Makefile).
$(BUILD)/flags: FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' '$(subst ','\'',$(COMPILE))' '$(subst ','\'',$(LINK) $(LIBS))' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

$(BUILD)/%.o: src/%.c $(HDR) Makefile $(BUILD)/flags
	@echo "  CC      $<"
	@$(COMPILE) -c $< -o $@

$(BUILD)/handout: $(OBJ) $(BUILD)/main.o $(BUILD)/flags
	@echo "  LD      $@"
	@$(LINK) -o $@ $(filter %.o,$^) $(LIBS)

UNIT_SRC = $(wildcard tests/unit*.c)

$(BUILD)/unit: $(OBJ) $(UNIT_SRC) tests/unit.h tests/shape_fonts.h $(HDR) Makefile $(BUILD)/flags
	@echo "  LD      $@"
	@$(COMPILE) -Isrc -Itests -o $@ $(UNIT_SRC) $(OBJ) $(LIBS)

# the text layer's test program (tests/shape.sh)
$(BUILD)/shape-sample: $(OBJ) tests/shape_sample.c tests/shape_fonts.h $(HDR) Makefile $(BUILD)/flags
	@echo "  LD      $@"
	@$(COMPILE) -Isrc -Itests -o $@ tests/shape_sample.c $(OBJ) $(LIBS)

handout: $(BUILD)/handout
	@cp $< $@.tmp && mv -f $@.tmp $@

tests/unit: $(BUILD)/unit
	@cp $< $@.tmp && mv -f $@.tmp $@

# The default materials: the builds run-pairs lists, each to output/NAME.pdf. Installs the run
# packages only.
run: deps
	@$(MAKE) --no-print-directory -j$(NPROC) handout
	@mkdir -p output
	@set -e; $(MAKE) -s --no-print-directory run-pairs | while read -r l c n s; do \
	  ./handout build $$l $$c $${s:+--size $$s} -o output/$$n.pdf; \
	done
	@echo "Default materials in output/:"
	@ls -l output/*.pdf

# The builds `make run` makes, one "LAYOUT CONTENT_DIR NAME" a line (output/NAME.pdf): each
# layout with every content set that goes into it (a set's [content] layouts; a set without that
# key goes into every layout, a reference set into none), and a layout holding its own languages
# (the notices) once, named after them; a layout made for several sizes at each, with the size
# as a fourth word (LAYOUT CONTENT_DIR NAME SIZE: built with --size SIZE) (tools/run-pairs.sh). The golden dumps (tests/golden/) are
# kept for exactly these.
run-pairs:
	@sh tools/run-pairs.sh

# Rewrites the golden dumps in tests/golden/ from fresh builds of the run-pairs, once every PDF has
# passed checks that do not read the dump's values: each QR code decoded by zbarimg (at 300 dpi)
# to exactly the payload tests/oracle.sh derives from the layout and content files, qpdf --check,
# and every font embedded (pdffonts). When any check fails, nothing is written. Installs the run
# packages and the test tools.
regen:
	@sh tools/deps.sh --check
	@$(MAKE) --no-print-directory -j$(NPROC) WERROR=1 handout
	@tests/regen.sh

# Every test, built with -Werror. Installs the run packages, the test tools, chromium and nodejs.
check: deps-check
	@$(MAKE) --no-print-directory -j$(NPROC) WERROR=1 all
	@tests/all.sh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan: deps-check
	@$(MAKE) --no-print-directory -j$(NPROC) BUILD=build-asan WERROR=1 OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  build-asan/handout build-asan/unit build-asan/shape-sample
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  HANDOUT=build-asan/handout UNIT=build-asan/unit SHAPE_SAMPLE=build-asan/shape-sample tests/all.sh

# The same suite with every run of handout under valgrind (installed here as well). A -j build's
# worker processes (fork, no exec) are followed too; tests/valgrind.supp says what is suppressed.
check-valgrind: DEPS_EXTRA = valgrind
check-valgrind: deps-check
	@$(MAKE) --no-print-directory -j$(NPROC) WERROR=1 all
	@HANDOUT_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	  --suppressions=$(CURDIR)/tests/valgrind.supp" \
	  tests/all.sh

# Installs no Debian package: `make run` (or tools/deps.sh --run) first on a fresh machine.
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
# {field@lang} across sets; fuzz_image's are one PNG or JPEG file. A crash stops the loop; its input
# is left in build-fuzz/. Each target runs with TMPDIR=build-fuzz/tmp-TARGET and must leave it
# empty (tests/fuzz/fuzz_parts.h: a run removes every file it writes). LeakSanitizer is told
# fontconfig's configuration is not a leak (tests/fuzz/lsan.supp says why).
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= layout markdown csv job build webform family image
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined

# Installs the run packages, and clang with its libFuzzer runtime; warnings are errors.
fuzz: WERROR = 1
fuzz:
	@sh tools/deps.sh --run clang libclang-rt-14-dev
	@mkdir -p build-fuzz
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "  FUZZ    $$t ($(FUZZ_SECONDS) s)"; \
	  clang $(BASE_CFLAGS) -Isrc $(FUZZ_FLAGS) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c \
	    $(SRC) $(LIBS); \
	  case $$t in build) len=16384 ;; image) len=8192 ;; *) len=4096 ;; esac; \
	  mkdir -p build-fuzz/corpus-$$t; rm -rf build-fuzz/tmp-$$t; mkdir build-fuzz/tmp-$$t; \
	  TMPDIR=$$PWD/build-fuzz/tmp-$$t LSAN_OPTIONS=suppressions=$$PWD/tests/fuzz/lsan.supp \
	    build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$len \
	    -artifact_prefix=build-fuzz/$$t- build-fuzz/corpus-$$t tests/fuzz/corpus-$$t > build-fuzz/fuzz_$$t.log 2>&1 || \
	    { tail -n 40 build-fuzz/fuzz_$$t.log; exit 1; }; \
	  tail -n 3 build-fuzz/fuzz_$$t.log; \
	  if [ -n "$$(ls -A build-fuzz/tmp-$$t)" ]; then \
	    echo "fuzz_$$t left files behind in its TMPDIR:"; ls -AR build-fuzz/tmp-$$t; exit 1; fi; \
	  rmdir build-fuzz/tmp-$$t; \
	done

# Speed, memory and size against the floor program (tools/bench.sh); not part of the tests.
# Installs the run packages and the test tools (pdfinfo, pdftoppm, curl), wrk, time, bc and
# fontconfig (fc-match). Then CARDS unique cards with -j 2 (tools/bench-cards.sh; 100,000 by
# default, about a minute on two cores; CARDS=0 leaves it out, `make bench-cards` runs it alone).
CARDS ?= 100000
bench:
	@sh tools/deps.sh --check wrk time bc fontconfig
	@RUNS=$(or $(RUNS),5) tools/bench.sh
	@RUNS=$(or $(RUNS),1) tools/bench-batch.sh
	@tools/bench-serve.sh
	@if [ "$(CARDS)" != 0 ]; then CARDS=$(CARDS) tools/bench-cards.sh; fi

bench-cards:
	@sh tools/deps.sh --check time bc
	@$(MAKE) --no-print-directory handout
	@CARDS=$(CARDS) tools/bench-cards.sh
