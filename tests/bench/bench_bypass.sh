#!/bin/bash
# bench_bypass.sh - burrow run --network slirp:bypass against the same
# container on burrow-slirp alone, on bypass4netns, and against a direct veth
# connection (iperf3 in the sandbox's host namespace, no helper), in one run:
# iperf3 TCP container -> remote peer, TCP connect()+close per second, iperf3
# TCP remote peer -> published port -> container (direct: a server in the
# host namespace), TCP request/response latency container -> remote peer at
# 64 B, 1 KiB and 64 KiB (echopeer rr; client pinned to CPU 0, the echo server
# to CPU 1, as in bench_slirp_rr: the latency goals of the tap path, met
# here by the host socket), and burrow-bypass's RSS; medians and ranges of
# interleaved rounds.  Prints a table and the ratios.
#   BENCH_SECONDS (default 4), BENCH_ROUNDS (default 3), BENCH_RR_N (round
#   trips per latency measurement, default 2000; a quarter at 64 KiB)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/bench.sh"
SECS=${BENCH_SECONDS:-4}
need_cmd iperf3 iperf3
need_bin burrow-slirp
need_bin burrow-bypass
launcher_rootfs
sandbox_net
# iperf3 and its libraries inside the busybox root, and the probe
R="$T_TMP/rootfs-iperf"
cp -a "$ROOTFS" "$R"
for f in /usr/bin/iperf3 $(ldd /usr/bin/iperf3 | grep -o '/[^ ]*'); do
	mkdir -p "$R$(dirname "$f")"
	cp -L "$f" "$R$f"
done
cc -O2 -static -o "$R/bin/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread ||
	fail "cc -static bypassprobe.c"
cc -O2 -static -o "$T_TMP/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread
cc -O2 -D_GNU_SOURCE -static -o "$R/bin/echopeer" "$TOP/tests/tools/echopeer.c" || fail "cc -static echopeer.c"
need_cmd taskset util-linux
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs to pin the latency client and server apart"
RR_N=${BENCH_RR_N:-2000}
RR_SIZES="64 1024 65536"
nsenter --net="/run/netns/$REMOTE_NS" -- iperf3 -s -p 5201 >/dev/null 2>&1 &
on_exit "kill $!"
nsenter --net="/run/netns/$REMOTE_NS" -- taskset -c 1 "$TOOLS/echopeer" serve-tcp 7100 &
on_exit "kill $!"
# connect()+close: each column and round its own sink port (9000 + 4 x round
# + column).  The clients close first, and every column's TIME-WAIT sockets
# (60 s) end up in the sandbox's host namespace: to one shared port, each
# later column's or round's connect() would search past the thousands left
# before it (bench_slirp showed it), and the order would decide the figures.
ROUNDS=${BENCH_ROUNDS:-3}
declare -A COL=([direct]=0 [slirp]=1 [bypass]=2 [b4n]=3)
sink_port() { echo $((9000 + 4 * $1 + ${COL[$2]})); }	# ROUND NAME
for ((port = 9000; port < 9000 + 4 * ROUNDS; port++)); do
	nsenter --net="/run/netns/$REMOTE_NS" -- "$T_TMP/bypassprobe" sink "$REMOTE_FAR4" "$port" &
	on_exit "kill $!"
done
wait_port in_remote "$REMOTE_FAR4" 5201 || fail "iperf3 server"
wait_port in_remote "$REMOTE_FAR4" 7100 || fail "echo server"
for ((port = 9000; port < 9000 + 4 * ROUNDS; port++)); do
	wait_port in_remote "$REMOTE_FAR4" "$port" || fail "connect sink on $port"
done
B="$BIN/burrow"
# bypass4netns v0.4.2 (scripts/consumers.sh) takes the same listenerPath
# protocol: a copy of burrow whose sibling "burrow-bypass" starts it instead
B4N="$(scripts_path=$("$TOP/scripts/consumers.sh" --path 2>/dev/null); echo "$scripts_path")/bypass4netns"
if [ -x "$B4N" ]; then
	W="$T_TMP/b4n"
	mkdir -p "$W"
	cp "$BIN/burrow" "$BIN/burrow-slirp" "$W/"
	[ -x "$BIN/burrow-mon" ] && cp "$BIN/burrow-mon" "$W/"
	cat > "$W/burrow-bypass" <<SH
