#!/bin/bash
# burrow-dns over TCP: several queries on one connection (aardvark #605 took
# one per connection), local and forwarded ones mixed, all answered; a query
# cut short and followed by RST or EOF (CVE-2026-35406 sent aardvark-dns
# into a 100% CPU loop) just closes that connection: the daemon keeps
# answering and does not spin; one client gets at most 32 connections.  An outside answer too long for UDP reaches a
# TCP client whole (asked again over TCP upstream), a UDP client truncated.  Also IPv6: a dual-stack network is served on
# both gateways, AAAA included.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
many=()
for i in $(seq 1 40); do many+=("many.test=2001:db8:5::$i"); done
sandbox_dns "peer.test=$REMOTE_FAR4" "peer.test=$REMOTE_FAR6" "${many[@]}"
ctr_ns a; ctr_ns b
NET=$(dns_net tnet bwd0 10.86.0.0/24 10.86.0.1 false '' fd00:86::/64 fd00:86::1)
A=$(dns_opts aaaa alpha "$(dns_att tnet '"10.86.0.2","fd00:86::2"' '"first"')" "$NET")
B=$(dns_opts bbbb beta "$(dns_att tnet '"10.86.0.3","fd00:86::3"' '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
out=$(nv_setup a "$A") || fail "setup a: $out"
[[ "$out" == *'"dns_server_ips":["10.86.0.1","fd00:86::1"]'* ]] || fail "DNS servers in status: $out"
out=$(nv_setup b "$B") || fail "setup b: $out"
pid=$(dns_pid)
# capabilities: only CAP_NET_BIND_SERVICE (bit 10) is left
expect_eq "effective capabilities" "0000000000000400" "$(awk '/^CapEff/ {print $2}' "/proc/$pid/status")"
expect_eq "bounding set" "0000000000000400" "$(awk '/^CapBnd/ {print $2}' "/proc/$pid/status")"

# IPv6
expect_q "AAAA over IPv6" "fd00:86::3" a fd00:86::1 beta -T AAAA
expect_q "A over IPv6" "10.86.0.3" a fd00:86::1 beta
expect_q "IPv6 over TCP" "fd00:86::2" b fd00:86::1 first.dns.podman -T AAAA -t

# pipelined: 8 queries in one write, one connection
got=$(in_ctr a timeout 10 "$TOOLS/dnsload" -t 10.86.0.1 beta alpha peer.test first \
	nobody.dns.podman beta.dns.podman peer.test nowhere.test | tr '\n' ' ')
expect_eq "pipelined answers" "beta 10.86.0.3 alpha 10.86.0.2 peer.test $REMOTE_FAR4 first 10.86.0.2 nobody.dns.podman NXDOMAIN beta.dns.podman 10.86.0.3 peer.test $REMOTE_FAR4 nowhere.test NXDOMAIN " "$got"

# bounded: 32 connections from one client, the rest closed unanswered
expect_eq "connections per client" "answered 32 of 40" \
	"$(in_ctr a timeout 20 "$TOOLS/dnsload" -C 40 10.86.0.1 beta 2>/dev/null)"
expect_q "a new connection after those" "10.86.0.3" a 10.86.0.1 beta -t

# an answer too long for UDP
n=$(in_ctr a timeout 10 "$TOOLS/dnsq" -t -T AAAA 10.86.0.1 many.test | grep -c '^2001:db8:5::')
expect_eq "long answer over TCP" 40 "$n"
expect_q "long answer over UDP" "TRUNCATED" a 10.86.0.1 many.test -T AAAA

# cut queries followed by RST or EOF, many times
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu)
for i in $(seq 1 20); do
	in_ctr a "$TOOLS/dnsload" -R 10.86.0.1 || fail "cut query + RST ($i)"
	in_ctr b "$TOOLS/dnsload" -E fd00:86::1 || fail "cut query + EOF ($i)"
done
expect_q "answers after RST/EOF" "10.86.0.3" a 10.86.0.1 beta -t
expect_q "answers after RST/EOF, UDP" "10.86.0.2" b 10.86.0.1 alpha
sleep 2
after=$(cpu)
# 40 cut connections and a few queries cost a few ticks; a spinning loop
# would burn ~400 (2 s and more at 100 ticks/s)
[ $((after - before)) -lt 60 ] || fail "burrow-dns used $((after - before)) CPU ticks: spinning?"
dns_alive "$pid" || fail "burrow-dns died"
# no connection left open in the daemon
n=$(ls -l "/proc/$pid/fd" 2>/dev/null | grep -c socket)
[ "$n" -le 12 ] || fail "burrow-dns holds $n sockets after the clients left"

nv_teardown a "$A" >/dev/null || fail "teardown a"
nv_teardown b "$B" >/dev/null || fail "teardown b"
dns_gone
no_trace
pass
