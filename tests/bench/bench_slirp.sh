#!/bin/bash
# bench_slirp.sh - burrow-slirp (through its slirp4netns face and its pasta
# face) against slirp4netns and pasta (Debian's 2023
# build and the 2025 build from ../shared/anchors/build-pasta.sh), in one
# run, same sandbox, same MTU: iperf3 TCP container -> remote peer and
# container -> host loopback, TCP request/response latency, new connections
# per second, idle RSS.  Prints a table and burrow's ratios to the best anchor.
# Connections per second are measured apart, in BENCH_CONN_ROUNDS rounds with
# the tools' order rotated each round, each tool on a fresh container and an
# echo port of its own, with the helper's CPU time per connection (user +
# system, /proc/PID/stat): the rate is the median of the rounds.
#   BENCH_SECONDS (default 4), BENCH_CONN_SECONDS (1), BENCH_CONN_ROUNDS (3),
#   BENCH_MTU (default 65520), PASTA2025 (path)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/bench.sh"

SECS=${BENCH_SECONDS:-4}
# connections for 1 s: each leaves a TIME-WAIT socket in the container and
# in the helper's namespace, and connect() slows as they pile up (from
# ~7000/s to ~3100/s over 4 s with burrow-slirp), the kernel's cost and not
# the helper's, which flattens the comparison
CSECS=${BENCH_CONN_SECONDS:-1}
CROUNDS=${BENCH_CONN_ROUNDS:-3}
MTU=${BENCH_MTU:-65520}
need_cmd iperf3 iperf3
need_bin burrow-slirp

PASTA2025=$(pasta2025 2>/dev/null)
[ -n "$PASTA2025" ] && [ -x "$PASTA2025" ] ||
	echo "warning: no pasta 2025 ($TOP/../shared/anchors/build-pasta.sh missing or failed; set PASTA2025): its column is left out"

# conns_room NS-RUNNER...: the whole ephemeral range and TIME-WAIT reuse
# (tcp_tw_reuse=1, after a second) where the connections start: with the
# defaults, connect() takes only the even ports of 32768-60999, so 14,116
# connections in the 4 s of the test left every port in TIME-WAIT and
# every tool measured the same ~3530/s: the port range's rate, not theirs
conns_room() {
	"$@" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
}

sandbox_net
conns_room in_host	# the helpers' sockets
# nsenter execs iperf3, so $! is the server itself
nsenter --net="/run/netns/$REMOTE_NS" -- iperf3 -s -p 5201 >/dev/null 2>&1 &
on_exit "kill $!"
nsenter --net="/run/netns/$HOST_NS" -- iperf3 -s -p 5202 -B 127.0.0.1 >/dev/null 2>&1 &
on_exit "kill $!"
serve_echo remote tcp 7100
serve_echo host tcp 7101 127.0.0.1
retry 100 _listening "$REMOTE_NS" tcp 5201 || fail "iperf3 server (remote)"
retry 100 _listening "$HOST_NS" tcp 5202 || fail "iperf3 server (host)"

# tool_start NAME: a fresh container and NAME attached to it; sets GW (the
# address that reaches the host's loopback) and TOOL_PID
tool_start() {
	slirp_container
	conns_room in_ctr	# the container's
	local log="$T_TMP/$1.log" i
	: > "$log"; chown "$TEST_USER" "$log"
	case $1 in
	burrow)
		slirp_start --mtu "$MTU"
		TOOL_PID=$SLIRP_PID GW=10.0.2.2 ;;
	slirp4netns)
		as_user slirp4netns -c --mtu "$MTU" "$CTR_PID" tap0 >"$log" 2>&1 &
		GW=10.0.2.2 ;;
	pasta*|burrow-pasta)
		local bin=/usr/bin/pasta
		[ "$1" = pasta2025 ] && bin=$PASTA2025
		[ "$1" = burrow-pasta ] && bin=$T_TMP/bin/pasta	# burrow-slirp's pasta face
		as_user "$bin" -f --config-net -m "$MTU" -t none -u none -T none -U none \
			"$CTR_PID" >"$log" 2>&1 &
		GW=$REMOTE_IP4 ;;		# pasta maps its gateway to the host's loopback
	esac
	local job=$!
	if [ "$1" != burrow ]; then
		for ((i = 0; i < 100; i++)); do
			in_ctr ip -4 route show default 2>/dev/null | grep -q default && break
			sleep 0.1
		done
		local pat=slirp4netns
		[ "$1" != slirp4netns ] && pat=pasta
		TOOL_PID=$(pgrep -u "$TEST_USER" -f "$pat.* $CTR_PID" | head -1)
		[ -n "$TOOL_PID" ] || { cat "$log"; fail "$1 did not start"; }
		on_exit "_stop_pid_job $TOOL_PID $job"
	fi
	sleep 0.5
}

tool_stop() {
	kill "$TOOL_PID" 2>/dev/null
	kill "$CTR_PID" 2>/dev/null
	local i
	for ((i = 0; i < 50; i++)); do kill -0 "$TOOL_PID" 2>/dev/null || break; sleep 0.1; done
}

iperf() { # HOST PORT -> Gbit/s (receiver)
	in_ctr timeout $((SECS + 20)) iperf3 -c "$1" -p "$2" -t "$SECS" -f g 2>/dev/null |
		awk '/receiver/ { print $(NF-2) }'
}

