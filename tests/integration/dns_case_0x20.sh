#!/bin/bash
# burrow-dns 0x20: forwarded queries carry the question name in random case
# (the upstream's log shows the name as asked); the client gets its answer
# with the name in its own case; an upstream that answers in lower case
# (does not keep the case) still answers every query: burrow-dns drops the
# mismatching answer, asks again without 0x20, and after three such answers
# asks it without 0x20 straight away.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
KL="$T_TMP/keep.log"; FL="$T_TMP/fold.log"
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.2 -p 53 -P -L "$KL" \
	"peer.test=$REMOTE_FAR4" &
k=$!
on_exit "kill $k; wait $k"
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.3 -p 53 -P -C -L "$FL" \
	"peer.test=$REMOTE_FAR4" &
f=$!
on_exit "kill $f; wait $f"
retry 50 test -s "$KL" || fail "stubdns (keeps case) did not start"
retry 50 test -s "$FL" || fail "stubdns (folds case) did not start"
ctr_ns k; ctr_ns f
NK=$(dns_net knet bwc0 10.87.80.0/24 10.87.80.1 false '"network_dns_servers":["127.0.0.2"]')
NF=$(dns_net fnet bwc1 10.87.81.0/24 10.87.81.1 false '"network_dns_servers":["127.0.0.3"]')
K=$(dns_opts kkkk keeper "$(dns_att knet '"10.87.80.2"' '')" "$NK")
F=$(dns_opts ffff folder "$(dns_att fnet '"10.87.81.2"' '')" "$NF")
dns_setup k f

expect_q "answer in the client's case" "Q PeEr.TeSt $REMOTE_FAR4" k 10.87.80.1 PeEr.TeSt -Q
# 20 fresh names of 16 letters: sent in random case, never as written
for ((i = 0; i < 20; i++)); do
	expect_q "fresh name $i" "NXDOMAIN" k 10.87.80.1 "abcdefghijklmnop$i.test"
done
mixed=$(grep -c ' asked [a-zA-Z]*[A-Z][a-zA-Z]*[0-9]*\.[a-zA-Z]*' "$KL")
lower=$(grep -c ' asked abcdefghijklmnop[0-9]*\.test ' "$KL")
echo "0x20: $mixed of 21 names asked in mixed case, $lower as written"
((mixed >= 20 && lower == 0)) || fail "names not sent in random case ($mixed mixed, $lower lower)"

# an upstream that folds case: answered all the same
for ((i = 0; i < 6; i++)); do
	expect_q "case-folding upstream, name $i" "NXDOMAIN" f 10.87.81.1 "qrstuvwxyz$i.test"
done
expect_q "case-folding upstream, client's case" "Q Peer.TEST $REMOTE_FAR4" f 10.87.81.1 Peer.TEST -Q
asked() { grep -c " A qrstuvwxyz$1\.test " "$FL"; }
expect_eq "first name: asked with 0x20, then without" 2 "$(asked 0)"
expect_eq "after three mismatches: asked once, without 0x20" 1 "$(asked 5)"
grep -q ' asked qrstuvwxyz5\.test ' "$FL" || fail "fifth name not asked as the client wrote it"
dns_finish k f
