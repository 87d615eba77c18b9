#!/bin/bash
# bench_slirp_fwd.sh - inbound port forwarding, same run, same sandbox, same
# MTU: burrow-slirp -t (host loopback clients as frames; and once more with
# --splice), pasta -t (Debian's 2023 build, and the 2025 build of
# ../shared/anchors/build-pasta.sh, built here if missing), and slirp4netns
# under rootlesskit with its builtin port driver (-p, what rootless Podman
# and Docker use by default).  iperf3 remote peer -> forwarded port ->
# container, host loopback -> container, and TCP request/response latency
# remote -> container; two interleaved rounds against load drift; ratios of
# burrow-slirp to the best pasta and to slirp4netns+rootlesskit.  "direct" is
# the ceiling: the same clients to servers in the host namespace itself, no
# forwarder at all.  The forwarders' own CPU time per GB moved (user+system of
# burrow-slirp, pasta (Debian's re-executes itself as passt.avx2), rootlesskit and
# slirp4netns during the remote run) is
# printed too: it does not depend on how fast the sender is.
# BENCH_SECONDS (default 4), BENCH_MTU (default 65520), BENCH_TOOLS (a subset),
# BENCH_HTTP_RUNS (wrk runs per figure, default 3)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
. "$TOP/tests/lib/bench.sh"

SECS=${BENCH_SECONDS:-4}
HTTP_RUNS=${BENCH_HTTP_RUNS:-3}
MTU=${BENCH_MTU:-65520}
need_cmd iperf3 iperf3
[ -x "$BIN/burrow-slirp" ] || fail "burrow-slirp not built"
PASTA2025=$(pasta2025)
WRK=
command -v wrk >/dev/null && WRK=1
RLK=
command -v rootlesskit >/dev/null && command -v slirp4netns >/dev/null && RLK=1

sandbox_net
FWD="-t 15201:5201 -t 17100:7100 -t 18080:8080"

# servers_start RUNNER PORT-OFFSET: iperf3, echo and HTTP servers on 5201, 7100
# and 8080 (plus the offset) through RUNNER (in_host or in_ctr); PIDs in SRV1..3
servers_start() {
	"$1" iperf3 -s -p $((5201 + $2)) >/dev/null 2>&1 &
	SRV1=$!
	"$1" "$TOOLS/echopeer" serve-tcp $((7100 + $2)) &
	SRV2=$!
	"$1" "$TOOLS/echopeer" serve-http $((8080 + $2)) &
	SRV3=$!
}

