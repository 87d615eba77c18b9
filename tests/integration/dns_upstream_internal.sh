#!/bin/bash
# burrow-dns forwarding: an internal network answers its own names but never
# sends a query upstream (REFUSED; CVE-2024-29018 was Docker leaking these
# through the host's loopback resolver); a network's own network_dns_servers
# and a container's dns_servers are used instead of resolv.conf; a changed
# resolv.conf is picked up without a restart; a silent upstream gives
# SERVFAIL, not a hang.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns "peer.test=$REMOTE_FAR4" "leak.test=192.0.2.66"
# a second resolver with other answers, on 127.0.0.2
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.2 -p 53 \
	-L "$T_TMP/stub2.log" "peer.test=192.0.2.77" "only2.test=192.0.2.78" &
s2=$!
on_exit "kill $s2; wait $s2"
retry 50 test -s "$T_TMP/stub2.log" || fail "second stubdns did not start"
ctr_ns i; ctr_ns n; ctr_ns p; ctr_ns s
NI=$(dns_net inet bwd0 10.83.0.0/24 10.83.0.1 true)
NN=$(dns_net nnet bwd1 10.84.0.0/24 10.84.0.1 false '"network_dns_servers":["127.0.0.2"]')
NP=$(dns_net pnet bwd2 10.85.0.0/24 10.85.0.1)
I=$(dns_opts iiii intern "$(dns_att inet '"10.83.0.2"' '')" "$NI")
N=$(dns_opts nnnn netdns "$(dns_att nnet '"10.84.0.2"' '')" "$NN")
P=$(dns_opts pppp ctrdns "$(dns_att pnet '"10.85.0.2"' '')" "$NP" '"127.0.0.2"')
S=$(dns_opts ssss plain "$(dns_att pnet '"10.85.0.3"' '')" "$NP")
dns_setup i n p s

# internal: own names yes, nothing upstream
expect_q "internal: own name" "10.83.0.2" i 10.83.0.1 intern
expect_q "internal: own name, FQDN" "10.83.0.2" i 10.83.0.1 intern.dns.podman
expect_q "internal: outside name refused" "REFUSED" i 10.83.0.1 leak.test
expect_q "internal: over TCP too" "REFUSED" i 10.83.0.1 leak.test -t
grep -q leak.test "$T_TMP/stubdns.log" "$T_TMP/stub2.log" &&
	fail "an internal network's query reached an upstream resolver"

# network_dns_servers, then the container's own dns_servers, else resolv.conf
expect_q "network resolvers" "192.0.2.77" n 10.84.0.1 peer.test
expect_q "container resolvers" "192.0.2.77" p 10.85.0.1 peer.test
expect_q "resolv.conf for the others" "$REMOTE_FAR4" s 10.85.0.1 peer.test
expect_q "local names before upstream" "10.85.0.2" s 10.85.0.1 ctrdns

# resolv.conf changes are seen (checked once a second)
echo "nameserver 127.0.0.2" > "$BURROW_RESOLV_CONF.new"
mv "$BURROW_RESOLV_CONF.new" "$BURROW_RESOLV_CONF"
expect_q_until "resolv.conf re-read" "192.0.2.78" s 10.85.0.1 only2.test

# an upstream that never answers: SERVFAIL after the retries, daemon fine
echo "nameserver 127.0.0.9" > "$BURROW_RESOLV_CONF.new"
mv "$BURROW_RESOLV_CONF.new" "$BURROW_RESOLV_CONF"
sleep 1.2
got=$(in_ctr s timeout 10 "$TOOLS/dnsq" -t 10.85.0.1 peer.test 2>&1)
expect_eq "silent upstream" "SERVFAIL" "$got"
expect_q "still answering" "10.85.0.3" s 10.85.0.1 plain

dns_finish i n p s
