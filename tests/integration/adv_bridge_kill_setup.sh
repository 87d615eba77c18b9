#!/bin/bash
# burrow-bridge setup survives kill -9 at every step that changes something:
# SIGKILL injected before the Nth call of each such system call in turn
# (openat, mkdir, write, sendto, rename, unlink, ...; N = 1, 2,
# ... until the setup completes).  After each kill, in turn: the killed
# container's teardown succeeds and another container gets the same
# published ports; or `reload` first, which must sweep it by itself; or the
# other container's setup first, which must sweep it to take the ports.
# Once both are gone nothing is left: no link, rule, table, lease, port
# claim, membership or record.  Last, a container whose namespace is
# deleted under it is swept by `reload`.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_kill.sh"
command -v strace >/dev/null || fail "strace missing (scripts/deps.sh installs it)"
sandbox_net
ctr_ns a; ctr_ns b
NET=$(nv_net knet bk0 10.86.0.0/24 10.86.0.1)
PORTS='[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp,udp"}]'
A=$(nv_opts aaaa "$PORTS" "$(nv_att knet eth0 '')" "$NET")
B=$(nv_opts bbbb "$PORTS" "$(nv_att knet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
ST="$BR_CFG/burrow-bridge"
export BURROW_BRIDGE_SYNC=1	# links gone when teardown returns: no settle() per step

setup_a() { in_host "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path a)" <<<"$A"; }

calls=$(calls_made "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path a)" <<<"$A") ||
	fail "setup a under strace failed"
[ -n "$calls" ] || fail "strace -c saw none of the calls of a setup"
nv_teardown a "$A" >/dev/null || fail "teardown a"
no_trace

t0=$SECONDS
steps=0
clean=0
for call in $calls; do
	for ((n = 1; n <= 200; n++)); do
		out=$(killed_at "$call" "$n" "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path a)" <<<"$A" 2>&1)
		rc=$?
		if [ $rc -ne 137 ]; then
			# ran to the end: a plain setup, torn down as usual
			[ $rc -eq 0 ] || fail "setup a with no kill at $call #$n: rc $rc: $out"
			nv_teardown a "$A" >/dev/null || fail "teardown a after a whole setup"
			no_trace
			break
		fi
		steps=$((steps + 1))
		where="killed at $call #$n (step $steps)"
		if left_nothing; then
			# killed before its first change: nothing to recover
			out=$(nv_teardown a "$A") || fail "teardown a, $where: $out"
			clean=$((clean + 1))
			continue
		fi
		case $((steps % 3)) in
		0)	# no teardown first: b's setup sweeps a if a holds the ports,
			# unless a is complete (killed as it printed its result)
			if [ -e "$ST/ctr/aaaa.json" ]; then
				out=$(nv_setup b "$B") && fail "setup b took the ports of a set-up a, $where"
				[[ "$out" == *"already forwarded to container aaaa"* ]] || fail "setup b, $where: $out"
				nv_teardown a "$A" >/dev/null || fail "teardown a, $where"
			fi
			out=$(nv_setup b "$B") || fail "setup b on the same ports, $where: $out"
			out=$(nv_teardown b "$B") || fail "teardown b, $where: $out"
			out=$(nv_teardown a "$A") || fail "teardown a, $where: $out"
			;;
		1)	out=$(in_host "$BRIDGE" --config "$BR_CFG" reload 2>&1) || fail "reload, $where: $out"
			no_dead_records ||
				fail "reload left a dead record, $where: $(cat "$BR_CFG"/burrow-bridge/ctr/*)"
			;&
		2)	out=$(nv_teardown a "$A") || fail "teardown a, $where: $out"
			in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in a, $where"
			out=$(nv_setup b "$B") || fail "setup b on the same ports, $where: $out"
			out=$(nv_teardown b "$B") || fail "teardown b, $where: $out"
			;;
		esac
		no_trace
	done
	((n <= 200)) || fail "setup still killed at $call #200"
done
echo "setup killed at $steps points ($(echo $calls); $clean before its first change) in $((SECONDS - t0)) s; each recovered"
((steps - clean >= 20)) || fail "only $((steps - clean)) kill points after a change: strace injection did not work"

# a container whose namespace goes away without a teardown: reload sweeps it
ctr_ns c
C=$(nv_opts cccc "$PORTS" "$(nv_att knet eth0 '')" "$NET")
out=$(nv_setup c "$C") || fail "setup c: $out"
ip netns delete "${T_ID}c"
retry 50 eval '[ -z "$(in_host ip -o link show master bk0)" ]' || fail "veth of c outlived its namespace"
out=$(in_host "$BRIDGE" --config "$BR_CFG" reload 2>&1) || fail "reload after c's namespace went: $out"
no_trace
out=$(nv_setup b "$B") || fail "setup b after the sweep of c: $out"
nv_teardown b "$B" >/dev/null || fail "teardown b"
no_trace
pass "$steps kill points"
