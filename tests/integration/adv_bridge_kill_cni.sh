#!/bin/bash
# burrow-bridge's CNI face survives kill -9 at every step of ADD that changes
# something (its own IPAM and port mappings, so that every lease and claim
# is burrow-bridge's): SIGKILL before the Nth call of each such system call
# in turn, N = 1, 2, ... until ADD completes.  After each kill: DEL succeeds
# (on odd steps after a GC that lists the killed attachment as valid: GC
# sweeps a half-made one all the same), ADD of another container with the
# same host port succeeds, and after its DEL nothing is left.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_kill.sh"
command -v strace >/dev/null || fail "strace missing (scripts/deps.sh installs it)"
sandbox_net
ctr_ns a; ctr_ns b
export BURROW_BRIDGE_SYNC=1
CONF='{"cniVersion":"1.1.0","name":"knet","type":"burrow-bridge","bridge":"ck0","isGateway":true,"ipMasq":true,
 "capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp","hostIP":""}]},
 "ipam":{"type":"burrow-bridge","ranges":[[{"subnet":"10.88.9.0/24","gateway":"10.88.9.1"}]]}}'
GC='{"cniVersion":"1.1.0","name":"knet","type":"burrow-bridge","bridge":"ck0",
 "ipam":{"type":"burrow-bridge","ranges":[[{"subnet":"10.88.9.0/24","gateway":"10.88.9.1"}]]},
 "cni.dev/valid-attachments":[{"containerID":"ida","ifname":"eth0"}]}'
# cni CMD CTR CONFIG: run the plugin the way a runtime does
cni() { local cmd=$1 c=$2 in=$3; in_host env CNI_COMMAND="$cmd" CNI_CONTAINERID="id$c" \
	CNI_NETNS="$(ctr_path "$c")" CNI_IFNAME=eth0 CNI_PATH=/nonexistent \
	BURROW_BRIDGE_CONFIG="$BR_CFG" "$BRIDGE" <<<"$in"; }
# the variables of an ADD of a, for the runs under strace (bash passes
# assignments before a function call on to what it runs)
export CNI_IFNAME=eth0 CNI_PATH=/nonexistent BURROW_BRIDGE_CONFIG="$BR_CFG"
on_exit "cni DEL a '$CONF'; cni DEL b '$CONF'"

calls=$(CNI_COMMAND=ADD CNI_CONTAINERID=ida CNI_NETNS="$(ctr_path a)" calls_made "$BRIDGE" <<<"$CONF") || fail "ADD a under strace failed"
[ -n "$calls" ] || fail "strace -c saw none of the calls of an ADD"
cni DEL a "$CONF" >/dev/null || fail "DEL a"
no_trace

t0=$SECONDS
steps=0
clean=0
for call in $calls; do
	for ((n = 1; n <= 200; n++)); do
		out=$(CNI_COMMAND=ADD CNI_CONTAINERID=ida CNI_NETNS="$(ctr_path a)" \
			killed_at "$call" "$n" "$BRIDGE" <<<"$CONF" 2>&1)
		rc=$?
		if [ $rc -ne 137 ]; then
			[ $rc -eq 0 ] || fail "ADD a with no kill at $call #$n: rc $rc: $out"
			cni DEL a "$CONF" >/dev/null || fail "DEL a after a whole ADD"
			no_trace
			break
		fi
		steps=$((steps + 1))
		where="ADD killed at $call #$n (step $steps)"
		if left_nothing; then
			# killed before its first change: nothing to recover
			out=$(cni DEL a "$CONF") || fail "DEL a, $where: $out"
			clean=$((clean + 1))
			continue
		fi
		if ((steps % 2)); then
			out=$(cni GC x "$GC") || fail "GC, $where: $out"
			no_dead_records || fail "GC left a dead record, $where: $(cat "$BR_CFG"/burrow-bridge/ctr/*)"
		fi
		out=$(cni DEL a "$CONF") || fail "DEL a, $where: $out"
		in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 left in a, $where"
		out=$(cni ADD b "$CONF") || fail "ADD b with the same port, $where: $out"
		out=$(cni DEL b "$CONF") || fail "DEL b, $where: $out"
		no_trace
	done
	((n <= 200)) || fail "ADD still killed at $call #200"
done
echo "ADD killed at $steps points ($(echo $calls); $clean before its first change) in $((SECONDS - t0)) s; each recovered"
((steps - clean >= 20)) || fail "only $((steps - clean)) kill points after a change: strace injection did not work"
pass "$steps kill points"
