#!/bin/bash
# burrow-dns caches forwarded answers: the second query for a name is
# answered without reaching the upstream, with the TTL lowered by the time
# the answer was kept, whatever the case of the name; an expired answer is
# asked again; NXDOMAIN with an SOA is kept for the SOA's time (RFC 2308);
# answers are kept per upstream set; an internal network still gets REFUSED
# for a name the cache holds (CVE-2024-29018); a changed resolv.conf empties
# the cache.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns "peer.test=$REMOTE_FAR4"
# a second resolver with short TTLs and SOAs in negative answers, on 127.0.0.2
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.2 -p 53 -t 4 -S \
	-L "$T_TMP/stub2.log" "short.test=192.0.2.80" "peer.test=192.0.2.77" &
s2=$!
on_exit "kill $s2; wait $s2"
retry 50 test -s "$T_TMP/stub2.log" || fail "second stubdns did not start"
ctr_ns p; ctr_ns q; ctr_ns s; ctr_ns i
NP=$(dns_net pnet bwc0 10.87.0.0/24 10.87.0.1)
NS=$(dns_net snet bwc1 10.88.0.0/24 10.88.0.1 false '"network_dns_servers":["127.0.0.2"]')
NI=$(dns_net inet bwc2 10.89.0.0/24 10.89.0.1 true)
P=$(dns_opts pppp pee "$(dns_att pnet '"10.87.0.2"' '')" "$NP")
Q=$(dns_opts qqqq queue "$(dns_att pnet '"10.87.0.3"' '')" "$NP")
S=$(dns_opts ssss ess "$(dns_att snet '"10.88.0.2"' '')" "$NS")
I=$(dns_opts iiii eye "$(dns_att inet '"10.89.0.2"' '')" "$NI")
dns_setup p q s i

# asked LOG NAME: how many A queries for NAME reached the stub writing LOG
asked() { grep -c " A $2 " "$1"; }
S1="$T_TMP/stubdns.log"; S2="$T_TMP/stub2.log"

# the first query goes upstream, with the upstream's TTL
expect_q "first answer" "$REMOTE_FAR4 60" p 10.87.0.1 peer.test -l
expect_eq "first query upstream" 1 "$(asked "$S1" peer.test)"
# the next ones come from the cache, their TTL lower as time passes
for ((n = 0; n < 40; n++)); do
	got=$(q p 10.87.0.1 peer.test -l)
	[ "$got" != "$REMOTE_FAR4 60" ] && break
	sleep 0.1
done
[[ "$got" =~ ^$REMOTE_FAR4\ (5[0-9])$ ]] || fail "cached answer: expected TTL 50-59, got '$got'"
expect_q "another container, mixed case" "$REMOTE_FAR4" q 10.87.0.1 PEER.Test
expect_q "over TCP" "$REMOTE_FAR4" q 10.87.0.1 peer.test -t
expect_eq "answered from the cache" 1 "$(asked "$S1" peer.test)"

# another upstream set, another answer: not the cached one
expect_q "network resolvers" "192.0.2.77 4" s 10.88.0.1 peer.test -l
expect_eq "other upstream asked" 1 "$(asked "$S2" peer.test)"

# an internal network never gets a forwarded answer, cached or not
expect_q "internal: refused" "REFUSED" i 10.89.0.1 peer.test
expect_q "internal: over TCP too" "REFUSED" i 10.89.0.1 peer.test -t
expect_q "internal: own name" "10.89.0.2" i 10.89.0.1 eye

# a 4 s TTL: kept, then asked again once it ran out
expect_q "short TTL" "192.0.2.80 4" s 10.88.0.1 short.test -l
t0=$(date +%s%N)
expect_q "short TTL, cached" "192.0.2.80" s 10.88.0.1 short.test
(( ($(date +%s%N) - t0) / 1000000 < 3500 )) &&
	expect_eq "short TTL, from the cache" 1 "$(asked "$S2" short.test)"
before=$(asked "$S2" short.test)
sleep 4.2
expect_q "short TTL, expired" "192.0.2.80 4" s 10.88.0.1 short.test -l
expect_eq "expired: asked again" $((before + 1)) "$(asked "$S2" short.test)"

# NXDOMAIN with an SOA: kept for min(SOA TTL, MINIMUM) = 4 s
expect_q "negative" "NXDOMAIN" s 10.88.0.1 nothere.test
expect_q "negative, cached" "NXDOMAIN" s 10.88.0.1 NoThere.test
expect_eq "negative answer kept" 1 "$(asked "$S2" nothere.test)"
# without an SOA (the first stub): never kept
expect_q "negative without SOA" "NXDOMAIN" p 10.87.0.1 nothere.test
expect_q "negative without SOA, again" "NXDOMAIN" p 10.87.0.1 nothere.test
expect_eq "negative without SOA: asked twice" 2 "$(asked "$S1" nothere.test)"

# a changed resolv.conf empties the cache (checked once a second)
printf '# changed\nnameserver 127.0.0.1\n' > "$BURROW_RESOLV_CONF.new"
mv "$BURROW_RESOLV_CONF.new" "$BURROW_RESOLV_CONF"
for ((n = 0; n < 30; n++)); do
	expect_q "after resolv.conf changed" "$REMOTE_FAR4" p 10.87.0.1 peer.test
	[ "$(asked "$S1" peer.test)" = 2 ] && break
	sleep 0.5
done
expect_eq "resolv.conf change: asked again" 2 "$(asked "$S1" peer.test)"

dns_finish p q s i
