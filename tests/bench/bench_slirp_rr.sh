#!/bin/bash
# bench_slirp_rr.sh - TCP request/response latency, container -> remote peer:
# burrow-slirp against pasta 2025 and slirp4netns, with a direct veth round
# trip (the sandbox host namespace talking to the remote, no helper) in the
# same run as the floor.  Message sizes 64 B, 1 KiB and 64 KiB; MTU 65520 and
# 1500 (the veth of the floor gets the same MTU); idle, with a bulk
# download (iperf3 -R, remote -> container) on another flow of the same
# helper, and with that download paced (iperf3 -b, BENCH_PACED, 1 Gbit/s):
# on two CPUs an unpaced download takes both, and moves the direct floor's
# own p99 by milliseconds, so only the paced one shows what the helper's
# loop adds (head-of-line blocking behind the other flow).  The rr client is pinned to CPU 0, the echo server to CPU 1
# (taskset); the helpers float.  Rounds are interleaved (every tool once per
# round, in turn) and the table gives the median over the rounds of each
# round's p50 and p99.
#
# "relay" is the floor of any user-space forwarder that copies: the client in
# a namespace of its own, joined to the host namespace by a veth of the same
# MTU, talks to a plain TCP relay there (echopeer relay ... spin: recv/send,
# never sleeps) that talks to the remote: two more copies and two more socket
# hops each way, no tap, no wake-ups.  Idle mode only (its client has no route
# for the bulk flow); p50/rly is burrow-slirp's p50 over the relay's.
#
# With BENCH_STRACE=1 it then counts, per round trip, each helper's system
# calls and epoll wake-ups (strace -c -f over BENCH_STRACE_N round trips of
# 64 bytes, idle) and the frames on the container's interface: figures that
# do not depend on the machine's load.
#   BENCH_ROUNDS (3), BENCH_N (2000 round trips per measurement),
#   BENCH_MTUS ("65520 1500"), BENCH_SIZES ("64 1024 65536"),
#   BENCH_MODES ("idle bulk paced"), BENCH_PACED (1G),
#   BENCH_TOOLS ("direct relay burrow pasta2025 slirp4netns"; "burrow-old" too with
#   BENCH_OLD_BIN=a folder holding another burrow-slirp), PASTA2025 (path)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/bench.sh"

ROUNDS=${BENCH_ROUNDS:-3}
N=${BENCH_N:-2000}
MTUS=${BENCH_MTUS:-65520 1500}
SIZES=${BENCH_SIZES:-64 1024 65536}
MODES=${BENCH_MODES:-idle bulk paced}
PACED=${BENCH_PACED:-1G}
need_cmd iperf3 iperf3
need_cmd taskset util-linux
need_bin burrow-slirp
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs to pin client and server apart"

PASTA2025=$(pasta2025 2>/dev/null)
tools=(${BENCH_TOOLS:-direct relay burrow pasta2025 slirp4netns})
keep=()
for t in "${tools[@]}"; do
	case $t in
	pasta2025) [ -n "$PASTA2025" ] && [ -x "$PASTA2025" ] ||
		{ echo "warning: no pasta 2025 (set PASTA2025): its column is left out"; continue; } ;;
	burrow-old) [ -x "${BENCH_OLD_BIN:-}/burrow-slirp" ] ||
		{ echo "warning: no BENCH_OLD_BIN/burrow-slirp: burrow-old left out"; continue; } ;;
	slirp4netns) command -v slirp4netns >/dev/null ||
		{ echo "warning: no slirp4netns: its column is left out"; continue; } ;;
	esac
	keep+=("$t")
done
tools=("${keep[@]}")

sandbox_net
nsenter --net="/run/netns/$REMOTE_NS" -- taskset -c 1 "$TOOLS/echopeer" serve-tcp 7100 &
on_exit "kill $!"
nsenter --net="/run/netns/$REMOTE_NS" -- iperf3 -s -p 5201 >/dev/null 2>&1 &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 7100 || fail "echo server did not start"
retry 100 _listening "$REMOTE_NS" tcp 5201 || fail "iperf3 server did not start"