tool_start() {
	local log="$T_TMP/$1.log" i
	: > "$log"; chown "$TEST_USER" "$log"
	case $1 in
	direct)		# no forwarder: the servers listen in the host namespace
		servers_start in_host 10000
		TOOL_PID=$SRV1
		retry 100 _listening "$HOST_NS" tcp 15201 || fail "direct: iperf3 server"
		retry 100 _listening "$HOST_NS" tcp 17100 || fail "direct: echo server"
		return ;;
	burrow*)
		slirp_container
		local extra=
		[ "$1" = burrow-splice ] && extra=--splice
		# shellcheck disable=SC2086
		slirp_start --mtu "$MTU" $extra $FWD
		TOOL_PID=$SLIRP_PID ;;
	pasta*)
		slirp_container
		local bin=/usr/bin/pasta
		[ "$1" = pasta2025 ] && bin=$PASTA2025
		[ "$1" = pasta-burrow ] && bin=$T_TMP/bin/pasta	# burrow-slirp's pasta face
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
	rlk*)
		# rootlesskit makes the user+net namespace itself, runs slirp4netns
		# for it and forwards with its builtin driver (rlk-s4n: slirp4netns's
		# own forwarding, through its API); the servers run inside, in a PID
		# namespace of their own so that they end with it
		local driver=builtin
		[ "$1" = rlk-s4n ] && driver=slirp4netns
		mkdir -p "$T_TMP/rlk"; chown "$TEST_USER" "$T_TMP/rlk"; rm -rf "$T_TMP/rlk/state"
		as_user rootlesskit --pidns --net=slirp4netns --mtu="$MTU" --port-driver="$driver" \
			--state-dir="$T_TMP/rlk/state" -p 0.0.0.0:15201:5201/tcp -p 0.0.0.0:17100:7100/tcp \
			-p 0.0.0.0:18080:8080/tcp \
			sh -c "iperf3 -s -p 5201 >/dev/null 2>&1 & '$TOOLS/echopeer' serve-http 8080 &
			       exec '$TOOLS/echopeer' serve-tcp 7100" \
			>"$log" 2>&1 &
		local job=$!
		TOOL_PID=
		for ((i = 0; i < 100; i++)); do
			TOOL_PID=$(pgrep -u "$TEST_USER" -x rootlesskit | head -1)
			[ -n "$TOOL_PID" ] && break
			sleep 0.1
		done
		[ -n "$TOOL_PID" ] || { cat "$log"; fail "rootlesskit did not start"; }
		on_exit "_stop_pid_job $TOOL_PID $job"
		retry 100 _listening "$HOST_NS" tcp 15201 || { cat "$log"; fail "rlk: forward not listening"; }
		retry 100 in_host "$TOOLS/echopeer" tcp 127.0.0.1 17100 10 >/dev/null 2>&1 ||
			{ cat "$log"; fail "rlk: echo server not reachable through the forward"; }
		retry 100 _listening "$HOST_NS" tcp 18080 || { cat "$log"; fail "rlk: http forward not listening"; }
		SRV1= SRV2= SRV3=
		return ;;
	esac
	servers_start in_ctr 0
	retry 100 _ctr_listening tcp 5201 || fail "iperf3 server in the container"
	retry 100 _ctr_listening tcp 7100 || fail "echo server in the container"
	retry 100 _ctr_listening tcp 8080 || fail "http server in the container"
	retry 100 _listening "$HOST_NS" tcp 15201 || fail "$1: forward not listening"
}

tool_stop() {
	local i
	if [ -n "$SRV1" ]; then
		pkill -P "$SRV1"; pkill -P "$SRV2"; pkill -P "$SRV3"	# nsenter forks: the servers are its children
		{ kill "$SRV1" "$SRV2" "$SRV3"; wait "$SRV1" "$SRV2" "$SRV3"; } 2>/dev/null	# no job notices
	fi
	kill "$TOOL_PID" 2>/dev/null
	[ -n "${CTR_PID:-}" ] && kill "$CTR_PID" 2>/dev/null
	CTR_PID=
	for ((i = 0; i < 50; i++)); do kill -0 "$TOOL_PID" 2>/dev/null || break; sleep 0.1; done
	# rootlesskit's children (slirp4netns, the servers) end with it
	for ((i = 0; i < 50; i++)); do
		pgrep -u "$TEST_USER" -x slirp4netns >/dev/null || pgrep -u "$TEST_USER" -x iperf3 >/dev/null || break
		sleep 0.1
	done
}

# forwarder_ticks: CPU ticks (user+system) of the test user's forwarder processes
forwarder_ticks() {
	local n
	# one name per pgrep: it matches at most 15 characters of a pattern
	bench_cpu_ticks $(for n in burrow-slirp pasta pasta.avx2 passt passt.avx2 rootlesskit slirp4netns; do
		pgrep -u "$TEST_USER" -x "$n"; done) || true
}

# http CONNECTIONS -> "REQ/S CPU-US": requests/s from the remote peer (wrk,
# keep-alive, 4 kB answers), the median of HTTP_RUNS runs (three processes on
# two CPUs: one run swings by half, with where the scheduler puts them), and
# the forwarders' CPU time per request over all the runs (load-independent)
http() {
	local i c0 c1 out n=0 rates=()
	c0=$(forwarder_ticks)
	for ((i = 0; i < HTTP_RUNS; i++)); do
		out=$(in_remote timeout $((SECS + 20)) wrk -t1 -c"$1" -d"${SECS}s" "http://$HOST_IP4:18080/" 2>/dev/null)
		rates+=("$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<< "$out")")
		n=$((n + $(awk '/ requests in / { print $1; exit }' <<< "$out" | grep -x '[0-9]*' || echo 0)))
	done
	c1=$(forwarder_ticks)
	printf '%s %s\n' "$(printf '%s\n' "${rates[@]}" | bench_median)" \
		"$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n }')"
}

