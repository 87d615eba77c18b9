#!/bin/bash
# burrow-bridge's netavark face and port_mappings: host_ip "0.0.0.0" forwards
# from every IPv4 address of the host and "::" from every IPv6 one (as Docker
# reads them; they were taken as literal addresses and nothing arrived); a
# range of 8,000 ports is set up and torn down (it failed with "nftables
# batch too large" past ~6,000); a conflict names the port that is taken, not
# the first port of the mapping.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b; ctr_ns c
NET=$(nv_net hnet bwh1 10.85.0.0/24 10.85.0.1 false '{}' fd85::/64 fd85::1)
PORTS='[{"host_ip":"0.0.0.0","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"},
 {"host_ip":"::","container_port":81,"host_port":8081,"range":1,"protocol":"tcp"},
 {"host_ip":"","container_port":20000,"host_port":20000,"range":8000,"protocol":"tcp"}]'
A=$(nv_opts aaaa "$PORTS" "$(nv_att hnet eth0 '"10.85.0.2","fd85::2"')" "$NET")
B=$(nv_opts bbbb '[{"host_ip":"","container_port":80,"host_port":8085,"range":10,"protocol":"udp"}]' \
	"$(nv_att hnet eth0 '"10.85.0.3","fd85::3"')" "$NET")
C=$(nv_opts cccc '[{"host_ip":"","container_port":80,"host_port":8090,"range":5,"protocol":"udp"}]' \
	"$(nv_att hnet eth0 '"10.85.0.4","fd85::4"')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'; nv_teardown c '$C'"
t0=$(date +%s%N)
out=$(nv_setup a "$A") || fail "setup with an 8,000-port range: $out"
t1=$(date +%s%N)
echo "setup with 8,002 forwarded ports (two families): $(((t1 - t0) / 1000000)) ms"
serve a tcp 80 ::
serve a tcp 81 ::
serve a tcp 27777 ::

got=$(ask_until in_remote tcp $HOST_IP4 8080) || fail "0.0.0.0:8080 not reachable on the host's IPv4 address"
[[ "$got" == "a "* ]] || fail "0.0.0.0:8080: '$got'"
got=$(ask_until in_host tcp 127.0.0.1 8080) || fail "0.0.0.0:8080 not reachable on 127.0.0.1"
ask in_remote tcp $HOST_IP6 8080 | grep -q . && fail "0.0.0.0:8080 reachable over IPv6"
got=$(ask_until in_remote tcp $HOST_IP6 8081) || fail ":::8081 not reachable on the host's IPv6 address"
[[ "$got" == "a "* ]] || fail ":::8081: '$got'"
ask in_remote tcp $HOST_IP4 8081 | grep -q . && fail ":::8081 reachable over IPv4"
got=$(ask_until in_remote tcp $HOST_IP4 27777) || fail "port 27777 of the range not reachable"
[[ "$got" == "a "* ]] || fail "range port 27777: '$got'"
n=$(in_host nft list map inet burrow fwd4any | grep -o ' : ' | wc -l)
[ "$n" -ge 8000 ] || fail "fwd4any holds $n elements, expected 8,000 and more"

# a conflict names the port that is taken (8090), not the mapping's first (8085)
out=$(nv_setup c "$C") || fail "setup c: $out"
out=$(nv_setup b "$B") && fail "overlapping range accepted: $out"
[[ "$out" == *'"error":"port_mappings[0]: host port 8090/udp already forwarded to container cccc'* ]] ||
	fail "conflict error: $out"
# the same inside one request
D=$(nv_opts dddd '[{"host_ip":"","container_port":80,"host_port":9005,"range":1,"protocol":"tcp"},
 {"host_ip":"","container_port":80,"host_port":9000,"range":10,"protocol":"tcp"}]' \
	"$(nv_att hnet eth0 '"10.85.0.5"')" "$NET")
out=$(nv_setup b "$D") && fail "overlapping mappings accepted: $out"
[[ "$out" == *'"error":"port_mappings[1]: host port 9005/tcp already forwarded by port_mappings[0]'* ]] ||
	fail "conflict error inside one request: $out"
# 0.0.0.0 and "" overlap; 0.0.0.0 and :: do not
E=$(nv_opts eeee '[{"host_ip":"0.0.0.0","container_port":80,"host_port":20005,"range":1,"protocol":"tcp"}]' \
	"$(nv_att hnet eth0 '"10.85.0.6"')" "$NET")
out=$(nv_setup b "$E") && fail "0.0.0.0:20005 accepted while every address forwards it: $out"
[[ "$out" == *'host port 20005/tcp already forwarded to container aaaa'* ]] || fail "0.0.0.0 conflict: $out"

t0=$(date +%s%N)
nv_teardown a "$A" >/dev/null || fail "teardown a"
t1=$(date +%s%N)
echo "teardown: $(((t1 - t0) / 1000000)) ms"
ask in_remote tcp $HOST_IP4 27777 | grep -q . && fail "range still forwarded after teardown"
nv_teardown c "$C" >/dev/null || fail "teardown c"
no_trace
pass
