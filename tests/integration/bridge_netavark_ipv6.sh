#!/bin/bash
# burrow-bridge on a dual-stack network: IPv6 between containers, to the remote
# peer (masqueraded as the host), and an IPv6 port forward from the remote
# peer that keeps the client's address.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b
NET=$(nv_net v6net bw2 10.79.0.0/24 10.79.0.1 false '{}' fd00:79::/64 fd00:79::1)
PORTS='[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]'
A=$(nv_opts aaaa "$PORTS" "$(nv_att v6net eth0 '"10.79.0.2","fd00:79::2"')" "$NET")
B=$(nv_opts bbbb '[]' "$(nv_att v6net eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
out=$(nv_setup a "$A") || fail "setup a: $out"
[[ "$out" == *'"ipnet":"fd00:79::2/64","gateway":"fd00:79::1"'* ]] || fail "status block: $out"
out=$(nv_setup b "$B") || fail "setup b: $out"
[[ "$out" == *'"ipnet":"fd00:79::3/64"'* ]] || fail "b did not get the next IPv6 address: $out"

in_ctr a ip -6 addr show dev eth0 | grep -q tentative && fail "address still tentative (DAD not off)"
retry 30 in_ctr a ping -6 -c1 -W1 -q fd00:79::3 >/dev/null || fail "a cannot reach b over IPv6"
in_ctr b ip -6 route show default | grep -q "via fd00:79::1" || fail "no IPv6 default route in b"
serve remote tcp 7006 "$REMOTE_FAR6"
ASK_CTR=b
got=$(ask_until in_c tcp "$REMOTE_FAR6" 7006) || fail "b cannot reach the remote peer over IPv6"
# socat prints IPv6 addresses in full
expect_eq "IPv6 masqueraded source" "remote [2001:0db8:0001:0000:0000:0000:0000:0001]" "$got"

serve a tcp 80 ::
got=$(ask_until in_remote tcp "$HOST_IP6" 8080) || fail "remote -> [host]:8080 got nothing"
expect_eq "IPv6 forward keeps the client" "a [2001:0db8:0001:0000:0000:0000:0000:0002]" "$got"
got=$(ask_until in_remote tcp "$HOST_IP4" 8080) || fail "remote -> host:8080 (IPv4) got nothing"
[[ "$got" == "a "*"c633:6402]" ]] || fail "IPv4 forward on the same container: '$got'"

nv_teardown a "$A" >/dev/null || fail "teardown a"
nv_teardown b "$B" >/dev/null || fail "teardown b"
no_trace
pass
