#!/bin/bash
# bench_idmap.sh - time creating a user namespace with the full subordinate
# maps (newuidmap/newgidmap), burrow against doing it by hand, in one run,
# as the unprivileged test user:
#   lib      userns_plan + userns_create + userns_release (tests/tools/idmap_bench)
#   manual   the classic dance in C: fork, unshare(CLONE_NEWUSER), wait on a pipe
#            while newuidmap then newgidmap run, release      (anchor for lib)
#   script   the same dance in a shell script: unshare -U + newuidmap + newgidmap
#   cli      burrow-idmap -- true, end to end (fork + exec + wait)
#   unshare  unshare --map-auto --map-root-user true (util-linux, uses newuidmap;
#            anchor for cli)
#   true     /bin/true: what one fork + exec costs on this machine
#   helper   newuidmap with no arguments (prints usage): the floor of one map write
# The six are interleaved round by round (tests/tools/idmap_bench mix).
# Prints per-operation medians in ms and the ratios.  BENCH_N iterations (200).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bench.sh"
N=${BENCH_N:-200}
B="$TOOLS/idmap_bench"
[ -x "$B" ] && [ -x "$BIN/burrow-idmap" ] || fail "build first: make idmap"

median() { sed -n 's/.*median \([0-9.]*\) ms.*/\1/p'; }
pick() { # VAR LABEL: print the tool's line for LABEL, store its median in VAR
	local line
	line=$(grep "^$2: " <<<"$out")
	printf '  %-8s %s\n' "$2" "${line#*: }"
	printf -v "$1" '%s' "$(median <<<"$line")"
}

# the dance by hand in a shell script (fewer iterations: it is slow)
script_dance() {
	local n=$1 uid gid self i p t0 t1
	uid=$(id -u); gid=$(id -g); self=$(readlink /proc/self/ns/user)
	t0=$(date +%s%N)
	for ((i = 0; i < n; i++)); do
		unshare -U sleep 60 & p=$!
		while [ "$(readlink /proc/$p/ns/user)" = "$self" ]; do :; done
		newuidmap "$p" 0 "$uid" 1 1 400000 65536 || exit 1
		newgidmap "$p" 0 "$gid" 1 1 400000 65536 || exit 1
		kill "$p"; wait "$p" 2>/dev/null
	done
	t1=$(date +%s%N)
	awk -v d=$((t1 - t0)) -v n="$n" 'BEGIN { printf "%.3f\n", d / n / 1e6 }'
}

echo "user namespace with full maps ($TEST_USER, 400000:65536), $N iterations, median ms per operation:"
# one of each per round, interleaved, so that load from elsewhere hits all alike
out=$(as_user "$B" mix "$N" "$BIN/burrow-idmap") || fail "idmap_bench mix failed"
pick lib lib
pick manual manual
pick cli cli
pick ush unshare
pick tru true
pick helper helper
sn=$((N / 4)); [ "$sn" -ge 1 ] || sn=1
script=$(as_user bash -c "$(declare -f script_dance); script_dance $sn") || fail "script dance failed"
printf '  %-8s %d ops, mean %s ms\n' script "$sn" "$script"

echo "ratios (anchor / burrow, >1 means burrow is faster):"
echo "  lib vs manual dance (C):        $manual / $lib = $(bench_ratio "$manual" "$lib")x"
echo "  lib vs script dance:            $script / $lib = $(bench_ratio "$script" "$lib")x"
echo "  burrow-idmap vs unshare --map-auto: $ush / $cli = $(bench_ratio "$ush" "$cli")x"
echo "  goal: full maps in < 5 ms; library path $lib ms, CLI $cli ms (here one fork+exec of /bin/true costs $tru ms, of newuidmap alone $helper ms)"
exit 0
