#!/bin/bash
# burrow-bridge, a replaced container's UDP forward (user-needs #21): the
# remote peer keeps sending to a forwarded UDP port, so its conntrack entry
# (with the DNAT to container a) never times out.  Teardown of a deletes the
# entries of a's address and setup of b (same forward, another address)
# deletes the entries left on the host port: b gets the next datagrams.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns k
NET=$(nv_net unet bw7 10.77.0.0/24 10.77.0.1)
FWD='[{"host_ip":"","container_port":53,"host_port":5300,"range":1,"protocol":"udp"}]'
A=$(nv_opts aaaa "$FWD" "$(nv_att unet eth0 '"10.77.0.2"')" "$NET")
B=$(nv_opts bbbb "$FWD" "$(nv_att unet eth0 '"10.77.0.3"')" "$NET")
R=$(nv_opts rrrr '[]' "$(nv_att unet eth0 '"10.77.0.9"')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'; nv_teardown k '$R'"
# a resident keeps the bridge (and so the route to a's old address) up
out=$(nv_setup k "$R") || fail "setup k: $out"
out=$(nv_setup a "$A") || fail "setup a: $out"

# each container logs the datagrams it receives
for c in a b; do
	: > "$T_TMP/$c.log"
	nsenter --net="$(ctr_path $c)" -- socat -u UDP4-RECV:53,reuseaddr OPEN:"$T_TMP/$c.log",append 2>/dev/null &
	on_exit "kill $! 2>/dev/null"
done
# the remote peer sends one datagram every 50 ms from one source port
nsenter --net="/run/netns/$REMOTE_NS" -- bash -c \
	"while :; do echo ping; sleep 0.05; done | socat -u - UDP4-SENDTO:$HOST_IP4:5300,sourceport=40053" \
	2>/dev/null &
on_exit "kill_netns_procs $REMOTE_NS"

# wait_lines FILE: until FILE has a line (10 s at most)
wait_lines() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_lines "$T_TMP/a.log" || fail "a got nothing through the UDP forward"

# entries naming a's address (the forwarded flow, DNATed to it)
a_entries() { in_host cat /proc/net/nf_conntrack 2>/dev/null | grep -c 'src=10\.77\.0\.2 ' || true; }
[ -r /proc/net/nf_conntrack ] || fail "/proc/net/nf_conntrack missing (nf_conntrack not loaded?)"
(($(a_entries) >= 1)) || fail "no conntrack entry of a's flow before its teardown"
out=$(nv_teardown a "$A") || fail "teardown a: $out"
# the child deletes them (beside the veth) before it lets go of the lock
flock "$BR_CFG/burrow-bridge/lock" true
expect_eq "conntrack entries naming a's address after its teardown" 0 "$(a_entries)"
# the peer goes on sending while no forward exists: those datagrams reach
# the host's own (closed) port and get conntrack entries without DNAT
sleep 0.3
: > "$T_TMP/b.log"
out=$(nv_setup b "$B") || fail "setup b: $out"
wait_lines "$T_TMP/b.log" || fail "b got nothing: the old UDP flow is still bound to a's address"
n=$(wc -l < "$T_TMP/a.log")
sleep 0.3
expect_eq "a gets nothing more after its teardown" "$n" "$(wc -l < "$T_TMP/a.log")"

out=$(nv_teardown b "$B") || fail "teardown b: $out"
out=$(nv_teardown k "$R") || fail "teardown k: $out"
no_trace
pass
