#!/bin/bash
# burrow-bridge port forwards (netavark face): TCP, UDP and a range reach the
# container from the remote peer (source address kept), from the host by its
# address and by 127.0.0.1, and from containers on the bridge (hairpin); a
# 127.0.0.1-only forward is not reachable from the remote peer nor from a
# neighbour container (CVE-2020-8558), and a taken host port is refused.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns c
NET=$(nv_net pnet bw1 10.78.0.0/24 10.78.0.1)
PORTS='[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"},
 {"host_ip":"","container_port":81,"host_port":8081,"range":3,"protocol":"tcp"},
 {"host_ip":"","container_port":5353,"host_port":5353,"range":1,"protocol":"udp"},
 {"host_ip":"127.0.0.1","container_port":80,"host_port":9090,"range":1,"protocol":"tcp"}]'
A=$(nv_opts aaaa "$PORTS" "$(nv_att pnet eth0 '"10.78.0.2"')" "$NET")
B=$(nv_opts bbbb '[]' "$(nv_att pnet eth0 '"10.78.0.3"')" "$NET")
C=$(nv_opts cccc '[{"host_ip":"","container_port":80,"host_port":8082,"range":1,"protocol":"tcp"}]' \
	"$(nv_att pnet eth0 '"10.78.0.4"')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'; nv_teardown c '$C'"
out=$(nv_setup a "$A") || fail "setup a: $out"
out=$(nv_setup b "$B") || fail "setup b: $out"

serve a tcp 80; serve a tcp 81; serve a tcp 82; serve a tcp 83; serve a udp 5353

# from the remote peer: the client's address is kept (DNAT, no proxy)
got=$(ask_until in_remote tcp "$HOST_IP4" 8080) || fail "remote -> host:8080 got nothing"
expect_eq "remote through forward" "a $REMOTE_IP4" "$got"
for p in 8081 8082 8083; do
	got=$(ask_until in_remote tcp "$HOST_IP4" $p) || fail "remote -> host:$p (range) got nothing"
	expect_eq "range port $p" "a $REMOTE_IP4" "$got"
done
got=$(ask_until in_remote udp "$HOST_IP4" 5353) || fail "remote -> host:5353/udp got nothing"
expect_eq "udp forward" "a $REMOTE_IP4" "$got"
# from the host itself: its own address and the loopback address
got=$(ask_until in_host tcp "$HOST_IP4" 8080) || fail "host -> own address:8080 got nothing"
[[ "$got" == "a "* ]] || fail "host -> own address: '$got'"
got=$(ask_until in_host tcp 127.0.0.1 8080) || fail "host -> 127.0.0.1:8080 got nothing"
[[ "$got" == "a "* ]] || fail "host -> 127.0.0.1:8080: '$got'"
got=$(ask_until in_host tcp 127.0.0.1 9090) || fail "host -> 127.0.0.1:9090 got nothing"
[[ "$got" == "a "* ]] || fail "host -> 127.0.0.1:9090: '$got'"
# hairpin: a neighbour and the container itself through the host's address
ASK_CTR=b
got=$(ask_until in_c tcp "$HOST_IP4" 8080) || fail "b -> host:8080 (hairpin) got nothing"
[[ "$got" == "a "* ]] || fail "hairpin from b: '$got'"
ASK_CTR=a
got=$(ask_until in_c tcp "$HOST_IP4" 8080) || fail "a -> host:8080 (own port) got nothing"
[[ "$got" == "a "* ]] || fail "hairpin to itself: '$got'"

# the loopback-only forward stays loopback-only
ask in_remote tcp "$HOST_IP4" 9090 | grep -q . && fail "127.0.0.1:9090 forward reachable from the remote peer"
serve host tcp 9999 127.0.0.1
got=$(ask_until in_host tcp 127.0.0.1 9999) || fail "host loopback service did not start"
# b sends to 127.0.0.1 through the bridge (as a hostile neighbour would)
in_ctr b ip route del local 127.0.0.0/8 dev lo table local
in_ctr b sysctl -qw net.ipv4.conf.eth0.route_localnet=1
in_ctr b ip route add 127.0.0.0/8 via 10.78.0.1 dev eth0
ASK_CTR=b
ask in_c tcp 127.0.0.1 9090 | grep -q . && fail "neighbour reached the 127.0.0.1-only forward"
ask in_c tcp 127.0.0.1 9999 | grep -q . && fail "neighbour reached a host loopback service"

# a host port already forwarded is refused, naming the field; nothing changes
before=$(in_host nft list table inet burrow)
out=$(nv_setup c "$C") && fail "second forward of 8082 accepted: $out"
[[ "$out" == *'"error":"port_mappings[0]: host port 8082/tcp already forwarded'* ]] ||
	fail "conflict error: $out"
expect_eq "table unchanged by the refused setup" "$before" "$(in_host nft list table inet burrow)"
in_ctr c ip link show eth0 >/dev/null 2>&1 && fail "refused setup left eth0 in c"

nv_teardown a "$A" >/dev/null || fail "teardown a"
ask in_remote tcp "$HOST_IP4" 8080 | grep -q . && fail "forward still works after teardown"
nv_teardown b "$B" >/dev/null || fail "teardown b"
no_trace
pass
