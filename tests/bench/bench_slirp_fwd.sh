#!/bin/bash
# bench_slirp_fwd.sh - inbound port forwarding: burrow-slirp -t against
# pasta -t (Debian's build, and the 2025 build if already present), same run,
# same sandbox, same MTU: iperf3 remote peer -> forwarded port -> container,
# host loopback -> container, and TCP request/response latency remote ->
# container.  BENCH_SECONDS (default 4), BENCH_MTU (default 65520)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

SECS=${BENCH_SECONDS:-4}
MTU=${BENCH_MTU:-65520}
command -v iperf3 >/dev/null || skip "iperf3 not installed"
[ -x "$BIN/burrow-slirp" ] || fail "burrow-slirp not built"
PASTA2025=
for p in /tmp/pasta2025/bin/pasta /opt/anchors/pasta-2025_01_09/bin/pasta; do
	[ -x "$p" ] && PASTA2025=$p && break
done

sandbox_net
FWD="-t 15201:5201 -t 17100:7100"

tool_start() {
	slirp_container
	local log="$T_TMP/$1.log" i
	: > "$log"; chown "$TEST_USER" "$log"
	case $1 in
	burrow)
		# shellcheck disable=SC2086
		slirp_start --mtu "$MTU" $FWD
		TOOL_PID=$SLIRP_PID ;;
	pasta*)
		local bin=/usr/bin/pasta
		[ "$1" = pasta2025 ] && bin=$PASTA2025
		# shellcheck disable=SC2086
		as_user "$bin" -f --config-net -m "$MTU" $FWD -u none -T none -U none \
			"$CTR_PID" >"$log" 2>&1 &
		local job=$!
		for ((i = 0; i < 100; i++)); do
			in_ctr ip -4 route show default 2>/dev/null | grep -q default && break
			sleep 0.1
		done
		TOOL_PID=$(pgrep -u "$TEST_USER" -f "pasta.* $CTR_PID" | head -1)
		[ -n "$TOOL_PID" ] || { cat "$log"; fail "$1 did not start"; }
		on_exit "_stop_pid_job $TOOL_PID $job" ;;
	esac
	in_ctr iperf3 -s -p 5201 >/dev/null 2>&1 &
	SRV1=$!
	in_ctr "$TOOLS/echopeer" serve-tcp 7100 &
	SRV2=$!
	retry 100 _ctr_listening tcp 5201 || fail "iperf3 server in the container"
	retry 100 _ctr_listening tcp 7100 || fail "echo server in the container"
	retry 100 _listening "$HOST_NS" tcp 15201 || fail "$1: forward not listening"
}

tool_stop() {
	pkill -P "$SRV1"; pkill -P "$SRV2"	# nsenter forks: the servers are its children
	kill "$SRV1" "$SRV2" "$TOOL_PID" 2>/dev/null
	kill "$CTR_PID" 2>/dev/null
	local i
	for ((i = 0; i < 50; i++)); do kill -0 "$TOOL_PID" 2>/dev/null || break; sleep 0.1; done
}

iperf() { # NS-RUNNER HOST -> Gbit/s (receiver)
	"$1" timeout $((SECS + 20)) iperf3 -c "$2" -p 15201 -t "$SECS" -f g 2>/dev/null |
		awk '/receiver/ { print $(NF-2) }'
}

declare -A R
tools=(burrow pasta2023)
[ -n "$PASTA2025" ] && tools+=(pasta2025)
for round in 1 2; do
	for t in "${tools[@]}"; do
		tool_start "$t"
		R[$t,remote,$round]=$(iperf in_remote "$HOST_IP4")
		R[$t,loop,$round]=$(iperf in_host 127.0.0.1)
		R[$t,rr,$round]=$(in_remote timeout 60 "$TOOLS/echopeer" rr "$HOST_IP4" 17100 5000 |
			sed -n 's/^p50_us=\([0-9.]*\).*/\1/p')
		tool_stop
	done
done

printf '\ninbound forwarding, MTU %s, %s s per test, %s CPUs, two interleaved rounds\n' \
	"$MTU" "$SECS" "$(nproc)"
printf '%-10s %22s %22s %16s\n' tool "remote->ctr Gbit/s" "hostlo->ctr Gbit/s" "rr p50 us"
for t in "${tools[@]}"; do
	printf '%-10s %22s %22s %16s\n' "$t" \
		"${R[$t,remote,1]:-fail} / ${R[$t,remote,2]:-fail}" \
		"${R[$t,loop,1]:-fail} / ${R[$t,loop,2]:-fail}" \
		"${R[$t,rr,1]:-fail} / ${R[$t,rr,2]:-fail}"
done
pass
