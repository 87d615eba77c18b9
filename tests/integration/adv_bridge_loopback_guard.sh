#!/bin/bash
# burrow-bridge and the host's loopback (CVE-2020-8558 class), on a bridge
# burrow-bridge did not create (as libvirt's virbr0 or lxcbr0): while a
# container publishes ports, a neighbour on the bridge and a container sending
# from 127/8 sources (127.0.0.53, 127.1.2.3) reach neither a host service bound
# to 127.0.0.1 nor one bound to the gateway; 127.0.0.1 forwards still work;
# after the last teardown route_localnet is back at the value found and the
# neighbour still reaches nothing; after `nft flush ruleset` the loopback
# forward is dead until `reload` brings it back with its guard.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns n
GW=10.82.0.1
# the bridge someone else made, with route_localnet off as the kernel makes it
in_host ip link add bwx0 type bridge || fail "make bwx0"
in_host ip link set bwx0 up
in_host sysctl -qw net.ipv4.conf.bwx0.route_localnet=0
# a neighbour on it that burrow-bridge knows nothing of (a VM on virbr0)
in_host ip link add bwxn type veth peer name eth0 netns "${T_ID}n" || fail "neighbour veth"
in_host ip link set bwxn master bwx0 up
in_ctr n ip addr add 10.82.0.50/24 dev eth0
in_ctr n ip link set eth0 up
# it sends to 127.0.0.0/8 through the bridge, as a hostile neighbour would
in_ctr n ip route del local 127.0.0.0/8 dev lo table local
in_ctr n sysctl -qw net.ipv4.conf.eth0.route_localnet=1
in_ctr n ip route add 127.0.0.0/8 via $GW dev eth0

NET=$(nv_net lg bwx0 10.82.0.0/24 $GW)
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att lg eth0 '"10.82.0.2"')" "$NET")
B=$(nv_opts bbbb '[]' "$(nv_att lg eth0 '"10.82.0.3"')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
# a setup that fails at its last step puts route_localnet back
out=$(BURROW_BRIDGE_FAIL=state nv_setup a "$A") && fail "injected failure ignored: $out"
expect_eq "route_localnet of bwx0 after a failed setup" 0 \
	"$(in_host cat /proc/sys/net/ipv4/conf/bwx0/route_localnet)"
out=$(nv_setup a "$A") || fail "setup a: $out"
out=$(nv_setup b "$B") || fail "setup b: $out"
expect_eq "route_localnet of bwx0 while a forwards from 127.0.0.1" 1 \
	"$(in_host cat /proc/sys/net/ipv4/conf/bwx0/route_localnet)"
serve a tcp 80
serve host tcp 9999 127.0.0.1
# a host service that trusts loopback sources, on the gateway address: it logs
# every datagram it gets
# (nsenter execs socat, so $! is the server itself, not a subshell around it)
nsenter --net="/run/netns/$HOST_NS" -- socat -u UDP-RECV:9998,bind=$GW \
	OPEN:"$T_TMP/spoofed",creat,append 2>/dev/null &
on_exit "kill $!; wait $!"
wait_up() { ask_until in_host tcp 127.0.0.1 9999 >/dev/null; }
wait_up || fail "host loopback service did not start"

# the loopback forward works (so route_localnet is in use), and is guarded
got=$(ask_until in_host tcp 127.0.0.1 8080) || fail "host -> 127.0.0.1:8080 got nothing"
[[ "$got" == "a "* ]] || fail "host -> 127.0.0.1:8080: '$got'"
ASK_CTR=n
ask in_c tcp 127.0.0.1 9999 | grep -q . && fail "neighbour reached a host loopback service while a runs"
ask in_c tcp 127.0.0.1 8080 | grep -q . && fail "neighbour reached the loopback forward while a runs"

# b spoofs loopback sources to the gateway (blind: no reply is needed)
in_ctr b sysctl -qw net.ipv4.conf.eth0.route_localnet=1
in_ctr b sysctl -qw net.ipv4.conf.eth0.arp_announce=2
in_ctr b ping -c1 -W1 $GW >/dev/null || fail "b cannot reach its gateway"
for src in 127.0.0.53 127.1.2.3; do
	echo "from $src" | in_ctr b socat -u - UDP:$GW:9998,bind=$src 2>/dev/null ||
		fail "b could not send from $src (the test cannot spoof)"
done
echo "from 10.82.0.3" | in_ctr b socat -u - UDP:$GW:9998 || fail "b cannot send to the gateway"
retry 30 grep -q "from 10.82.0.3" "$T_TMP/spoofed" || fail "the gateway service got nothing from b"
grep "from 127" "$T_TMP/spoofed" && fail "a 127/8 source from a container reached a host service"
# the same from the neighbour
in_ctr n sysctl -qw net.ipv4.conf.eth0.arp_announce=2
echo "from 127.0.0.53 n" | in_ctr n socat -u - UDP:$GW:9998,bind=127.0.0.53 2>/dev/null
sleep 0.3
grep "from 127" "$T_TMP/spoofed" && fail "a 127/8 source from the neighbour reached a host service"

# nft flush ruleset (a careless firewall reload): the loopback forward is
# dead until reload, and comes back with its guard
in_host nft flush ruleset
ask in_host tcp 127.0.0.1 8080 | grep -q . && fail "loopback forward works with the rules flushed"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
got=$(ask_until in_host tcp 127.0.0.1 8080) || fail "reload did not bring back 127.0.0.1:8080"
[[ "$got" == "a "* ]] || fail "after reload: '$got'"
ASK_CTR=n
ask in_c tcp 127.0.0.1 9999 | grep -q . && fail "neighbour reached a host loopback service after reload"

# the last container goes: route_localnet is back at 0, nothing is reachable
nv_teardown a "$A" >/dev/null || fail "teardown a"
# b stays on the bridge, but nothing there forwards from 127.0.0.1 any more
expect_eq "route_localnet of bwx0 once a left" 0 "$(in_host cat /proc/sys/net/ipv4/conf/bwx0/route_localnet)"
nv_teardown b "$B" >/dev/null || fail "teardown b"
settle
expect_eq "route_localnet of bwx0 after the last teardown" 0 \
	"$(in_host cat /proc/sys/net/ipv4/conf/bwx0/route_localnet)"
ask in_c tcp 127.0.0.1 9999 | grep -q . && fail "neighbour reached a host loopback service after teardown"
in_host ip link show bwx0 >/dev/null 2>&1 || fail "the bridge burrow-bridge did not make was deleted"
in_host nft list table inet burrow >/dev/null 2>&1 && fail "table left behind"
[ -z "$(find "$BR_CFG/burrow-bridge" -mindepth 2 ! -name lock 2>/dev/null)" ] ||
	fail "state left behind: $(find "$BR_CFG/burrow-bridge" -mindepth 2 ! -name lock)"

# a bridge found with route_localnet at 1 keeps it
in_host sysctl -qw net.ipv4.conf.bwx0.route_localnet=1
out=$(nv_setup a "$A") || fail "setup a again: $out"
nv_teardown a "$A" >/dev/null || fail "teardown a again"
expect_eq "route_localnet found at 1" 1 "$(in_host cat /proc/sys/net/ipv4/conf/bwx0/route_localnet)"
pass
