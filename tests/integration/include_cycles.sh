#!/bin/bash
# include_cycles: no two modules (.c/.h pairs, any folder) include each other,
# directly or round a longer loop (scripts/include-cycles.sh).  The checker is
# first shown to find cycles in a small tree made here: two files in a
# folder, a loop through lib/ and a path from the top, while a module that
# includes its own header, a header of the same name in another folder and a
# system header make none.
. "$(dirname "$0")/../lib/sandbox.sh"
CHECK="$TOP/scripts/include-cycles.sh"

# mk FILE INCLUDE...: a source file with these include lines
mk() {
	local f="$T_TMP/tree/$1" i; shift
	mkdir -p "$(dirname "$f")"
	: >"$f"
	for i; do echo "#include $i" >>"$f"; done
}
mk prog/a.c '"a.h"' '"b.h"' '<stdio.h>'
mk prog/a.h
mk prog/b.c '"b.h"' '"c.h"'
mk prog/b.h
mk prog/c.c '"c.h"' '"util.h"'
mk prog/c.h
mk lib/util.c '"util.h"' '"prog/b.h"'
mk lib/util.h
mk prog/d.c '"d.h"'
mk prog/d.h '"a.h"'
mk other/a.h '"x.h"'
mk other/x.c '"x.h"'
mk other/x.h '"a.h"'
mk build/prog/e.h '"f.h"'
mk build/prog/f.h '"e.h"'

out=$("$CHECK" "$T_TMP/tree"); rc=$?
echo "$out"
expect_eq "exit status on a tree with cycles" 1 "$rc"
[[ $out == *"include cycle: lib/util -> prog/b -> prog/c -> lib/util"* ]] ||
	fail "the loop through lib/ and a top path is not listed: $out"
[[ $out == *"include cycle: other/a -> other/x -> other/a"* ]] ||
	fail "the cycle between a header and a module in one folder is not listed: $out"
[[ $out == *'prog/c.c:2: #include "util.h"'* ]] || fail "the include line is not shown: $out"
[[ $out == *"2 include cycle(s)"* ]] || fail "expected exactly two cycles: $out"
[[ $out == *prog/a* || $out == *prog/d* || $out == *build* ]] &&
	fail "a module on no cycle, or the build folder, is listed: $out"

rm -f "$T_TMP/tree/lib/util.c" "$T_TMP/tree/other/x.h"
out=$("$CHECK" "$T_TMP/tree"); rc=$?
expect_eq "exit status once the cycles are gone ($out)" 0 "$rc"

out=$("$CHECK" "$TOP"); rc=$?
echo "$out"
expect_eq "include cycles in the source tree" 0 "$rc"
pass