#!/bin/bash
ready=; sock=; pub=(); nextp=
for a; do
	if [ -n "\$nextp" ]; then pub+=("--publish=\${a%/*}"); nextp=; continue; fi
	case \$a in --ready-fd=*) ready=\${a#--ready-fd=};; -p) nextp=1;; -*) ;; *) sock=\$a;; esac
done
"$B4N" --socket="\$sock" --com-socket="\$sock.com" --ignore=127.0.0.0/8,10.0.2.0/24 \
	"\${pub[@]}" --log-file="\$sock.b4n.log" </dev/null >/dev/null 2>&1 &
for i in \$(seq 100); do [ -S "\$sock" ] && break; sleep 0.05; done
printf 1 >&"\$ready"
wait
SH
	chmod 0755 "$W" "$W"/*
fi
gbps() { sed -n 's/.*"bits_per_second":[[:space:]]*\([0-9.e+]*\).*/\1/p' | tail -1 |
	awk '{printf "%.2f", $1 / 1e9}'; }

declare -A TP CR FW
# the containers first, then interleaved rounds: this machine's noise moves
# every column alike within a round
names="slirp bypass"
[ -n "${W:-}" ] && names="$names b4n"
# published ports: each container's iperf3 server on 5201 behind a host port
# of its own; the direct column's server runs in the host namespace
declare -A PUB=([direct]=5310 [slirp]=5311 [bypass]=5312 [b4n]=5313)
# the direct column's processes in a session of their own, as each container's
# are: with sched_autogroup a process sharing this script's session (and its
# servers) got visibly less CPU than a container on a loaded machine
setsid nsenter --net="/run/netns/$HOST_NS" -- iperf3 -s -p "${PUB[direct]}" >/dev/null 2>&1 &
on_exit "kill $!"
for name in $names; do
	B="$BIN/burrow" mode=slirp
	[ "$name" = bypass ] && mode=slirp:bypass
	[ "$name" = b4n ] && B="$W/burrow" mode=slirp:bypass
	on_exit "as_user $B rm -f bench-$name >/dev/null 2>&1"
	as_user "$B" run -d --name "bench-$name" --network "$mode" -p "${PUB[$name]}:5201" "$R" \
		sh -c 'iperf3 -s -p 5201 >/dev/null 2>&1 & exec sleep 1000' >/dev/null ||
		fail "run --network $mode ($name)"
done
# listening, looked at with ss: a probe connection would make iperf3 close and
# re-make its listener (bypass4netns, which sees no close(), then leaves the
# new one in the container)
listening() { in_host ss -Htln "sport = :$1" | grep -q ":$1"; }
for name in direct $names; do
	retry 100 listening "${PUB[$name]}" || fail "published port of $name"
