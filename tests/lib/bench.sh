# shellcheck shell=bash
# bench.sh - the figures every benchmark in tests/bench reduces its samples
# to, computed one way: medians, spreads, ratios, and a process's CPU time and
# memory from /proc.
#
#   . "$TOP/tests/lib/bench.sh"
#   ... | bench_median [EMPTY]        median of the numbers read
#   bench_samples KEY FILE            the values of FILE's "KEY VALUE" lines
#   bench_sample_ms KEY FILE          their median, microseconds shown as ms
#   bench_sample_spread_ms KEY FILE   their 25th-75th percentiles, as ms
#   bench_ratio A B [FORMAT]          A / B (printf FORMAT, "%.2f"), or "n/a"
#   bench_cpu_ticks PID...            user + system clock ticks of the PIDs
#   bench_proc_kb PID FIELD           a /proc/PID/status or smaps_rollup figure
#
# Numbers may come several to a line; anything that is not a number ("fail",
# an empty round) is left out, so a failed round shrinks the sample instead
# of counting as zero.

# bench_numbers: the numbers on stdin, one per line, in ascending order
bench_numbers() {
	tr -s ' \t' '\n\n' | grep -E '^-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$' | sort -g
}

# bench_median [EMPTY]: the median of the numbers on stdin (with an even
# count, the mean of the middle two); EMPTY (default: nothing) when none
bench_median() {
	bench_numbers | awk -v e="${1:-}" '{ v[NR] = $1 }
		END { if (!NR) { if (e != "") print e }
		      else if (NR % 2) print v[(NR + 1) / 2]
		      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_samples KEY FILE: the second field of FILE's lines whose first is KEY
bench_samples() {
	awk -v k="$1" '$1 == k { print $2 }' "$2"
}

# bench_sample_ms KEY FILE: the median of KEY's samples in FILE, which are
# microseconds, in milliseconds with one decimal; "-" when there are none
bench_sample_ms() {
	bench_samples "$1" "$2" | bench_median - | awk '$1 == "-" { print; next } { printf "%.1f\n", $1 / 1000 }'
}

# bench_sample_spread_ms KEY FILE: "Q1-Q3", the 25th and 75th percentiles
# (nearest rank) of KEY's samples in FILE (microseconds) in milliseconds
bench_sample_spread_ms() {
	bench_samples "$1" "$2" | bench_numbers | awk '{ v[NR] = $1 } END { if (!NR) print "-"
		else printf "%.1f-%.1f\n", v[int((NR + 3) / 4)] / 1000, v[int((3 * NR + 3) / 4)] / 1000 }'
}

# bench_ratio A B [FORMAT]: A / B printed with FORMAT (default "%.2f"); "n/a"
# when either is not a number or B is zero
bench_ratio() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN {
		n = "^-?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?$"
		if (a !~ n || b !~ n || b + 0 == 0) print "n/a"; else printf f "\n", a / b }'
}

# bench_cpu_ticks PID...: the user + system time of the PIDs (whole
# processes), in clock ticks; fails, printing 0, when none of them is there.
# The fields are counted after the command name's closing parenthesis, which
# may itself hold spaces.
bench_cpu_ticks() {
	local p s t=0 seen=1
	for p in "$@"; do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		s=${s##*) }
		# shellcheck disable=SC2086
		set -- $s
		t=$((t + ${12} + ${13})); seen=0
	done
	echo "$t"
	return $seen
}

# bench_proc_kb PID FIELD: FIELD (VmRSS, VmHWM, Pss, ...) of /proc/PID/status
# or /proc/PID/smaps_rollup in kB; nothing when the process is gone
bench_proc_kb() {
	awk -v f="$2:" '$1 == f { print $2; exit }' "/proc/$1/status" "/proc/$1/smaps_rollup" 2>/dev/null
}
