#!/bin/sh
# tools/deps.sh -- make sure the Debian packages handout needs are installed.
#
# usage: tools/deps.sh [--run] [--check] [--browser] [--with-asan] [EXTRA-PACKAGE]...
#   --run      what building and running needs: compiler, -dev libraries, fonts and
#              hyphenation dictionaries of the default materials (make, make run)
#   --check    the --run packages and the test tools (make check, without the browser)
#   --browser  chromium and nodejs, for the browser test (tests/browser.sh) alone
#   Options add up; EXTRA-PACKAGE names add to them (--with-asan: the extra package "clang").
#   With no option and no package name: all three sets, everything the tests need.
#   Nothing missing: prints nothing, exits 0.
#   Missing packages and running as root: apt-get update + install, exits with
#   apt-get's status.  Missing packages and not root: prints the command to run
#   on stderr and exits 1.  Not a Debian-like system (no dpkg-query): exits 1.

# --run: the toolchain (make, cc, pkg-config), the libraries (libsqlite3-dev: the order store of
# handout serve and handout orders, src/store.c; libicu-dev: NFC normalisation and
# the Unicode script of a character; libharfbuzz-dev: shaping and hb-subset, src/shape.c and
# src/fontembed.c), Liberation Sans (every layout), Nanum (the Korean fallback of
# notice-ca-letter), the fonts fontconfig's fallback by script chooses (src/fonts.c
# fonts_fallback: fonts-noto-core for Arabic, Devanagari, Thai, Khmer, Myanmar...; fonts-noto-cjk
# for Chinese, Japanese, Korean), the English and Spanish hyphenation dictionaries, and
# libgs-common: Ghostscript's ICC profiles, whose default_cmyk.icc is the output profile embedded
# in PDF/X files (print-shop and --pdfx builds); icc-profiles-free: its sRGB.icc (zlib licence) is
# the profile RGB images are tagged with there (src/pdfx.c; docs/printing.md says why these);
# zlib1g-dev: every saved PDF is rewritten with compressed object streams and a cross-reference
# stream (src/pdfpack.c) and the web page's preview images are written as PNG (src/preview.c);
# liblcms2-dev (Little CMS): the
# gamut warning of CMYK output, a colour's round trip through that profile (src/gamut.c);
# nettle-dev: SHA-256 with the processor's SHA instructions (src/sha256.c: the digests of every
# input of a build and of a web preview's plan, issue 17).
RUN_PACKAGES="build-essential pkg-config libhpdf-dev zlib1g-dev libqrencode-dev libiniparser-dev \
libcmark-dev libfontconfig-dev libfreetype-dev libpng-dev libjpeg-dev libcsv-dev libhyphen-dev libmicrohttpd-dev \
libicu-dev libharfbuzz-dev libsqlite3-dev hyphen-en-us hyphen-es fonts-liberation2 fonts-nanum fonts-noto-core fonts-noto-cjk libgs-common icc-profiles-free liblcms2-dev nettle-dev"
# --check: poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm), zbar-tools (zbarimg), qpdf,
# curl and procps (pgrep) for the web page's tests, sqlite3 (the command-line shell: tests/orders.sh
# reads and prepares order stores with it, independently of src/store.c), jq for batch.sh's manifest check (left out
# without it), libzxing-dev (zxing-cpp) for tests/tools/qr_eci.cpp, which tells whether a QR code
# carries an ECI designator (zbarimg cannot); libharfbuzz-bin (hb-shape, the oracle of the shaping
# tests) and the fonts the text layer's tests set (tests/shape_fonts.h; fonts-noto-core and
# fonts-noto-cjk, in the run set now, are named here too); fonts-dejavu-core,
# whose accented letters are composite glyphs (tests/text.sh, section 13; hb-view draws the
# reference); parallel (GNU parallel), which runs tests/batch.sh's four shards at once as
# docs/batch.md shows; liblcms2-utils (transicc), tests/pdfx.sh's oracle of the gamut warning. (wrk, for the
# web page's load, is make bench's: the Makefile asks for it there.) python3 runs tests/tools/*.py
# (layout geometry and the flyer's text, computed apart from the program) and browser.sh's helpers.
CHECK_PACKAGES="poppler-utils zbar-tools qpdf curl procps jq sqlite3 python3 libzxing-dev libharfbuzz-bin fonts-noto-core fonts-noto-cjk fonts-dejavu-core parallel liblcms2-utils"
# --browser: tests/browser.sh drives Debian's chromium with playwright-core from npm.
# nodejs: the machines have NodeSource's package of that name (node 20, npm inside it), which
# playwright-core needs; Debian's own nodejs (18 in bookworm) is too old for it, and Debian's npm
# package conflicts with NodeSource's nodejs, so npm is not listed.
BROWSER_PACKAGES="chromium nodejs"

PACKAGES=""
sets=0
for arg in "$@"; do
    case $arg in
        -h|--help)
            sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        --run)
            PACKAGES="$PACKAGES $RUN_PACKAGES"; sets=1 ;;
        --check)
            PACKAGES="$PACKAGES $RUN_PACKAGES $CHECK_PACKAGES"; sets=1 ;;
        --browser)
            PACKAGES="$PACKAGES $BROWSER_PACKAGES"; sets=1 ;;
        --with-asan)
            # gcc already has AddressSanitizer; clang is offered for its analyzer.
            PACKAGES="$PACKAGES clang"; sets=1 ;;
        -*)
            echo "handout: tools/deps.sh: unknown option \"$arg\"" >&2
            exit 2 ;;
        *)
            PACKAGES="$PACKAGES $arg"; sets=1 ;;
    esac
done
[ "$sets" -eq 1 ] || PACKAGES="$RUN_PACKAGES $CHECK_PACKAGES $BROWSER_PACKAGES"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "handout: dpkg-query not found: tools/deps.sh only knows Debian/Ubuntu." >&2
    echo "install the equivalents of:$PACKAGES" >&2
    exit 1
fi

# each package once (--run --check names the run set twice)
seen=" "
missing=""
for pkg in $PACKAGES; do
    case $seen in *" $pkg "*) continue ;; esac
    seen="$seen$pkg "
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $pkg"
    fi
done
missing=${missing# }

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "handout: installing missing Debian packages: $missing" >&2
    apt-get update -qq || exit $?
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    exit $?
fi

printf 'handout: missing Debian packages: %s\nrun: sudo apt-get install -y %s\n' \
    "$missing" "$missing" >&2
exit 1
