#!/usr/bin/perl
# tools/diag-ids.pl: the diagnostic ids written in the C sources, checked against the list in
# docs/errors.md ("Diagnostic ids"). tests/run.sh runs it with --check.
#
# usage: tools/diag-ids.pl [--check | --list] [--docs FILE] [SOURCE.c...]
#   (from the repository root; default sources src/*.c, default docs docs/errors.md)
#   --list   every id found in the sources: "ID<TAB>LEVELS<TAB>FILE:LINE ...", one a line
#   --check  (the default) prints "ok - ..." / "FAIL - ...: reason" lines, ends with
#            "N passed, M failed", exits 1 when M > 0.
#
# What an id is in the sources. A reporting function takes the id as a parameter: diag_error,
# diag_warn and diag_verror (diag.h), cli_usage_fail, cli_usage_vfail and cli_fail (cli.h), all
# with the id second, and every function
# defined in the sources with a parameter written `const char *id` (a module's helper, such as
# data.c's data_error). At each call of one of them, the argument in the id's place is
#   - one or more string literals (a ternary may choose between them): each is an id;
#   - the identifier id, in a function that has that parameter itself: passed on;
#   - a call of a function whose name ends in _id (readfile_error_id): every string literal in
#     that function's body is an id.
# Anything else (a call without an id) is an error. An id's level is error for
# diag_error, diag_verror and the cli functions, warning for diag_warn, and through a helper
# the levels of what the helper passes its id to.
#
# The checks: every id is well formed (lower-case words of a-z and 0-9 joined by '-', at least two,
# the first an area listed in docs/errors.md's table of areas), every id used is documented, every
# id documented is used, none is documented twice, and the level documented is the level used.
use strict;
use warnings;

my $mode = 'check';
my $docs = 'docs/errors.md';
my @files;
while (@ARGV) {
    my $a = shift @ARGV;
    if ($a eq '--check') { $mode = 'check' }
    elsif ($a eq '--list') { $mode = 'list' }
    elsif ($a eq '--functions') { $mode = 'functions' }
    elsif ($a eq '--docs') { $docs = shift @ARGV }
    elsif ($a =~ /^-/) { print STDERR "tools/diag-ids.pl: unknown option $a\n"; exit 2 }
    else { push @files, $a }
}
@files = sort glob('src/*.c') unless @files;

my %BASE = (diag_error => 'error', diag_warn => 'warning', diag_verror => 'error',
            cli_usage_fail => 'error', cli_usage_vfail => 'error', cli_fail => 'error');
my $ID_FORM = qr/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

# ---- the sources: comments blanked (newlines kept), strings kept ----
my (%text, %funcs, %by_name); # file -> text; "file|name" -> { file, name, params, idx, body,
                              # body_at }; name -> its definitions
for my $f (@files) {
    open(my $fh, '<', $f) or die "tools/diag-ids.pl: $f: $!\n";
    local $/;
    my $s = <$fh>;
    close $fh;
    $s =~ s{("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(/\*.*?\*/)|(//[^\n]*)|(^\s*#[^\n]*(?:\\\n[^\n]*)*)}{
        defined $1 ? $1 : do { (my $c = defined $2 ? $2 : defined $3 ? $3 : $4) =~ s/[^\n]/ /g; $c }
    }gmse;
    $text{$f} = $s;
}

# The index just past the bracket that closes the one at $i (( or {), skipping strings.
sub close_of {
    my ($s, $i) = @_;
    my ($open, $close) = substr($s, $i, 1) eq '(' ? ('(', ')') : ('{', '}');
    my $depth = 0;
    for (my $k = $i; $k < length $s; $k++) {
        my $c = substr($s, $k, 1);
        if ($c eq '"' || $c eq "'") {
            $k++;
            while ($k < length $s && substr($s, $k, 1) ne $c) { $k++ if substr($s, $k, 1) eq '\\'; $k++ }
            next;
        }
        $depth++ if $c eq $open;
        if ($c eq $close) { $depth--; return $k + 1 if $depth == 0 }
    }
    return length $s;
}

# The arguments of a call whose '(' is at $i: a list of strings, split at the commas of depth 0.
sub args_of {
    my ($s, $i) = @_;
    my $end = close_of($s, $i);
    my $in = substr($s, $i + 1, $end - $i - 2);
    my (@args, $cur, $depth);
    $cur = '';
    $depth = 0;
    for (my $k = 0; $k < length $in; $k++) {
        my $c = substr($in, $k, 1);
        if ($c eq '"' || $c eq "'") {
            my $j = $k + 1;
            while ($j < length $in && substr($in, $j, 1) ne $c) { $j++ if substr($in, $j, 1) eq '\\'; $j++ }
            $cur .= substr($in, $k, $j - $k + 1);
            $k = $j;
            next;
        }
        $depth++ if $c =~ /[({\[]/;
        $depth-- if $c =~ /[)}\]]/;
        if ($c eq ',' && $depth == 0) { push @args, $cur; $cur = ''; next }
        $cur .= $c;
    }
    push @args, $cur if $cur =~ /\S/ || @args;
    s/^\s+|\s+$//g for @args;
    return @args;
}

# The ids an id argument names: a string literal; a ternary whose branches name ids; a call of a
# helper whose name ends in _id (every literal of its body). An undef in the list: not an id.
sub ids_of {
    my ($a) = @_;
    $a =~ s/^\s+|\s+$//g;
    $a = $1 while $a =~ /^\((.*)\)$/s && close_of($a, 0) == length $a;
    return ($1) if $a =~ /^"((?:\\.|[^"\\])*)"$/;
    if ($a =~ /^(\w+_id)\s*\(/ && close_of($a, length($&) - 1) == length $a) {
        my $h = find_fn($_[1], $1);
        return (undef) unless $h;
        my @hl = $h->{body} =~ /"((?:\\.|[^"\\])*)"/g;
        return @hl ? @hl : (undef);
    }
    # a ternary at depth 0: COND ? A : B (B may itself be a ternary)
    my ($depth, $q) = (0, -1);
    for (my $k = 0; $k < length $a; $k++) {
        my $c = substr($a, $k, 1);
        if ($c eq '"' || $c eq "'") {
            $k++;
            while ($k < length $a && substr($a, $k, 1) ne $c) { $k++ if substr($a, $k, 1) eq '\\'; $k++ }
            next;
        }
        $depth++ if $c =~ /[(\[{]/;
        $depth-- if $c =~ /[)\]}]/;
        next if $depth;
        if ($c eq '?' && $q < 0) { $q = $k; $depth = 0; next }
        if ($c eq ':' && $q >= 0) {
            # the ':' of this '?': count the nested ternaries in the true branch
            my $t = substr($a, $q + 1, $k - $q - 1);
            my $nq = () = $t =~ /\?/g;
            my $nc = () = $t =~ /:/g;
            next if $nq > $nc;
            return (ids_of($t, $_[1]), ids_of(substr($a, $k + 1), $_[1]));
        }
    }
    return (undef);
}