iperf() { # NS-RUNNER HOST -> Gbit/s (receiver)
	"$1" timeout $((SECS + 20)) iperf3 -c "$2" -p 15201 -t "$SECS" -f g 2>/dev/null |
		awk '/receiver/ { print $(NF-2) }'
}

# pasta-burrow: burrow-slirp through its pasta face, called as pasta is
mkdir -p "$T_TMP/bin" && ln -s "$BIN/burrow-slirp" "$T_TMP/bin/pasta" && chmod 0755 "$T_TMP/bin"
declare -A R
tools=(direct burrow burrow-splice pasta-burrow pasta2023)
[ -n "$PASTA2025" ] && tools+=(pasta2025)
[ -n "$RLK" ] && tools+=(rlk rlk-s4n)
[ -n "${BENCH_TOOLS:-}" ] && read -ra tools <<< "$BENCH_TOOLS"	# e.g. "burrow rlk"
for round in 1 2; do
	for t in "${tools[@]}"; do
		tool_start "$t"
		c0=$(forwarder_ticks)
		R[$t,remote,$round]=$(iperf in_remote "$HOST_IP4")
		c1=$(forwarder_ticks)
		# CPU seconds per GB: ticks / CLK_TCK / (Gbit/s * seconds / 8)
		R[$t,cpu,$round]=$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v g="${R[$t,remote,$round]:-0}" \
			-v s="$SECS" 'BEGIN { if (g > 0) printf "%.3f", t / hz / (g * s / 8) }')
		R[$t,loop,$round]=$(iperf in_host 127.0.0.1)
		R[$t,rr,$round]=$(in_remote timeout 60 "$TOOLS/echopeer" rr "$HOST_IP4" 17100 5000 |
			sed -n 's/^p50_us=\([0-9.]*\).*/\1/p')
		if [ -n "$WRK" ]; then
			read -r R[$t,http1,$round] R[$t,http1cpu,$round] < <(http 1)
			read -r R[$t,http32,$round] R[$t,http32cpu,$round] < <(http 32)
		fi
		tool_stop
	done
done

# mean of the rounds that worked
mean() { awk -v a="${R[$1,$2,1]:-}" -v b="${R[$1,$2,2]:-}" 'BEGIN { n = 0; s = 0
	if (a != "") { s += a; n++ } if (b != "") { s += b; n++ }
	if (n) printf "%.4g", s / n }'; }
best_pasta() { # KEY [low]: the better pasta's mean, the higher (with "low": the lower)
	local a b
	a=$(mean pasta2023 "$1"); b=$(mean pasta2025 "$1")
	awk -v a="$a" -v b="$b" -v low="${2:+1}" 'BEGIN {
		if (b != "" && (a == "" || (low ? b < a : b > a))) print b; else print a }'
}

printf '\ninbound forwarding, MTU %s, %s s per test, %s CPUs, two interleaved rounds\n' \
	"$MTU" "$SECS" "$(nproc)"
printf '%-16s %22s %22s %16s %16s\n' tool "remote->ctr Gbit/s" "hostlo->ctr Gbit/s" "rr p50 us" "CPU s/GB"
for t in "${tools[@]}"; do
	printf '%-16s %22s %22s %16s %16s\n' "$t" \
		"${R[$t,remote,1]:-fail} / ${R[$t,remote,2]:-fail}" \
		"${R[$t,loop,1]:-fail} / ${R[$t,loop,2]:-fail}" \
		"${R[$t,rr,1]:-fail} / ${R[$t,rr,2]:-fail}" \
		"${R[$t,cpu,1]:--} / ${R[$t,cpu,2]:--}"