RELAY_NS="${T_ID}c" RELAY_IP4=198.18.0.1 RELAY_CLIENT4=198.18.0.2	# RFC 2544's benchmark range

# run CMD... where the tool's client runs: the container, the relay's client
# namespace, or the host namespace
in_client() {
	case $TOOL in
	direct) in_host "$@" ;;
	relay) nsenter --net="/run/netns/$RELAY_NS" -- "$@" ;;
	*) in_ctr "$@" ;;
	esac
}

# tool_start NAME MTU: a fresh container with NAME attached (nothing for direct)
tool_start() {
	TOOL=$1 TOOL_PID=
	local mtu=$2 log="$T_TMP/$1.log" job i
	if [ "$TOOL" = direct ]; then
		ip -n "$HOST_NS" link set eth0 mtu "$mtu"
		ip -n "$REMOTE_NS" link set eth0 mtu "$mtu"
		return 0
	fi
	ip -n "$HOST_NS" link set eth0 mtu 65520	# the helpers' host side: never the bottleneck
	ip -n "$REMOTE_NS" link set eth0 mtu 65520
	if [ "$TOOL" = relay ]; then
		ip netns add "$RELAY_NS" || fail "ip netns add $RELAY_NS"
		on_exit "kill_netns_procs $RELAY_NS; ip netns delete $RELAY_NS"
		ip -n "$HOST_NS" link add rl0 mtu "$mtu" type veth peer name eth0 mtu "$mtu" netns "$RELAY_NS" ||
			fail "veth to $RELAY_NS"
		ip -n "$HOST_NS" addr add "$RELAY_IP4/30" dev rl0
		ip -n "$RELAY_NS" addr add "$RELAY_CLIENT4/30" dev eth0
		ip -n "$HOST_NS" link set rl0 up
		ip -n "$RELAY_NS" link set eth0 up
		ip -n "$RELAY_NS" link set lo up
		in_host "$TOOLS/echopeer" relay 7300 "$REMOTE_FAR4" 7100 spin &
		job=$!
		retry 100 _listening "$HOST_NS" tcp 7300 || fail "relay did not start"
		TOOL_PID=$(ip netns pids "$HOST_NS" | while read -r p; do
			[ "$(readlink "/proc/$p/exe")" = "$TOOLS/echopeer" ] && echo "$p"; done | head -1)
		[ -n "$TOOL_PID" ] || fail "relay process not found"
		on_exit "kill $job"
		return 0
	fi
	slirp_container
	: > "$log"; chown "$TEST_USER" "$log"
	case $TOOL in
	burrow|burrow-old)
		# burrow-old: another build of burrow-slirp (BENCH_OLD_BIN, a folder)
		# in the same run, for before/after comparisons
		local BIN=$BIN
		[ "$TOOL" = burrow-old ] && BIN=$BENCH_OLD_BIN
		slirp_start --mtu "$mtu"
		TOOL_PID=$SLIRP_PID
		return 0 ;;
	slirp4netns)
		as_user slirp4netns -c --mtu "$mtu" "$CTR_PID" tap0 >"$log" 2>&1 & ;;
	pasta2025)
		as_user "$PASTA2025" -f --config-net -m "$mtu" -t none -u none -T none -U none \
			"$CTR_PID" >"$log" 2>&1 & ;;
	esac
	job=$!
	for ((i = 0; i < 100; i++)); do
		in_ctr ip -4 route show default 2>/dev/null | grep -q default && break
		sleep 0.1
	done
	local pat=slirp4netns
	[ "$TOOL" = pasta2025 ] && pat=pasta
	TOOL_PID=$(pgrep -u "$TEST_USER" -f "$pat.* $CTR_PID" | head -1)
	[ -n "$TOOL_PID" ] || { cat "$log"; fail "$TOOL did not start"; }
	on_exit "_stop_pid_job $TOOL_PID $job"
	sleep 0.3
}

