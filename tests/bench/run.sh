#!/bin/bash
# run.sh - run the benchmarks in tests/bench (each compares burrow with its
# anchor in the same run and prints ratios).  tests/bench/run.sh [PATTERN]
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD=${BUILD:-build}
rc=0
for b in "$TOP"/tests/bench/bench_*.sh; do
	[ -f "$b" ] || continue
	[ -z "${1:-}" ] || [[ "$(basename "$b")" == *"$1"* ]] || continue
	echo "=== $(basename "$b" .sh)"
	bash "$b" || { echo "benchmark $(basename "$b") failed"; rc=1; }
done
exit $rc
