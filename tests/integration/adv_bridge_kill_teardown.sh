#!/bin/bash
# burrow-bridge teardown survives kill -9 at every step that changes
# something: SIGKILL injected before the Nth call of each such system call in
# turn (N = 1, 2, ... until the teardown completes), once with the links
# deleted in the process itself (BURROW_BRIDGE_SYNC=1: every step in one
# process) and once as by default, where a child deletes the links and
# removes the record: the parent killed as it starts the child (the points
# before are the same as with BURROW_BRIDGE_SYNC=1).  After each kill, a second teardown
# succeeds (on odd steps a setup of the same container comes first, and
# must find its way past the half-removed one), another container gets the
# same published ports, and once that one is gone nothing is left.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_kill.sh"
command -v strace >/dev/null || fail "strace missing (scripts/deps.sh installs it)"
sandbox_net
ctr_ns a; ctr_ns b
NET=$(nv_net knet bk0 10.87.0.0/24 10.87.0.1)
PORTS='[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp,udp"}]'
A=$(nv_opts aaaa "$PORTS" "$(nv_att knet eth0 '')" "$NET")
B=$(nv_opts bbbb "$PORTS" "$(nv_att knet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"

t0=$SECONDS
steps=0
for sync in 1 0; do
	export BURROW_BRIDGE_SYNC=$sync
	out=$(nv_setup a "$A") || fail "setup a: $out"
	calls=$(calls_made "$BRIDGE" --config "$BR_CFG" teardown "$(ctr_path a)" <<<"$A") ||
		fail "teardown a under strace failed"
	[ -n "$calls" ] || fail "strace -c saw none of the calls of a teardown"
	no_trace
	if [ $sync = 0 ]; then
		[[ " $(echo $calls) " == *" clone "* ]] || fail "teardown started no child: $(echo $calls)"
		calls=clone
	fi
	for call in $calls; do
		for ((n = 1; n <= 200; n++)); do
			out=$(nv_setup a "$A") || fail "setup a before kill at $call #$n: $out"
			out=$(killed_at "$call" "$n" "$BRIDGE" --config "$BR_CFG" teardown "$(ctr_path a)" <<<"$A" 2>&1)
			rc=$?
			if [ $rc -ne 137 ]; then
				[ $rc -eq 0 ] || fail "teardown a with no kill at $call #$n: rc $rc: $out"
				no_trace
				break
			fi
			steps=$((steps + 1))
			where="teardown killed at $call #$n (sync=$sync, step $steps)"
			if ((steps % 2)); then
				out=$(nv_setup a "$A") || fail "setup a again, $where: $out"
				[[ "$out" == *'"ipnet":"10.87.0.'* ]] || fail "setup a again, $where: $out"
			fi
			out=$(nv_teardown a "$A") || fail "teardown a again, $where: $out"
			settle
			in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in a, $where"
			out=$(nv_setup b "$B") || fail "setup b on the same ports, $where: $out"
			out=$(nv_teardown b "$B") || fail "teardown b, $where: $out"
			no_trace
		done
		((n <= 200)) || fail "teardown still killed at $call #200"
	done
done
echo "teardown killed at $steps points in $((SECONDS - t0)) s; each recovered"
((steps >= 20)) || fail "only $steps kill points: strace injection did not work"
pass "$steps kill points"
