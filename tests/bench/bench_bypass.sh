#!/bin/bash
# bench_bypass.sh - burrow run --network slirp:bypass against the same
# container on burrow-slirp alone and against a direct veth connection (an
# iperf3 client in the sandbox's host namespace, no helper), in one run:
# iperf3 TCP container -> remote peer, TCP connect()+close per second, and
# burrow-bypass's RSS.  Prints a table and the ratios.
#   BENCH_SECONDS (default 4)
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
# direct: the host namespace itself, no container, no helper
TP[direct]=$(in_host iperf3 -J -c "$REMOTE_FAR4" -p 5201 -t "$SECS" | gbps)
CR[direct]=$(in_host "$T_TMP/bypassprobe" rate "$REMOTE_FAR4" 9000 "$SECS" | sed -n 's/conn\/s=\([0-9]*\).*/\1/p')
RSS=0
modes="slirp slirp:bypass"
[ -n "${W:-}" ] && modes="$modes b4n"
for mode in $modes; do
	name=${mode#slirp:}
	B="$BIN/burrow"
	[ "$mode" = b4n ] && B="$W/burrow" mode=slirp:bypass
	on_exit "as_user $B rm -f bench-$name >/dev/null 2>&1"
	as_user "$B" run -d --name "bench-$name" --network "$mode" "$R" sleep 1000 >/dev/null ||
		fail "run --network $mode"
	TP[$name]=$(as_user "$B" exec "bench-$name" iperf3 -J -c "$REMOTE_FAR4" -p 5201 -t "$SECS" | gbps)
	CR[$name]=$(as_user "$B" exec "bench-$name" bypassprobe rate "$REMOTE_FAR4" 9000 "$SECS" |
		sed -n 's/conn\/s=\([0-9]*\).*/\1/p')
	if [ "$name" = bypass ]; then
		bp=$(pgrep -u "$TEST_USER" -x burrow-bypass | head -1)
		RSS=$(awk '/^VmRSS/ {print $2}' /proc/"$bp"/status)
		HWM=$(awk '/^VmHWM/ {print $2}' /proc/"$bp"/status)
	fi
	if [ "$name" = b4n ]; then
		bp=$(pgrep -u "$TEST_USER" -x bypass4netns | head -1)
		B4RSS=$(awk '/^VmRSS/ {print $2}' /proc/"$bp"/status 2>/dev/null)
	fi
	as_user "$B" rm -f "bench-$name" >/dev/null
done
B="$BIN/burrow"
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
