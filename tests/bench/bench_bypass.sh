#!/bin/bash
# bench_bypass.sh - burrow run --network slirp:bypass against the same
# container on burrow-slirp alone and against a direct veth connection (an
# iperf3 client in the sandbox's host namespace, no helper), in one run:
# iperf3 TCP container -> remote peer, TCP connect()+close per second, and
# burrow-bypass's RSS; medians of interleaved rounds.  Prints a table and the ratios.
#   BENCH_SECONDS (default 4), BENCH_ROUNDS (default 3)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
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
nsenter --net="/run/netns/$REMOTE_NS" -- iperf3 -s -p 5201 >/dev/null 2>&1 &
on_exit "kill $!"
nsenter --net="/run/netns/$REMOTE_NS" -- "$T_TMP/bypassprobe" sink "$REMOTE_FAR4" 9000 &
on_exit "kill $!"
wait_port in_remote "$REMOTE_FAR4" 5201 || fail "iperf3 server"
wait_port in_remote "$REMOTE_FAR4" 9000 || fail "socat server"
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
ready=; sock=
for a; do case \$a in --ready-fd=*) ready=\${a#--ready-fd=};; -*) ;; *) sock=\$a;; esac; done
"$B4N" --socket="\$sock" --com-socket="\$sock.com" --ignore=127.0.0.0/8,10.0.2.0/24 \
	--log-file="\$sock.b4n.log" </dev/null >/dev/null 2>&1 &
for i in \$(seq 100); do [ -S "\$sock" ] && break; sleep 0.05; done
printf 1 >&"\$ready"
wait
SH
	chmod 0755 "$W" "$W"/*
fi
gbps() { sed -n 's/.*"bits_per_second":[[:space:]]*\([0-9.e+]*\).*/\1/p' | tail -1 |
	awk '{printf "%.2f", $1 / 1e9}'; }

declare -A TP CR
ROUNDS=${BENCH_ROUNDS:-3}
median() { sort -n | awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : 0)}'; }
# the containers first, then interleaved rounds: this machine's noise moves
# every column alike within a round
names="slirp bypass"
[ -n "${W:-}" ] && names="$names b4n"
for name in $names; do
	B="$BIN/burrow" mode=slirp
	[ "$name" = bypass ] && mode=slirp:bypass
	[ "$name" = b4n ] && B="$W/burrow" mode=slirp:bypass
	on_exit "as_user $B rm -f bench-$name >/dev/null 2>&1"
	as_user "$B" run -d --name "bench-$name" --network "$mode" "$R" sleep 1000 >/dev/null ||
		fail "run --network $mode ($name)"
done
B="$BIN/burrow"
bp=$(pgrep -u "$TEST_USER" -x burrow-bypass | head -1)
b4=$(pgrep -u "$TEST_USER" -x bypass4netns | head -1)
# run_in NAME CMD...: CMD in the container bench-NAME, or in the host namespace
run_in() {
	local name=$1; shift
	case $name in
	direct) in_host "$@" ;;
	b4n) as_user "$W/burrow" exec bench-b4n "$@" ;;
	*) as_user "$B" exec "bench-$name" "$@" ;;
	esac
}
for ((r = 0; r < ROUNDS; r++)); do
	for name in direct $names; do
		ip=iperf3 probe=bypassprobe
		[ "$name" = direct ] && probe="$T_TMP/bypassprobe"
		run_in "$name" $ip -J -c "$REMOTE_FAR4" -p 5201 -t "$SECS" | gbps >>"$T_TMP/tp.$name"
		echo >>"$T_TMP/tp.$name"
		run_in "$name" $probe rate "$REMOTE_FAR4" 9000 "$SECS" |
			sed -n 's/conn\/s=\([0-9]*\).*/\1/p' >>"$T_TMP/cr.$name"
	done
done
for name in direct $names; do
	TP[$name]=$(grep . "$T_TMP/tp.$name" | median)
	CR[$name]=$(median <"$T_TMP/cr.$name")
done
RSS=$(awk '/^VmRSS/ {print $2}' /proc/"$bp"/status)
HWM=$(awk '/^VmHWM/ {print $2}' /proc/"$bp"/status)
[ -n "$b4" ] && B4RSS=$(awk '/^VmRSS/ {print $2}' /proc/"$b4"/status)
echo "rounds ($ROUNDS, Gbit/s): $(for n in direct $names; do printf '%s=%s ' "$n" "$(grep . "$T_TMP/tp.$n" | tr '\n' ,)"; done)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
printf '%-30s %10s %13s %10s %13s\n' "container -> remote" direct burrow-slirp bypass bypass4netns
printf '%-30s %10s %13s %10s %13s\n' "TCP throughput (Gbit/s)" "${TP[direct]}" "${TP[slirp]}" "${TP[bypass]}" "${TP[b4n]:--}"
printf '%-30s %10s %13s %10s %13s\n' "connect()+close per second" "${CR[direct]}" "${CR[slirp]}" "${CR[bypass]}" "${CR[b4n]:--}"
printf '%-30s %10s %13s %10s %13s\n' "agent RSS (kB)" - - "$RSS" "${B4RSS:--}"
echo "bypass / direct: throughput $(ratio "${TP[bypass]}" "${TP[direct]}") (goal >= 0.9x), connects $(ratio "${CR[bypass]}" "${CR[direct]}")"
echo "bypass / burrow-slirp: throughput $(ratio "${TP[bypass]}" "${TP[slirp]}"), connects $(ratio "${CR[bypass]}" "${CR[slirp]}")"
echo "burrow-bypass RSS: ${RSS} kB (peak ${HWM} kB; goal < 2048 kB)"
echo "bypass / bypass4netns v0.4.2: throughput $(ratio "${TP[bypass]}" "${TP[b4n]:-0}") (goal >= 1.0x), connects $(ratio "${CR[bypass]}" "${CR[b4n]:-0}") (goal >= 2x)"
pass