tool_stop() {
	[ "$TOOL" = direct ] && return 0
	if [ "$TOOL" = relay ]; then
		kill "$TOOL_PID" 2>/dev/null
		kill_netns_procs "$RELAY_NS"
		ip netns delete "$RELAY_NS"
		ip -n "$HOST_NS" link delete rl0 2>/dev/null
		return 0
	fi
	kill "$TOOL_PID" 2>/dev/null
	kill "$CTR_PID" 2>/dev/null
	local i
	for ((i = 0; i < 50; i++)); do kill -0 "$TOOL_PID" 2>/dev/null || break; sleep 0.1; done
}

# rr SIZE COUNT -> "p50 p99" in microseconds (empty on failure)
rr() {
	local to=("$REMOTE_FAR4" 7100)
	[ "$TOOL" = relay ] && to=("$RELAY_IP4" 7300)
	in_client timeout 120 taskset -c 0 "$TOOLS/echopeer" rr "${to[@]}" "$2" "$1" |
		sed -n 's/^p50_us=\([0-9.]*\) p99_us=\([0-9.]*\).*/\1 \2/p'
}

bulk_start() { # a download on another flow until bulk_stop (RATE: iperf3 -b, "" unlimited)
	in_client iperf3 -c "$REMOTE_FAR4" -p 5201 -R -t 600 ${1:+-b "$1"} >/dev/null 2>&1 &
	BULK_JOB=$!
	sleep 1
}
bulk_stop() {
	pkill -P "$BULK_JOB" 2>/dev/null
	kill "$BULK_JOB" 2>/dev/null
	wait "$BULK_JOB" 2>/dev/null
	local i	# the server takes one client at a time: wait until it is free
	for ((i = 0; i < 50; i++)); do
		in_remote ss -Htn state established "sport = :5201" | grep -q . || break
		sleep 0.1
	done
}

# cpu_ns: nanoseconds the tool's process has run (schedstat), 0 for direct
cpu_ns() {
	if [ -n "$TOOL_PID" ]; then cut -d' ' -f1 "/proc/$TOOL_PID/schedstat"; else echo 0; fi
}

# rx_bytes: bytes received on the client's interfaces but loopback (for the
# bulk flow's throughput while the round trips run)
rx_bytes() { in_client cat /proc/net/dev | awk -F'[: ]+' 'NR > 2 && $2 != "lo" { s += $3 } END { printf "%.0f", s }'; }

declare -A P50 P99 CPU BULK	# "mtu,mode,size,tool" -> list of values over the rounds
for mtu in $MTUS; do
	for ((round = 1; round <= ROUNDS; round++)); do
		for t in "${tools[@]}"; do
			tool_start "$t" "$mtu"
			for mode in $MODES; do
				[ "$t" = relay ] && [ "$mode" != idle ] && continue
				case $mode in bulk) bulk_start ;; paced) bulk_start "$PACED" ;; esac
				for size in $SIZES; do
					n=$N
					[ "$size" -ge 65536 ] && n=$((N / 4))
					c0=$(cpu_ns) r0=$(rx_bytes) t0=$(date +%s%N)
					read -r a b < <(rr "$size" "$n")
					c1=$(cpu_ns) r1=$(rx_bytes) t1=$(date +%s%N)
					k="$mtu,$mode,$size,$t"
					[ "$mode" = idle ] || BULK[$k]="${BULK[$k]:-} $(awk -v b=$((r1 - r0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.2f", b * 8 / t }')"
					CPU[$k]="${CPU[$k]:-} $(awk -v d=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.1f", d / n / 1000 }')"
					P50[$k]="${P50[$k]:-} ${a:-fail}"
					P99[$k]="${P99[$k]:-} ${b:-fail}"
				done
				[ "$mode" = idle ] || bulk_stop
			done
			tool_stop
		done
	done
done