done
B="$BIN/burrow"
# this run's agents (other tests of the same user may run theirs): the ones
# whose socket is in this test's folder
agent_of() {
	local p
	for p in $(pgrep -u "$TEST_USER" -x "$1"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF "$T_TMP/" && { echo "$p"; return; }
	done
}
bp=$(agent_of burrow-bypass)
b4=$(agent_of bypass4netns)
[ -n "$bp" ] || fail "no burrow-bypass of this run"
# run_in NAME CMD...: CMD in the container bench-NAME, or in the host namespace
run_in() {
	local name=$1; shift
	case $name in
	direct) in_host setsid -w "$@" ;;
	b4n) as_user "$W/burrow" exec bench-b4n "$@" ;;
	*) as_user "$B" exec "bench-$name" "$@" ;;
	esac
}
# rr_in NAME SIZE: "p50 p99" (us) of request/response over one connection,
# the client pinned to CPU 0 (the affinity passes through burrow exec and
# the runtime into the container)
rr_in() {
	local name=$1 size=$2 n=$RR_N peer=echopeer pin=(taskset -c 0)
	[ "$size" -ge 65536 ] && n=$((RR_N / 4))
	[ "$name" = direct ] && peer="$TOOLS/echopeer"
	case $name in
	direct) in_host setsid -w "${pin[@]}" "$peer" rr "$REMOTE_FAR4" 7100 "$n" "$size" ;;
	b4n) as_user "${pin[@]}" "$W/burrow" exec bench-b4n "$peer" rr "$REMOTE_FAR4" 7100 "$n" "$size" ;;
	*) as_user "${pin[@]}" "$B" exec "bench-$name" "$peer" rr "$REMOTE_FAR4" 7100 "$n" "$size" ;;
	esac | sed -n 's/^p50_us=\([0-9.]*\) p99_us=\([0-9.]*\).*/\1 \2/p'
}
cols=(direct $names)
# latency first, in rounds of its own: the machine is still quiet (no
# TIME-WAIT sockets of the connection test, no iperf3 finishing)
for ((r = 0; r < ROUNDS; r++)); do
	for ((c = 0; c < ${#cols[@]}; c++)); do
		name=${cols[$(((c + r) % ${#cols[@]}))]}
		for size in $RR_SIZES; do
			read -r a b < <(rr_in "$name" "$size")
			echo "${a:-}" >>"$T_TMP/p50.$size.$name"
			echo "${b:-}" >>"$T_TMP/p99.$size.$name"
		done
	done
done
# each round starts with another column: the TIME-WAIT sockets every column
# leaves (60 s) slow the connect()s of those after it in the same minute
for ((r = 0; r < ROUNDS; r++)); do
	for ((c = 0; c < ${#cols[@]}; c++)); do
		name=${cols[$(((c + r) % ${#cols[@]}))]}
		ip=iperf3 probe=bypassprobe
		[ "$name" = direct ] && probe="$T_TMP/bypassprobe"
		run_in "$name" $ip -J -c "$REMOTE_FAR4" -p 5201 -t "$SECS" | gbps >>"$T_TMP/tp.$name"
		echo >>"$T_TMP/tp.$name"
		run_in "$name" $probe rate "$REMOTE_FAR4" "$(sink_port "$r" "$name")" "$SECS" |
			sed -n 's/conn\/s=\([0-9]*\).*/\1/p' | head -1 | tr -d '\n' >>"$T_TMP/cr.$name"
		echo >>"$T_TMP/cr.$name"	# one line per round, empty when it failed
		in_remote iperf3 -J -c "$HOST_IP4" -p "${PUB[$name]}" -t "$SECS" | gbps >>"$T_TMP/fw.$name"
		echo >>"$T_TMP/fw.$name"
	done
done
for name in direct $names; do
	TP[$name]=$(bench_median - < "$T_TMP/tp.$name")
	CR[$name]=$(bench_median - < "$T_TMP/cr.$name")
	FW[$name]=$(bench_median - < "$T_TMP/fw.$name")
done
RSS=$(bench_proc_kb "$bp" VmRSS)
HWM=$(bench_proc_kb "$bp" VmHWM)
[ -n "$b4" ] && B4RSS=$(bench_proc_kb "$b4" VmRSS)
# every round of each column: the spread a median hides
for m in tp fw cr; do
	echo "rounds ($ROUNDS, $m): $(for n in direct $names; do
		printf '%s=%s ' "$n" "$(grep . "$T_TMP/$m.$n" | tr '\n' , | sed 's/,$//')"; done)"
done
# per-round ratios METRIC A B: A/B within each round (the same load), as
# "median (min-max)"; rounds where either is missing are left out
pratio() {
	paste "$T_TMP/$1.$2" "$T_TMP/$1.$3" 2>/dev/null | awk -F'\t' '$1 > 0 && $2 > 0 {print $1 / $2}' |
		sort -n | awk '{v[NR] = $1} END { if (NR) printf "%.2fx (%.2f-%.2f, %d rounds)",
			v[int((NR + 1) / 2)], v[1], v[NR], NR; else print "-" }'
}
ratio() { bench_ratio "$1" "$2" "%.2fx"; }
printf '%-30s %10s %13s %10s %13s\n' "container -> remote" direct burrow-slirp bypass bypass4netns
printf '%-30s %10s %13s %10s %13s\n' "TCP throughput (Gbit/s)" "${TP[direct]}" "${TP[slirp]}" "${TP[bypass]}" "${TP[b4n]:--}"
printf '%-30s %10s %13s %10s %13s\n' "connect()+close per second" "${CR[direct]}" "${CR[slirp]}" "${CR[bypass]}" "${CR[b4n]:--}"
printf '%-30s %10s %13s %10s %13s\n' "remote -> published port (Gbit/s)" "${FW[direct]}" "${FW[slirp]}" "${FW[bypass]}" "${FW[b4n]:--}"
printf '%-30s %10s %13s %10s %13s\n' "agent RSS (kB)" - - "$RSS" "${B4RSS:--}"
echo "bypass / direct: throughput $(ratio "${TP[bypass]}" "${TP[direct]}") (goal >= 0.9x), connects $(ratio "${CR[bypass]}" "${CR[direct]}")"
echo "bypass / direct: remote -> published port $(ratio "${FW[bypass]}" "${FW[direct]}") (goal >= 0.9x); burrow-slirp / direct $(ratio "${FW[slirp]}" "${FW[direct]}"); bypass4netns / direct $(ratio "${FW[b4n]:--}" "${FW[direct]}")"
echo "bypass / burrow-slirp: throughput $(ratio "${TP[bypass]}" "${TP[slirp]}"), connects $(ratio "${CR[bypass]}" "${CR[slirp]}")"
echo "per-round ratios, median (range): bypass/direct throughput $(pratio tp bypass direct)," \
	"published $(pratio fw bypass direct), connects $(pratio cr bypass direct);" \
	"bypass/bypass4netns throughput $(pratio tp bypass b4n), connects $(pratio cr bypass b4n)," \
	"published $(pratio fw bypass b4n)"
for name in $names; do
	[ "${TP[$name]}" = - ] && echo "no result for $name: its container stopped" \
		"($(as_user "$B" ps -a 2>&1 | grep "bench-$name" | tr -s ' '))"
done
if [ -n "${W:-}" ]; then
	got=$(grep -c . "$T_TMP/fw.b4n")
	[ "$got" -lt "$ROUNDS" ] && echo "bypass4netns answered on its published port in $got of" \
		"$ROUNDS rounds: iperf3 makes its listener again after a test, and bypass4netns" \
		"(given no close() notifications here) leaves the new one in the container"
fi
echo "burrow-bypass RSS: ${RSS} kB (peak ${HWM} kB; goal < 2048 kB)"
printf '\nrequest/response container -> remote, us, p50/p99 (median of %s rounds; %s round trips, 64 KiB %s)\n' \
	"$ROUNDS" "$RR_N" $((RR_N / 4))
printf '%-8s' size
for name in direct $names; do printf ' %16s' "$name"; done
printf ' %16s %16s\n' "bypass/direct" "slirp/direct"
for size in $RR_SIZES; do
	printf '%-8s' "$size"
	for name in direct $names; do
		printf ' %16s' "$(cat "$T_TMP/p50.$size.$name" 2>/dev/null | bench_median -)/$(cat "$T_TMP/p99.$size.$name" 2>/dev/null | bench_median -)"
	done
	printf ' %16s %16s\n' "$(pratio "p50.$size" bypass direct | cut -d' ' -f1)" "$(pratio "p50.$size" slirp direct | cut -d' ' -f1)"
done
echo "(ratios: p50, per round, median; the tap path's goal is p50 <= 1.10x direct)"
echo "bypass / bypass4netns v0.4.2: throughput $(ratio "${TP[bypass]}" "${TP[b4n]:--}") (goal >= 1.0x), connects $(ratio "${CR[bypass]}" "${CR[b4n]:--}") (goal >= 2x)"
pass
