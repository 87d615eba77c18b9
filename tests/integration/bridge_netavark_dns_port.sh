#!/bin/bash
# burrow-bridge's netavark face with NETAVARK_DNS_PORT, as netavark takes it
# (Podman's dns_bind_port): burrow-dns listens on the gateway's port N, not
# 53; the gateway's port 53 is DNATed to it for UDP and TCP, so containers
# still ask GATEWAY:53; reload puts the DNAT back after a firewall reload;
# the DNAT goes with the network's last container; a
# value that is not a port is refused in netavark's words, with nothing set
# up.  Unset, burrow-dns is on 53 as before.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
ctr_ns a; ctr_ns b
N1=$(dns_net pnet bwp0 10.83.0.0/24 10.83.0.1)
A=$(dns_opts aaaa web "$(dns_att pnet '"10.83.0.2"' '')" "$N1")
B=$(dns_opts bbbb db "$(dns_att pnet '"10.83.0.3"' '')" "$N1")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"

# listens PROTO ADDR:PORT: whether a socket of the sandbox host is bound there
listens() {
	local opt=-Hltn
	[ "$1" = udp ] && opt=-Hlun
	in_host ss $opt "src $2" | grep -q .
}
# dnat_elems: the DNS DNAT elements in our table (gateway . proto . 53)
dnat_elems() { in_host nft list map inet burrow fwd4 2>/dev/null | grep -c "10.83.0.1 . [a-z]* . 53 :"; }

for v in abc 70000 "" -1 0; do
	out=$(NETAVARK_DNS_PORT=$v nv_setup a "$A") && fail "NETAVARK_DNS_PORT='$v' accepted"
	[[ "$out" == *"Invalid NETAVARK_DNS_PORT $v: "* ]] || fail "NETAVARK_DNS_PORT='$v': $out"
	no_trace
done
out=$(NETAVARK_DNS_PORT=abc nv_setup a "$A")
[[ "$out" == *"invalid digit found in string"* ]] || fail "netavark's words: $out"

out=$(NETAVARK_DNS_PORT=5353 nv_setup a "$A") || fail "setup a: $out"
[[ "$out" == *'"dns_server_ips":["10.83.0.1"]'* ]] || fail "the DNS server is still the gateway: $out"
out=$(NETAVARK_DNS_PORT=5353 nv_setup b "$B") || fail "setup b: $out"
listens udp 10.83.0.1:5353 || fail "burrow-dns not on UDP 10.83.0.1:5353"
listens tcp 10.83.0.1:5353 || fail "burrow-dns not on TCP 10.83.0.1:5353"
listens udp 10.83.0.1:53 && fail "burrow-dns still on port 53"
expect_eq "DNAT elements for UDP and TCP" 2 "$(dnat_elems)"
expect_q "b finds web through GATEWAY:53 (UDP)" "10.83.0.2" b 10.83.0.1 web
expect_q "b finds web through GATEWAY:53 (TCP)" "10.83.0.2" b 10.83.0.1 web -t
expect_q "a finds db on the port itself" "10.83.0.3" a 10.83.0.1 db -p 5353
# a firewall reload loses the table; reload rebuilds the DNAT from the record
in_host nft delete table inet burrow
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
expect_eq "DNAT elements after reload" 2 "$(dnat_elems)"
expect_q "b finds web through GATEWAY:53 after reload" "10.83.0.2" b 10.83.0.1 web
nv_teardown b "$B" >/dev/null || fail "teardown b"
expect_eq "the DNAT stays while the network has containers" 2 "$(dnat_elems)"
expect_q "a still served through 53" "10.83.0.2" a 10.83.0.1 web
nv_teardown a "$A" >/dev/null || fail "teardown a"
dns_gone
no_trace

# unset: port 53, no DNAT
out=$(nv_setup a "$A") || fail "setup a without NETAVARK_DNS_PORT: $out"
listens udp 10.83.0.1:53 || fail "burrow-dns not on 10.83.0.1:53 by default"
expect_eq "no DNAT element on port 53" 0 "$(dnat_elems)"
expect_q "a finds itself" "10.83.0.2" a 10.83.0.1 web
nv_teardown a "$A" >/dev/null || fail "teardown a"
dns_gone
no_trace
pass