best_anchor() { # KEY-prefix VAR: lowest median over the anchors
	local pre=$1 var=$2 t v b=
	for t in "${tools[@]}"; do
		case $t in direct|relay|burrow*) continue ;; esac
		eval "v=\$(echo \"\${$var[$pre,$t]:-}\" | bench_median)"
		[ -n "$v" ] || continue
		if [ -z "$b" ] || awk -v v="$v" -v b="$b" 'BEGIN { exit !(v < b) }'; then b=$v; fi
	done
	echo "$b"
}

printf '\nrr latency, container -> remote, us (median of %s rounds of %s round trips; 64 KiB: %s)\n' \
	"$ROUNDS" "$N" $((N / 4))
printf 'load average at the end: %s (%s CPUs)\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
printf '%-6s %-5s %6s' mtu mode size
for t in "${tools[@]}"; do printf ' %19s' "$t p50/p99"; done
printf ' %9s %9s %9s %9s %9s %9s\n' "p50/dir" "p50/rly" "p50/best" "p99/best" "bulk+p99" "p99-dir"
for mtu in $MTUS; do
	for mode in $MODES; do
		for size in $SIZES; do
			printf '%-6s %-5s %6s' "$mtu" "$mode" "$size"
			for t in "${tools[@]}"; do
				k="$mtu,$mode,$size,$t"
				printf ' %19s' "$(echo "${P50[$k]:-}" | bench_median)/$(echo "${P99[$k]:-}" | bench_median)"
			done
			k="$mtu,$mode,$size"
			b50=$(echo "${P50[$k,burrow]:-}" | bench_median)
			b99=$(echo "${P99[$k,burrow]:-}" | bench_median)
			i99=$(echo "${P99[$mtu,idle,$size,burrow]:-}" | bench_median)
			d50=$(echo "${P50[$k,direct]:-}" | bench_median)
			r50=$(echo "${P50[$k,relay]:-}" | bench_median)
			d99=$(echo "${P99[$k,direct]:-}" | bench_median)
			add=$(awk -v a="$b99" -v b="$i99" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%+.0f", a - b }')
			over=$(awk -v a="$b99" -v b="$d99" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%+.0f", a - b }')
			printf ' %9s %9s %9s %9s %9s %9s\n' "$(bench_ratio "$b50" "$d50")" "$(bench_ratio "$b50" "$r50")" \
				"$(bench_ratio "$b50" "$(best_anchor "$k" P50)")" \
				"$(bench_ratio "$b99" "$(best_anchor "$k" P99)")" "$add" "$over"
		done
	done
done
echo "relay: a spinning recv/send TCP relay in the host namespace, no tap (the floor of a copying forwarder)"
echo "goals: p50/dir <= 1.10, p50/best <= 1.00, p99/best <= 1.00, bulk+p99 (burrow's p99 beside the bulk or paced flow minus idle) <= +50 us"
echo "p99-dir: burrow's p99 minus the direct round trip's p99 in the same mode (with a bulk flow: what the"
echo "helper adds beyond what the bulk flow costs the machine itself)"
printf '\nthe bulk flow meanwhile, Gbit/s into the client (the p99 above depends on how hard it loads the machine)\n'
printf '%-6s %-5s %6s' mtu mode size
for t in "${tools[@]}"; do printf ' %12s' "$t"; done
echo
for mtu in $MTUS; do
	for mode in $MODES; do
		[ "$mode" = idle ] && continue
		for size in $SIZES; do
			printf '%-6s %-5s %6s' "$mtu" "$mode" "$size"
			for t in "${tools[@]}"; do printf ' %12s' "$(echo "${BULK[$mtu,$mode,$size,$t]:-}" | bench_median)"; done
			echo
		done
	done
done
printf '\nhelper CPU per round trip, us (schedstat; median of the rounds; the rest of the time it sleeps)\n'
printf '%-6s %-5s %6s' mtu mode size
for t in "${tools[@]}"; do case $t in direct|relay) ;; *) printf ' %12s' "$t" ;; esac; done
echo
for mtu in $MTUS; do
	for mode in $MODES; do
		for size in $SIZES; do
			printf '%-6s %-5s %6s' "$mtu" "$mode" "$size"
			for t in "${tools[@]}"; do
				case $t in direct|relay) continue ;; esac
				printf ' %12s' "$(echo "${CPU[$mtu,$mode,$size,$t]:-}" | bench_median)"
			done
			echo
		done
	done
