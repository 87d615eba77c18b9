#!/bin/bash
# bench_conmon.sh - burrow-mon against Debian's conmon, side by side in one run:
#  1. resident memory (VmRSS, and Pss) of the supervisor of one sleeping container;
#  2. log throughput: a container writes MIB MiB (default 256) of 128-byte
#     lines to stdout (cat of a 1 MiB block, so the writer is not the
#     bottleneck); time from "runtime start" to the exit file, and every line
#     counted in the k8s-file log.
#     LOGDIR=/dev/shm puts the logs on tmpfs, taking the disk out of the
#     comparison; the supervisor's own CPU time is sampled from /proc.
# Prints both figures and the ratios.  Root, crun (or runc).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
. "$TOP/tests/lib/bench.sh"
need_cmd conmon conmon
mon_init
MIB=${MIB:-256}
LOGDIR=${LOGDIR:-}
TICK=$(getconf CLK_TCK)
LINE=$(printf '%0127d' 0)	# 127 characters + newline
LINES=$((MIB * 8192))
# the 1 MiB block in the rootfs: 8192 lines of 128 bytes
yes "$LINE" | head -n 8192 > "$T_TMP/rootfs/block"

declare -A RSS PSS SECS INTACT SPLIT CPU HWM
for mon in burrow-mon conmon; do
	if [ "$mon" = conmon ]; then MON_BIN=$(command -v conmon); else MON_BIN="$BIN/burrow-mon"; fi
	export MON_BIN
	# 1. memory: one sleeping container
	dir="$T_TMP/mem-$mon"; id="bench-mem-$mon-$$"
	mon_bundle "$dir" false sleep 1000
	mon_start "$id" "$dir" -l "k8s-file:$dir/ctr.log" 2>/dev/null
	rt start "$id" || fail "start $id"
	sleep 0.5
	RSS[$mon]=$(bench_proc_kb "$MON_PID" VmRSS)
	PSS[$mon]=$(bench_proc_kb "$MON_PID" Pss)
	rt kill "$id" KILL
	mon_wait_exit "$id" "$dir" >/dev/null

	# 2. throughput
	dir="$T_TMP/tp-$mon"; id="bench-tp-$mon-$$"
	mon_bundle "$dir" false sh -c "i=0; while [ \$i -lt $MIB ]; do cat /block; i=\$((i + 1)); done"
	log="${LOGDIR:-$dir}/bench-ctr-$$-$mon.log"
	on_exit "rm -f $log"
	mon_start "$id" "$dir" -l "k8s-file:$log" 2>/dev/null
	# the supervisor's CPU time (utime + stime), last sample before it exits
	# and its peak resident memory (VmHWM) while logging
	( last=0 hwm=0; while t=$(bench_cpu_ticks "$MON_PID"); do
		last=$t
		h=$(bench_proc_kb "$MON_PID" VmHWM); [ -n "$h" ] && hwm=$h
		sleep 0.05; done
	  echo "$last $hwm" > "$dir/cpu" ) &
	sampler=$!
	t0=$(date +%s%N)
	rt start "$id" || fail "start $id"
	retry 3000 test -s "$dir/exits/$id" || fail "$mon: no exit after 300 s"
	t1=$(date +%s%N)
	wait "$sampler"
	read -r ticks hwm < "$dir/cpu"
	CPU[$mon]=$(awk -v t="$ticks" -v hz="$TICK" 'BEGIN {printf "%.2f", t / hz}')
	HWM[$mon]=$hwm
	SECS[$mon]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
	# every line ends in exactly one F record; pieces before it are P records
	got=$(grep -c " stdout F " "$log")
	[ "$got" = "$LINES" ] || fail "$mon logged $got of $LINES lines"
	INTACT[$mon]=$(grep -c " stdout F $LINE\$" "$log")
	SPLIT[$mon]=$(grep -c " stdout P " "$log")
	rm -f "$log"
done

echo "supervisor memory, one sleeping container (kB):"
printf '  %-10s VmRSS %6s  Pss %6s\n' burrow-mon "${RSS[burrow-mon]}" "${PSS[burrow-mon]}"
printf '  %-10s VmRSS %6s  Pss %6s\n' conmon "${RSS[conmon]}" "${PSS[conmon]}"
echo "  RSS ratio burrow-mon/conmon: $(bench_ratio "${RSS[burrow-mon]}" "${RSS[conmon]}")"
echo "  peak RSS while logging (VmHWM, kB): burrow-mon ${HWM[burrow-mon]}, conmon ${HWM[conmon]}"
echo "log throughput, $MIB MiB in $LINES lines of 128 bytes to ${LOGDIR:-disk ($T_TMP)}, all lines counted:"
for mon in burrow-mon conmon; do
	printf '  %-10s %8s s  %8s MiB/s  supervisor CPU %6s s  lines %s, whole %s, split %s\n' "$mon" "${SECS[$mon]}" \
		"$(awk -v m="$MIB" -v s="${SECS[$mon]}" 'BEGIN {printf "%.1f", m / s}')" "${CPU[$mon]}" "$LINES" "${INTACT[$mon]}" "$((LINES - INTACT[$mon]))"
done
echo "  throughput ratio burrow-mon/conmon: $(bench_ratio "${SECS[conmon]}" "${SECS[burrow-mon]}")"
echo "  CPU ratio conmon/burrow-mon: $(bench_ratio "${CPU[conmon]}" "${CPU[burrow-mon]}")"
