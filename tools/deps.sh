#!/bin/sh
# tools/deps.sh -- make sure the Debian packages handout needs are installed.
#
# usage: tools/deps.sh [--with-asan] [EXTRA-PACKAGE]...
#   Checks the build, font and test-tool packages, plus any extra package names
#   given as arguments (--with-asan is short for the extra package "clang").
#   Nothing missing: prints nothing, exits 0.
#   Missing packages and running as root: apt-get update + install, exits with
#   apt-get's status.  Missing packages and not root: prints the command to run
#   on stderr and exits 1.  Not a Debian-like system (no dpkg-query): exits 1.

# chromium, curl, wrk and nodejs are for the web page's tests (tests/browser.sh, the HTTP tests).
# nodejs: the machines have NodeSource's package of that name (node 20, npm inside it), which
# playwright-core needs; Debian's own nodejs (18 in bookworm) is too old for it, and Debian's npm
# package conflicts with NodeSource's nodejs, so npm is not listed.
PACKAGES="build-essential pkg-config libhpdf-dev libqrencode-dev libiniparser-dev \
libcmark-dev libfontconfig-dev libpng-dev libcsv-dev libhyphen-dev libmicrohttpd-dev hyphen-en-us hyphen-es fonts-liberation2 fonts-nanum poppler-utils zbar-tools qpdf \
chromium curl wrk nodejs"

for arg in "$@"; do
    case $arg in
        -h|--help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        --with-asan)
            # gcc already has AddressSanitizer; clang is offered for its analyzer.
            PACKAGES="$PACKAGES clang" ;;
        -*)
            echo "handout: tools/deps.sh: unknown option \"$arg\"" >&2
            exit 2 ;;
        *)
            PACKAGES="$PACKAGES $arg" ;;
    esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "handout: dpkg-query not found: tools/deps.sh only knows Debian/Ubuntu." >&2
    echo "install the equivalents of: $PACKAGES" >&2
    exit 1
fi

missing=""
for pkg in $PACKAGES; do
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