# The definition a call of name in file reaches: the file's own (a static), else the one elsewhere.
sub find_fn {
    my ($file, $name) = @_;
    return $funcs{"$file|$name"} if $funcs{"$file|$name"};
    my @d = @{$by_name{$name} || []};
    return @d == 1 ? $funcs{$d[0]} : undef;
}

sub line_at { my ($s, $i) = @_; return 1 + (substr($s, 0, $i) =~ tr/\n//) }

# ---- function definitions (at brace depth 0: a name, its parameters, then a body) ----
for my $f (@files) {
    my $s = $text{$f};
    my $depth = 0;
    for (my $k = 0; $k < length $s; $k++) {
        my $c = substr($s, $k, 1);
        if ($c eq '"' || $c eq "'") {
            $k++;
            while ($k < length $s && substr($s, $k, 1) ne $c) { $k++ if substr($s, $k, 1) eq '\\'; $k++ }
            next;
        }
        if ($c eq '{' && $depth == 0) {
            my $before = substr($s, 0, $k);
            if ($before =~ /\b([A-Za-z_]\w*)\s*\)?\s*(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))\s*$/s) {
                my ($name, $plist) = ($1, $2);
                my $end = close_of($s, $k);
                if ($name !~ /^(?:if|for|while|switch|return|sizeof)$/) {
                    my @params = args_of($plist, 0);
                    my ($idx) = grep { $params[$_] =~ /^const\s+char\s*\*\s*id$/ } 0 .. $#params;
                    $funcs{"$f|$name"} = { file => $f, name => $name, params => \@params, idx => $idx,
                                           body => substr($s, $k, $end - $k), body_at => $k };
                    push @{$by_name{$name}}, "$f|$name";
                }
                $k = $end - 1;
                next;
            }
        }
        $depth++ if $c eq '{';
        $depth-- if $c eq '}';
    }
}

if ($mode eq 'functions') { # what the reader took for function definitions (to debug it)
    for my $n (sort { $funcs{$a}{file} cmp $funcs{$b}{file} || $funcs{$a}{body_at} <=> $funcs{$b}{body_at} } keys %funcs) {
        printf "%s:%d\t%s%s\n", $funcs{$n}{file}, line_at($text{$funcs{$n}{file}}, $funcs{$n}{body_at}), $funcs{$n}{name},
            defined $funcs{$n}{idx} ? "\tid is parameter $funcs{$n}{idx}" : '';
    }
    exit 0;
}