done
if [ -n "$WRK" ]; then
	printf '\nHTTP through the forward, remote peer, wrk keep-alive, 4 kB answers (user-needs #2: nginx+ab)\n'
	printf '(median of %s runs of %s s per round; CPU: the forwarder processes'"'"' time per request)\n' "$HTTP_RUNS" "$SECS"
	printf '%-16s %22s %22s %18s %18s\n' tool "1 connection req/s" "32 connections req/s" "CPU us/req c=1" "CPU us/req c=32"
	for t in "${tools[@]}"; do
		printf '%-16s %22s %22s %18s %18s\n' "$t" "${R[$t,http1,1]:-fail} / ${R[$t,http1,2]:-fail}" \
			"${R[$t,http32,1]:-fail} / ${R[$t,http32,2]:-fail}" \
			"${R[$t,http1cpu,1]:--} / ${R[$t,http1cpu,2]:--}" "${R[$t,http32cpu,1]:--} / ${R[$t,http32cpu,2]:--}"
	done
fi
echo "(direct: no forwarder, the servers in the host namespace: the ceiling of this machine;"
echo " burrow: host loopback clients as frames (the default); burrow-splice: --splice; pasta-burrow:"
echo " burrow-slirp called as pasta with pasta's options; rlk: slirp4netns +"
echo " rootlesskit's builtin port driver, the container sees 127.0.0.1 for every client;"
echo " rlk-s4n: rootlesskit with slirp4netns's own port forwarding)"
echo "ratio remote  burrow/direct          = $(bench_ratio "$(mean burrow remote)" "$(mean direct remote)")  (no forwarder = 1)"
echo "ratio hostlo  burrow/direct          = $(bench_ratio "$(mean burrow loop)" "$(mean direct loop)")  (no forwarder = 1)"
echo "ratio remote  burrow/best pasta      = $(bench_ratio "$(mean burrow remote)" "$(best_pasta remote)")  (goal >= 1.2)"
if [ -n "$WRK" ]; then
	echo "ratio http c=1  burrow/best pasta     = $(bench_ratio "$(mean burrow http1)" "$(best_pasta http1)")"
	echo "ratio http c=32 burrow/best pasta     = $(bench_ratio "$(mean burrow http32)" "$(best_pasta http32)")"
	echo "ratio http c=32 CPU/req best pasta/burrow = $(bench_ratio "$(best_pasta http32cpu low)" "$(mean burrow http32cpu)")  (> 1: burrow-slirp spends less)"
fi
echo "ratio hostlo  burrow/best pasta      = $(bench_ratio "$(mean burrow loop)" "$(best_pasta loop)")  (goal >= 1.2)"
echo "ratio remote  pasta-burrow/best pasta = $(bench_ratio "$(mean pasta-burrow remote)" "$(best_pasta remote)")  (the pasta face; goal >= 1.2)"
echo "ratio hostlo  pasta-burrow/best pasta = $(bench_ratio "$(mean pasta-burrow loop)" "$(best_pasta loop)")  (the pasta face; goal >= 1.2)"
if [ -n "$RLK" ]; then
	echo "ratio remote  burrow/slirp4netns+rlk = $(bench_ratio "$(mean burrow remote)" "$(mean rlk remote)")  (goal >= 2)"
	echo "ratio hostlo  burrow/slirp4netns+rlk = $(bench_ratio "$(mean burrow loop)" "$(mean rlk loop)")  (goal >= 2)"
	echo "ratio remote  burrow/rlk-s4n         = $(bench_ratio "$(mean burrow remote)" "$(mean rlk-s4n remote)")"
	echo "ratio hostlo  burrow/rlk-s4n         = $(bench_ratio "$(mean burrow loop)" "$(mean rlk-s4n loop)")"
	echo "CPU per GB    rlk/burrow             = $(bench_ratio "$(mean rlk cpu)" "$(mean burrow cpu)")  (forwarder CPU time per GB moved)"
	[ -n "$WRK" ] && echo "ratio http c=32 burrow/slirp4netns+rlk = $(bench_ratio "$(mean burrow http32)" "$(mean rlk http32)")"
else
	echo "slirp4netns+rootlesskit not measured: rootlesskit or slirp4netns not installed (scripts/deps.sh)"
fi
pass