# the same binary through its pasta face, called as pasta is, in the same run
mkdir -p "$T_TMP/bin" && ln -s "$BIN/burrow-slirp" "$T_TMP/bin/pasta" && chmod 0755 "$T_TMP/bin"
declare -A R
tools=(burrow burrow-pasta slirp4netns pasta2023)
[ -n "$PASTA2025" ] && [ -x "$PASTA2025" ] && tools+=(pasta2025)
for t in "${tools[@]}"; do
	tool_start "$t"
	R[$t,rss]=$(bench_proc_kb "$TOOL_PID" VmRSS)
	R[$t,remote]=$(iperf "$REMOTE_FAR4" 5201)
	R[$t,loop]=$(iperf "$GW" 5202)
	R[$t,rr]=$(in_ctr timeout 60 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 5000 | sed -n 's/^p50_us=\([0-9.]*\).*/\1/p')
	tool_stop
done


# every tool's conns test gets an echo server of its own port: the
# connections a tool opened leave tens of thousands of TIME-WAIT sockets in
# the sandbox host (the helper's side closes first), and with the same
# destination port the next tool's connect() had to search the ephemeral
# ports past them: every tool after the first measured ~300/s.  The order
# rotates each round, so no tool always follows the same other's sockets.
cport=7110
hz=$(getconf CLK_TCK)
for ((r = 0; r < CROUNDS; r++)); do
	for ((k = 0; k < ${#tools[@]}; k++)); do
		t=${tools[(k + r) % ${#tools[@]}]}
		serve_echo remote tcp "$cport"
		tool_start "$t"
		c0=$(bench_cpu_ticks "$TOOL_PID")
		rate=$(in_ctr timeout 60 "$TOOLS/echopeer" conns "$REMOTE_FAR4" "$cport" "$CSECS" | sed -n 's/^conns_per_s=//p')
		c1=$(bench_cpu_ticks "$TOOL_PID")
		if [ -n "$rate" ]; then
			R[$t,conns]+=" $rate"
			R[$t,conncpus]+=" $(awk -v a="$c0" -v b="$c1" -v n="$rate" -v s="$CSECS" -v hz="$hz" \
				'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / (n * s) }')"
		fi
		cport=$((cport + 1))
		tool_stop
	done
done
for t in "${tools[@]}"; do
	[ -n "${R[$t,conns]:-}" ] || continue
	R[$t,conn]=$(bench_median <<<"${R[$t,conns]}")
	R[$t,conncpu]=$(bench_median <<<"${R[$t,conncpus]}")
done

printf '\nMTU %s, %s s per test, %s\n' "$MTU" "$SECS" "$(nproc) CPUs"
printf '%-12s %14s %14s %12s %12s %12s %10s\n' tool "remote Gbit/s" "hostlo Gbit/s" "rr p50 us" "conn/s" "CPU us/conn" "RSS KiB"
for t in "${tools[@]}"; do
	printf '%-12s %14s %14s %12s %12s %12s %10s\n' "$t" "${R[$t,remote]:-fail}" "${R[$t,loop]:-fail}" \
		"${R[$t,rr]:-fail}" "${R[$t,conn]:-fail}" "${R[$t,conncpu]:-?}" "${R[$t,rss]:-?}"
done
printf 'connections/s per round (%s rounds of %s s, order rotated):\n' "$CROUNDS" "$CSECS"
for t in "${tools[@]}"; do
	printf '  %-12s %s   (CPU us/conn:%s)\n' "$t" "${R[$t,conns]:-fail}" "${R[$t,conncpus]:-}"
done
best() { # KEY max|min over the anchors
	local k=$1 m=$2 t v b=
	for t in "${tools[@]}"; do
		case $t in burrow*) continue ;; esac
		v=${R[$t,$k]:-}; [ -n "$v" ] || continue
		if [ -z "$b" ] || awk -v v="$v" -v b="$b" -v m="$m" 'BEGIN { exit !((m == "max" && v > b) || (m == "min" && v < b)) }'; then b=$v; fi
	done
	echo "$b"
}
pbest() { # KEY max|min over the pastas
	local k=$1 m=$2 t v b=
	for t in pasta2023 pasta2025; do
		v=${R[$t,$k]:-}; [ -n "$v" ] || continue
		if [ -z "$b" ] || awk -v v="$v" -v b="$b" -v m="$m" 'BEGIN { exit !((m == "max" && v > b) || (m == "min" && v < b)) }'; then b=$v; fi
	done
	echo "$b"
}
echo
echo "ratio remote  burrow/best(pasta,slirp4netns) = $(bench_ratio "${R[burrow,remote]:-}" "$(best remote max)")  (goal >= 1.5)"
echo "ratio hostlo  burrow/best(pasta,slirp4netns) = $(bench_ratio "${R[burrow,loop]:-}" "$(best loop max)")  (goal >= 1.5)"
echo "ratio rr p50  burrow/best pasta             = $(bench_ratio "${R[burrow,rr]:-}" "$(pbest rr min)")  (goal <= 0.7)"
echo "ratio conn/s  burrow/best pasta             = $(bench_ratio "${R[burrow,conn]:-}" "$(pbest conn max)")  (goal >= 2)"
echo "ratio remote  burrow-pasta/best(pasta,slirp4netns) = $(bench_ratio "${R[burrow-pasta,remote]:-}" "$(best remote max)")  (goal >= 1.5)"
echo "ratio hostlo  burrow-pasta/best(pasta,slirp4netns) = $(bench_ratio "${R[burrow-pasta,loop]:-}" "$(best loop max)")  (goal >= 1.5)"
echo "ratio rr p50  burrow-pasta/best pasta             = $(bench_ratio "${R[burrow-pasta,rr]:-}" "$(pbest rr min)")"
echo "ratio conn/s  burrow-pasta/best pasta             = $(bench_ratio "${R[burrow-pasta,conn]:-}" "$(pbest conn max)")"
echo "burrow idle RSS ${R[burrow,rss]:-?} KiB (goal < 2048)"
pass