# ---- the calls ----
my (%uses, %levels_of_fn, @problems, %forward);
# %uses: id -> { levels => {..}, sites => [...] }; %forward: caller fn -> [callee, ...]
my %pending;    # id -> [ [callee, site] ... ] for ids given to helpers (levels resolved later)
for my $key (sort keys %funcs) {
    my $fn = $funcs{$key};
    my $body = $fn->{body};
    my ($file) = $fn->{file} =~ m{([^/]+)$};
    next if $file eq 'diag.c'; # the reporting functions themselves
    while ($body =~ /\b([A-Za-z_]\w*)\s*\(/g) {
        my ($name, $open) = ($1, pos($body) - 1);
        my $target = exists $BASE{$name} ? undef : find_fn($fn->{file}, $name);
        next unless exists $BASE{$name} || ($target && defined $target->{idx});
        my $callee = $target ? "$target->{file}|$name" : $name;
        my $idx = $target ? $target->{idx} : 1;
        my @args = args_of($body, $open);
        my $site = "$fn->{file}:" . line_at($text{$fn->{file}}, $fn->{body_at} + $open);
        my $arg = $args[$idx] // '';
        my @lits = ids_of($arg, $fn->{file});
        if (@lits && !grep { !defined } @lits) {
            for my $id (@lits) { push @{$pending{$id}}, [$callee, $site] }
        } elsif ($arg eq 'id' && defined $fn->{idx}) {
            push @{$forward{$key}}, $callee;
        } else {
            push @problems, "$site: $name: expected an id (a string literal), found \"$arg\"";
        }
        pos($body) = $open + 1;
    }
}

# levels: the base functions', then through helpers until nothing changes
my %lv = map { $_ => { $BASE{$_} => 1 } } keys %BASE;
for (my $changed = 1; $changed;) {
    $changed = 0;
    for my $caller (keys %forward) {
        for my $callee (@{$forward{$caller}}) {
            for my $l (keys %{$lv{$callee} || {}}) {
                $changed = 1 unless $lv{$caller}{$l}++;
            }
        }
    }
}
for my $id (keys %pending) {
    for my $p (@{$pending{$id}}) {
        my ($callee, $site) = @$p;
        my @l = keys %{$lv{$callee} || {}};
        push @problems, "$site: " . ($callee =~ s/.*\|//r) . " passes its id to no diag function" unless @l;
        $uses{$id}{levels}{$_} = 1 for @l;
        push @{$uses{$id}{sites}}, $site;
    }
}

sub levels { join(', ', sort keys %{$_[0]}) }

if ($mode eq 'list') {
    for my $id (sort keys %uses) {
        printf "%s\t%s\t%s\n", $id, levels($uses{$id}{levels}), join(' ', @{$uses{$id}{sites}});
    }
    exit 0;
}

# ---- the documentation: the areas and the ids (tables of the "Diagnostic ids" section) ----
open(my $dh, '<', $docs) or die "tools/diag-ids.pl: $docs: $!\n";
my ($in, %areas, %doc, @dups, $where) = (0);
while (my $l = <$dh>) {
    if ($l =~ /^## /) { $in = $l =~ /^## Diagnostic ids/; next }
    next unless $in;
    if ($l =~ /^\| `([a-z0-9]+)-` \|/) { $areas{$1} = 1; next }
    if ($l =~ /^\| `([^`]*)` \| ([^|]*?) \|/) {
        my ($id, $level) = ($1, $2);
        push @dups, $id if exists $doc{$id};
        $doc{$id} = { level => join(', ', sort split /,\s*/, $level), line => $. };
    }
}
close $dh;

my ($pass, $fail) = (0, 0);
sub ok   { print "ok - $_[0]\n"; $pass++ }
sub fail { print "FAIL - $_[0]: $_[1]\n"; $fail++ }

my @used = sort keys %uses;
my @bad = grep { $_ !~ $ID_FORM || !$areas{(split /-/)[0]} } (@used, sort keys %doc);
my %seen;
@bad = grep { !$seen{$_}++ } @bad;
if (@bad) { fail("diagnostic ids are well formed", "not kebab-case words after an area of $docs: " . join(', ', @bad)) }
else { ok("diagnostic ids are well formed: lower-case words joined by '-', the first an area of $docs (" . scalar(keys %areas) . " areas)") }

if (@problems) { fail("every reporting call names its id", join('; ', @problems)) }
else { ok("every reporting call names its id (a string literal, or its helper's id)") }

my @missing = grep { !exists $doc{$_} } @used;
if (@missing) { fail("every diagnostic id used is documented", "not in $docs: " . join(', ', map { "$_ ($uses{$_}{sites}[0])" } @missing)) }
else { ok("every diagnostic id used is documented in $docs (" . scalar(@used) . " ids)") }

my @unused = grep { !exists $uses{$_} } sort keys %doc;
if (@unused) { fail("every diagnostic id documented is used", "used nowhere in the sources: " . join(', ', @unused)) }
else { ok("every diagnostic id documented is used (" . scalar(keys %doc) . " ids)") }

if (@dups) { fail("each diagnostic id is documented once", "twice: " . join(', ', @dups)) }
else { ok("each diagnostic id is documented once") }

my @lv = grep { exists $doc{$_} && $doc{$_}{level} ne levels($uses{$_}{levels}) } @used;
if (@lv) { fail("each diagnostic id's documented level is the one used", join('; ', map { "$_: documented \"$doc{$_}{level}\", used as \"" . levels($uses{$_}{levels}) . "\"" } @lv)) }
else { ok("each diagnostic id's documented level is the one used") }

print "$pass passed, $fail failed\n";
exit($fail ? 1 : 0);
