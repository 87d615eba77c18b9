#!/bin/bash
# burrow-dns through burrow-bridge (netavark face): two containers on one
# dns_enabled network resolve each other by name, NAME.dns.podman and alias,
# over UDP and TCP, and an outside name through the sandbox's stub resolver
# (127.0.0.1: fine, the daemon runs in the host namespace); a container on
# another network learns none of those names and gets REFUSED from the first
# network's gateway; the status block names the gateway and dns.podman; one
# daemon serves both networks and is gone, with its files, after the last
# teardown.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
ctr_ns a; ctr_ns b; ctr_ns c
N1=$(dns_net dnet bwd0 10.81.0.0/24 10.81.0.1)
N2=$(dns_net onet bwd1 10.82.0.0/24 10.82.0.1)
A=$(dns_opts aaaa web "$(dns_att dnet '"10.81.0.2"' '"webalias","aaaa"')" "$N1")
B=$(dns_opts bbbb db "$(dns_att dnet '"10.81.0.3"' '"bbbb"')" "$N1")
C=$(dns_opts cccc other "$(dns_att onet '"10.82.0.2"' '')" "$N2")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'; nv_teardown c '$C'"

out=$(nv_setup a "$A") || fail "setup a: $out"
[[ "$out" == *'"dns_search_domains":["dns.podman"]'* ]] || fail "no search domain in status: $out"
[[ "$out" == *'"dns_server_ips":["10.81.0.1"]'* ]] || fail "no DNS server in status: $out"
pid=$(dns_pid); [ -n "$pid" ] || fail "no burrow-dns pid file after setup"
out=$(nv_setup b "$B") || fail "setup b: $out"
out=$(nv_setup c "$C") || fail "setup c: $out"
expect_eq "one daemon for every network" "$pid" "$(dns_pid)"

# names on the same network (listening before setup returned: no retries)
expect_q "a finds db" "10.81.0.3" a 10.81.0.1 db
expect_q "b finds web" "10.81.0.2" b 10.81.0.1 web
expect_q "b finds web.dns.podman" "10.81.0.2" b 10.81.0.1 web.dns.podman
expect_q "b finds the alias" "10.81.0.2" b 10.81.0.1 WebAlias
expect_q "a finds itself" "10.81.0.2" a 10.81.0.1 aaaa
expect_q "no AAAA on an IPv4 network" "" a 10.81.0.1 db -T AAAA
expect_q "unknown name under dns.podman" "NXDOMAIN" a 10.81.0.1 nobody.dns.podman
expect_q "TCP" "10.81.0.3" a 10.81.0.1 db -t
# outside names go to the stub resolver on the host's 127.0.0.1
expect_q "outside name" "$REMOTE_FAR4" a 10.81.0.1 peer.test
expect_q "outside name over TCP" "$REMOTE_FAR4" b 10.81.0.1 peer.test -t
expect_q "outside unknown name" "NXDOMAIN" a 10.81.0.1 nowhere.test
# a resolver that is not ours finds them too (busybox nslookup, PTR included)
out=$(in_ctr a busybox nslookup db 10.81.0.1 2>&1) || fail "nslookup db: $out"
[[ "$out" == *"10.81.0.3"* ]] || fail "nslookup db: $out"
out=$(in_ctr a busybox nslookup 10.81.0.3 10.81.0.1 2>&1) || fail "nslookup PTR: $out"
[[ "$out" == *"db.dns.podman"* ]] || fail "PTR of 10.81.0.3: $out"

# the other network: its own names only
expect_q "c finds itself" "10.82.0.2" c 10.82.0.1 other
expect_q "c does not learn web" "NXDOMAIN" c 10.82.0.1 web.dns.podman
expect_q "c does not learn db" "NXDOMAIN" c 10.82.0.1 db
expect_q "c asking dnet's gateway" "REFUSED" c 10.81.0.1 web
expect_q "a does not learn other" "NXDOMAIN" a 10.81.0.1 other.dns.podman

# teardown: names go with their containers; the daemon goes with the last
nv_teardown b "$B" >/dev/null || fail "teardown b"
# at once: teardown waits for the daemon's reload, and the bridge keeps its
# MAC when a port leaves (a's neighbour entry for the gateway stays right)
expect_q "db gone" "NXDOMAIN" a 10.81.0.1 db.dns.podman
nv_teardown a "$A" >/dev/null || fail "teardown a"
expect_q "c still served" "10.82.0.2" c 10.82.0.1 other
expect_eq "same daemon" "$pid" "$(dns_pid)"
nv_teardown c "$C" >/dev/null || fail "teardown c"
dns_gone
dns_alive "$pid" && fail "burrow-dns $pid still running"
no_trace
pass
