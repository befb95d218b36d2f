#!/usr/bin/env bash
# tests/make.sh -- the build's own rules (issue 11, item 7), read from what make would do (make -n:
# nothing is compiled): objects depend on the Makefile and the flags, -Werror only where the
# maintainer asks for it, and the package sets of tools/deps.sh. Expected values from the README
# ("Other make targets") and docs.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2
need_tools make

# the sources the Makefile compiles: every src/*.c
nsrc=$(ls src/*.c | wc -l)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# 1. a new VERSION (or OPT, EXTRA_CFLAGS...) rebuilds every object: the flags are a dependency
n=$(make -n --no-print-directory BUILD=build VERSION=9.9.9-make-test handout 2>&1 | grep -c -- ' -c src/[a-z_0-9]*\.c')
if [ "$n" -eq "$nsrc" ]; then ok "make: a new VERSION recompiles all $nsrc sources"
else fail "make: a new VERSION" "make -n would compile $n of $nsrc sources"; fi
n=$(make -n --no-print-directory BUILD=build EXTRA_CFLAGS=-DMAKE_TEST_FLAG handout 2>&1 | grep -c -- '-DMAKE_TEST_FLAG.* -c src/')
if [ "$n" -eq "$nsrc" ]; then ok "make: new EXTRA_CFLAGS recompile all $nsrc sources"
else fail "make: new EXTRA_CFLAGS" "make -n would compile $n of $nsrc sources with them"; fi

# 2. a change to the Makefile rebuilds every object (make -W: as if it were newer)
n=$(make -n --no-print-directory -W Makefile BUILD=build handout 2>&1 | grep -c -- ' -c src/[a-z_0-9]*\.c')
if [ "$n" -eq "$nsrc" ]; then ok "make: a changed Makefile recompiles all $nsrc sources"
else fail "make: a changed Makefile" "make -n -W Makefile would compile $n of $nsrc sources"; fi

# 3. -Werror: not in the build a user runs (make, make run, make install), in make check and WERROR=1
user=$(make -n -B --no-print-directory BUILD="$T/b" handout 2>&1 | grep -- ' -c src/' | grep -c -- '-Werror')
maint=$(make -n -B --no-print-directory BUILD="$T/b" WERROR=1 handout 2>&1 | grep -- ' -c src/' | grep -c -- '-Werror')
if [ "$user" -eq 0 ] && [ "$maint" -eq "$nsrc" ]; then ok "make: -Werror in WERROR=1 builds ($maint compiles), not in the user's build"
else fail "make: -Werror" "user build: $user compiles with -Werror; WERROR=1: $maint of $nsrc"; fi
if make -n --no-print-directory check 2>/dev/null | grep -q 'WERROR=1'; then ok "make: make check builds with WERROR=1"
else fail "make: make check" "make -n check shows no WERROR=1 build"; fi
inst=$(make -n -B --no-print-directory BUILD="$T/b" install PREFIX="$T/p" 2>&1 | grep -c -- '-Werror')
if [ "$inst" -eq 0 ]; then ok "make: make install builds without -Werror"
else fail "make: make install" "$inst lines with -Werror"; fi

# 4. make run installs what building and running needs, and no test or browser tool
run_deps=$(make -n --no-print-directory run 2>/dev/null | grep 'tools/deps.sh' | head -n 1)
case $run_deps in
    *"deps.sh --run"*) ok "make: make run asks tools/deps.sh for the run set only" ;;
    *) fail "make: make run's packages" "it runs: $run_deps" ;;
esac
# the packages of the run set, as tools/deps.sh lists them (RUN_PACKAGES="...", over several lines)
runset=$(sed -n '/^RUN_PACKAGES="/,/"$/p' tools/deps.sh | sed 's/^RUN_PACKAGES="//; s/["\\]//g' | tr ' ' '\n' | grep -v '^$')
bad=""
for p in chromium nodejs wrk poppler-utils zbar-tools qpdf; do
    echo "$runset" | grep -qx "$p" && bad="$bad $p"
done
if [ -n "$runset" ] && [ -z "$bad" ] && echo "$runset" | grep -qx libhpdf-dev; then
    ok "make: the run set has the libraries ($(echo "$runset" | wc -l) packages) and no test or browser tool"
else fail "make: the run set" "holds:$bad (of $(echo "$runset" | tr '\n' ' '))"; fi

summary
