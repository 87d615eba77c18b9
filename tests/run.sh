#!/bin/bash
# run.sh - run burrow's cmocka unit tests and integration tests; print every
# result, then the adversarial tier's own line, and end with
# "N passed, N failed, N skipped" (cmocka skips counted as skips).
#   tests/run.sh [PATTERN]   only tests whose file name contains PATTERN
# Exit status: 0 when nothing failed.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
export BUILD
PATTERN=${1:-}
TIMEOUT=${BURROW_TEST_TIMEOUT:-600}
LOGDIR="$TOP/$BUILD/test-logs"
mkdir -p "$LOGDIR"
passed=0 failed=0 skipped=0 failures=()
declare -A result	# integration test -> ok, skipped, FAIL (for the compatibility table)
adv_passed=0 adv_failed=0 adv_skipped=0

matches() { [ -z "$PATTERN" ] || [[ "$1" == *"$PATTERN"* ]]; }

if [ "$(id -u)" = 0 ]; then
	"$TOP/tests/setup.sh" || { echo "tests/setup.sh failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# cmocka_count LOG: "PASSED FAILED SKIPPED" from a cmocka log, counting each
# test's own result line (the one after its "[ RUN ]" line), never the summary
# that lists failed and skipped tests a second time
cmocka_count() {
	# (not anchored: a test's own output without a newline shares the line)
	awk '/\[ RUN      \] / { cur = $NF; next }
	     cur != "" && /\[ +(OK|FAILED|SKIPPED|ERROR) +\] / && $NF == cur {
		if ($0 ~ /\[ +OK +\]/) p++
		else if ($0 ~ /SKIPPED/) s++
		else f++
		cur = ""
	     }
	     END { print p + 0, f + 0, s + 0 }' "$1"
}

# unit tests: count cmocka's own per-test results; a source without its
# binary is a failure (make check builds every one first)
for src in "$TOP"/tests/unit/test_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	matches "$name" || continue
	t="$TOP/$BUILD/tests/unit/$name"
	if [ ! -x "$t" ]; then
		failed=$((failed + 1)); failures+=("$name")
		echo "FAIL unit $name (not built: $t)"
		continue
	fi
	log="$LOGDIR/$name.log"
	(cd "$TOP" && timeout "$TIMEOUT" "$t") >"$log" 2>&1
	rc=$?
	read -r p f s < <(cmocka_count "$log")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		failures+=("$name")
		echo "FAIL unit $name ($p ok, $f failed, $s skipped)"; sed 's/^/    /' "$log" | tail -40
	elif [ "$s" -gt 0 ]; then
		echo "ok   unit $name ($p tests, $s skipped: $(awk '/^\[  SKIPPED \] [a-z_]/ { print $NF }' "$log" | sort -u | xargs))"
	else
		echo "ok   unit $name ($p tests)"
	fi
done

# integration tests: one script per behaviour; 0 pass, 77 skip, else fail
for t in "$TOP"/tests/integration/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	matches "$name" || continue
	log="$LOGDIR/$name.log"
	start=$(date +%s%N)
	# timeout leads its own process group: whatever the test left running
	# in it afterwards is a leak, reported and killed here
	(cd "$TOP" && exec timeout -k 10 "$TIMEOUT" bash "$t") </dev/null >"$log" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	left=$(ps -e -o pid=,pgid=,stat=,args= | awk -v g="$pid" '$2 == g && $3 !~ /^Z/')
	if [ -n "$left" ]; then
		echo "warning: $name left processes running (killed now):"
		echo "$left" | sed 's/^/    /' | head -10
		pkill -KILL -g "$pid" 2>/dev/null
	fi
	ms=$((($(date +%s%N) - start) / 1000000))
	case $rc in
	0)  passed=$((passed + 1)); printf 'ok   %s (%d ms)\n' "$name" "$ms" ;;
	77) skipped=$((skipped + 1)); echo "skip $name: $(grep '^SKIP' "$log" | tail -1)" ;;
	*)  failed=$((failed + 1)); failures+=("$name")
	    echo "FAIL $name (exit $rc)"; sed 's/^/    /' "$log" | tail -60 ;;
	esac
	case $rc in 0) result[$name]=ok ;; 77) result[$name]=skipped ;; *) result[$name]=FAIL ;; esac
	if [[ $name == adv_* ]]; then
		case $rc in
		0)  adv_passed=$((adv_passed + 1)) ;;
		77) adv_skipped=$((adv_skipped + 1)) ;;
		*)  adv_failed=$((adv_failed + 1)) ;;
		esac
	fi
done

# the compatibility table (tests/compat.tsv): engine, version, program, path, result
compat_table() {
	local C t engine vcmd prog path ver printed=0
	C=$("$TOP/scripts/consumers.sh" --path 2>/dev/null)
	while IFS=$'\t' read -r t engine vcmd prog path; do
		[[ -z "$t" || "$t" == \#* || -z "${result[$t]:-}" ]] && continue
		if [ $printed = 0 ]; then
			printf '\ncompatibility:\n%-26s %-12s %-36s %-10s %s\n' engine version program result path
			printed=1
		fi
		ver=$(C=$C TOP=$TOP timeout 10 bash -c "$vcmd" 2>/dev/null | grep -o '[0-9][0-9._]*[0-9]' | head -1)
		printf '%-26s %-12s %-36s %-10s %s\n' "$engine" "${ver:-?}" "$prog" "${result[$t]}" "$path ($t)"
	done < "$TOP/tests/compat.tsv"
	[ $printed = 0 ] || echo
}
compat_table

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
# the adversarial tier (tests/integration/adv_*.sh) on a line of its own;
# its results are counted in the last line too, which stays the last line
echo "adversarial tier: $adv_passed passed, $adv_failed failed, $adv_skipped skipped"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
