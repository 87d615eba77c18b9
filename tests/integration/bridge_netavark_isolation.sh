#!/bin/bash
# burrow-bridge network isolation: an isolated network neither reaches nor is
# reached by other networks, two plain networks reach each other, an internal
# network reaches only itself (no outside access, no default route); the rules
# come back with `burrow-bridge reload` (or a repeated setup, as `podman
# network reload` does) after `nft flush ruleset`; an iptables-restore (a
# firewall reload on iptables) does not touch our table at all.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
for c in x y w z z2; do ctr_ns $c; done
N1=$(nv_net iso bw3 10.81.0.0/24 10.81.0.1 false '{"isolate":"true"}')
N2=$(nv_net plain bw4 10.82.0.0/24 10.82.0.1)
N3=$(nv_net inner bw5 10.83.0.0/24 10.83.0.1 true)
N4=$(nv_net plain2 bw6 10.84.0.0/24 10.84.0.1)
X=$(nv_opts xxxx '[]' "$(nv_att iso eth0 '"10.81.0.2"')" "$N1")
Y=$(nv_opts yyyy '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att plain eth0 '"10.82.0.2"')" "$N2")
W=$(nv_opts wwww '[]' "$(nv_att plain2 eth0 '"10.84.0.2"')" "$N4")
Z=$(nv_opts zzzz '[]' "$(nv_att inner eth0 '"10.83.0.2"')" "$N3")
Z2=$(nv_opts zzz2 '[]' "$(nv_att inner eth0 '"10.83.0.3"')" "$N3")
on_exit "nv_teardown x '$X'; nv_teardown y '$Y'; nv_teardown w '$W'; nv_teardown z '$Z'; nv_teardown z2 '$Z2'"
for c in x y w z z2; do
	v=${c^^}
	out=$(nv_setup $c "${!v}") || fail "setup $c: $out"
done
reach() { in_ctr "$1" ping -c1 -W1 -q "$2" >/dev/null 2>&1; }
reach_soon() { retry 20 reach "$@"; }

check_rules() {
	reach_soon y 10.84.0.2 || fail "$1: plain networks do not reach each other"
	reach_soon x "$REMOTE_FAR4" || fail "$1: isolated network has no outside access"
	reach y 10.81.0.2 && fail "$1: plain network reached the isolated one"
	reach x 10.82.0.2 && fail "$1: isolated network reached a plain one"
	reach_soon z 10.83.0.3 || fail "$1: internal network containers do not reach each other"
	reach z "$REMOTE_FAR4" && fail "$1: internal network reached the outside"
	reach z 10.82.0.2 && fail "$1: internal network reached another network"
	reach y 10.83.0.2 && fail "$1: a plain network reached the internal one"
	return 0
}
check_rules "after setup"
in_ctr z ip route show default | grep -q . && fail "internal network container has a default route"

# an iptables reload (what firewalls built on iptables do) leaves our own table alone
if command -v iptables-restore >/dev/null; then
	printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n' |
		in_host iptables-restore || fail "iptables-restore"
	check_rules "after iptables-restore"
	serve y tcp 80
	got=$(ask_until in_remote tcp "$HOST_IP4" 8080) || fail "forward of y lost after iptables-restore"
fi

# a firewall reload wipes everything; reload puts our table back from the records
in_host nft flush ruleset
reach_soon x 10.82.0.2 || fail "flush did not open isolation (test is broken)"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload failed"
check_rules "after reload"
# podman network reload calls setup again for each container: same result
in_host nft flush ruleset
out=$(nv_setup y "$Y") || fail "repeated setup of y: $out"
[[ "$out" == *'"ipnet":"10.82.0.2/24"'* ]] || fail "repeated setup status: $out"
check_rules "after repeated setup"
command -v iptables-restore >/dev/null || serve y tcp 80
got=$(ask_until in_remote tcp "$HOST_IP4" 8080) || fail "forward of y lost after reload"

for c in x y w z z2; do
	v=${c^^}
	nv_teardown $c "${!v}" >/dev/null || fail "teardown $c"
done
no_trace
pass
