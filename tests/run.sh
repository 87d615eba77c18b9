#!/bin/bash
# run.sh - run burrow's cmocka unit tests and integration tests; print every
# result and end with "N passed, N failed" (plus skipped).
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

matches() { [ -z "$PATTERN" ] || [[ "$1" == *"$PATTERN"* ]]; }

if [ "$(id -u)" = 0 ]; then
	"$TOP/tests/setup.sh" || { echo "tests/setup.sh failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# unit tests: count cmocka's own per-test results
for t in "$TOP/$BUILD"/tests/unit/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	matches "$name" || continue
	log="$LOGDIR/$name.log"
	(cd "$TOP" && timeout "$TIMEOUT" "$t") >"$log" 2>&1
	rc=$?
	p=$(grep -c '^\[       OK \]' "$log")
	f=$(grep -c '^\[  FAILED  \] [a-z_]' "$log"); f=${f:-0}
	e=$(grep -c '^\[  ERROR   \]' "$log")
	f=$((f + e))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		failures+=("$name")
		echo "FAIL unit $name ($p ok, $f failed)"; sed 's/^/    /' "$log" | tail -40
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
done

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