done

# load-independent figures: system calls, wake-ups and frames per round trip
if [ "${BENCH_STRACE:-0}" = 1 ]; then
	need_cmd strace strace
	SN=${BENCH_STRACE_N:-2000}
	printf '\nper 64-byte round trip, idle, MTU %s, %s round trips under strace -c -f:\n' \
		"${MTUS%% *}" "$SN"
	# frames both ways on the container's interfaces (pasta names its own)
	frames() { in_ctr cat /proc/net/dev | awk -F'[: ]+' 'NR > 2 && $2 != "lo" { s += $4 + $12 } END { print s }'; }
	printf '%-12s %8s %8s %8s  %s\n' tool syscalls wakeups frames "top calls per round trip"
	for t in "${tools[@]}"; do
		case $t in direct|relay) continue ;; esac
		tool_start "$t" "${MTUS%% *}"
		rr 64 200 >/dev/null		# warm the connection path
		strace -c -f -qq -o "$T_TMP/strace.$t" -p "$TOOL_PID" &
		sj=$!
		sleep 1
		f0=$(frames)
		rr 64 "$SN" >/dev/null
		f1=$(frames)
		kill -INT "$sj"; wait "$sj" 2>/dev/null || true
		awk -v n="$SN" -v fr=$((f1 - f0)) -v t="$t" '
			$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { c[$NF] = $4 }
			$NF == "total" { tot = $4 }
			END {
				w = c["epoll_wait"] + c["epoll_pwait"] + c["poll"] + c["ppoll"] + c["select"]
				s = ""; m = 0
				for (k in c) if (c[k] / n >= 0.05) s = s sprintf("%s %.2f ", k, c[k] / n)
				printf "%-12s %8.2f %8.2f %8.2f  %s\n", t, tot / n, w / n, fr / n, s
			}' "$T_TMP/strace.$t"
		cp "$T_TMP/strace.$t" "/tmp/bench_slirp_rr.strace.$t" 2>/dev/null
		tool_stop
	done
	echo "(syscalls and wake-ups include the whole process: the 100 ms timer too; frames: both directions on the container's interface)"

	# head-of-line blocking, structurally: with a bulk download running, how
	# much the helper does between two waits for events (every reply of
	# another flow waits for the rest of the turn it arrived in)
	printf '\nwith a bulk download, per loop turn (between two waits), %s s under strace:\n' 2
	printf '%-12s %10s %10s %10s\n' tool turns "p99 calls" "max calls"
	for t in "${tools[@]}"; do
		case $t in direct|relay) continue ;; esac
		tool_start "$t" "${MTUS%% *}"
		bulk_start
		timeout 2 strace -f -qq -e trace=epoll_wait,epoll_pwait,poll,read,readv,write,writev,recvmsg,recvfrom,sendmsg,sendto \
			-o "$T_TMP/turns.$t" -p "$TOOL_PID" 2>/dev/null || true
		bulk_stop
		awk '/epoll_wait|epoll_pwait|poll\(/ { if (started) print k; started = 1; k = 0; next }
			/^[0-9]+ +[a-z]/ { k++ }' "$T_TMP/turns.$t" | sort -n |
			awk -v t="$t" '{ v[NR] = $1 } END { p = int(NR * 0.99); if (p < 1) p = 1
				printf "%-12s %10d %10d %10d\n", t, NR, v[p], v[NR] }'
		tool_stop
	done
	echo "(calls: reads and writes of the tap device and the sockets in one turn)"
fi
pass
