#!/bin/bash
# burrow-dns against cache poisoning (adversarial tier).  The upstream is a
# stub on the remote peer that never answers names under slow.test.  A
# container with CAP_NET_RAW learns burrow-dns's forwarding ports the way a
# container can (its own dns_servers point at itself, and it notes the
# source ports of the queries burrow-dns forwards to it), then sprays forged
# answers for victim.slow.test -- source the upstream's address and port 53,
# every query ID at every learnt port -- while a container on its network
# keeps asking for that name.  Nothing forged is served, neither to the
# asker nor afterwards from the cache (on this or another network); other
# names keep being answered during the flood; 200 forwarded queries leave
# from at least 100 distinct source ports (logged by the stub); no fds leak.
# The host is made as easy to spoof as it gets: reverse-path filtering off.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
[ -x "$TOOLS/dnsspoof" ] || fail "dnsspoof not built"
FORGED=203.0.113.66
sandbox_net
sandbox_dns
UPLOG="$T_TMP/upstream.log"
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/stubdns" -l "$REMOTE_FAR4" -p 53 -P \
	-N slow.test -L "$UPLOG" "peer.test=$REMOTE_FAR4" &
up=$!
on_exit "kill $up; wait $up"
retry 50 test -s "$UPLOG" || fail "upstream stubdns did not start"
ctr_ns v; ctr_ns x; ctr_ns o
UP="\"network_dns_servers\":[\"$REMOTE_FAR4\"]"
NA=$(dns_net anet bwsp0 10.87.40.0/24 10.87.40.1 false "$UP")
NB=$(dns_net bnet bwsp1 10.87.41.0/24 10.87.41.1 false "$UP")
V=$(dns_opts vvvv victim "$(dns_att anet '"10.87.40.2"' '')" "$NA")
# the attacker's own resolver is itself: that is how it learns ports
X=$(dns_opts xxxx attacker "$(dns_att anet '"10.87.40.3"' '')" "$NA" '"10.87.40.3"')
O=$(dns_opts oooo other "$(dns_att bnet '"10.87.41.2"' '')" "$NB")
dns_setup v x o
for k in all default bwsp0 bwsp1; do in_host sysctl -qw net.ipv4.conf.$k.rp_filter=0; done
expect_q "forwarding works" "$REMOTE_FAR4" v 10.87.40.1 peer.test
pid=$(dns_pid)
fds0=$(ls /proc/"$pid"/fd | wc -l)
rss() { awk '/^VmRSS/ {print $2}' /proc/"$pid"/status; }
rss0=$(rss)

# 200 forwarded queries, 200 names: their source ports
names=(); for ((i = 0; i < 200; i++)); do names+=("p$i.ports.test"); done
in_ctr v timeout 30 "$TOOLS/dnsload" -u -n 200 -w 8 10.87.40.1 "${names[@]}" >/dev/null ||
	fail "200 forwarded queries not all answered"
nq=$(grep -c ' A p[0-9]*\.ports\.test .* from ' "$UPLOG")
np=$(grep ' A p[0-9]*\.ports\.test .* from ' "$UPLOG" | sed 's/.*#//' | sort -u | wc -l)
[ "$nq" -ge 200 ] || fail "the upstream saw $nq of 200 queries"
echo "source ports: $np distinct of $nq forwarded queries"
[ "$np" -ge 100 ] || fail "200 forwarded queries used only $np distinct source ports"

# the flood, with victim queries in flight all along (each waits 4.5 s for
# an upstream that never answers, then gets SERVFAIL)
in_ctr x timeout 30 "$TOOLS/dnsspoof" -l 10.87.40.3 -g 10.87.40.1 -k 64 \
	-s "$REMOTE_FAR4" -d "$HOST_IP4" -n victim.slow.test -a "$FORGED" -t 3600 -T 12 \
	> "$T_TMP/spoof.out" 2>&1 &
spoofer=$!
on_exit "kill $spoofer 2>/dev/null"
askers=()
for ((w = 0; w < 10; w++)); do
	for ((j = 0; j < 8; j++)); do
		in_ctr v timeout 10 "$TOOLS/dnsq" 10.87.40.1 victim.slow.test >> "$T_TMP/victim.out" 2>&1 &
		askers+=($!)
	done
	sleep 1
	# established traffic keeps flowing during the flood
	got=$(q o 10.87.41.1 peer.test)
	[ "$got" = "$REMOTE_FAR4" ] || echo "during the flood: '$got'" >> "$T_TMP/other.out"
done
wait "$spoofer" "${askers[@]}"
cat "$T_TMP/spoof.out"
grep -q '^sent [1-9]' "$T_TMP/spoof.out" || fail "the spoofer sent nothing"
learnt=$(awk '/^learnt/ {print $2}' "$T_TMP/spoof.out")
grep -q "$FORGED" "$T_TMP/victim.out" && fail "a forged answer reached the victim ($learnt ports learnt)"
[ -s "$T_TMP/other.out" ] && fail "other network not served during the flood: $(head -3 "$T_TMP/other.out")"
n=$(grep -c . "$T_TMP/victim.out")
[ "$n" -ge 80 ] || fail "only $n of 80 victim queries answered"
# and nothing in the cache, for this network or another
for c in "v 10.87.40.1" "o 10.87.41.1"; do
	got=$(q $c victim.slow.test)
	expect_eq "after the flood ($c)" SERVFAIL "$got"
done
# queries still in flight (dnsq asks again after a while) end within 4.5 s
for ((i = 0; i < 60; i++)); do
	fds1=$(ls /proc/"$pid"/fd | wc -l)
	[ "$fds1" = "$fds0" ] && break
	sleep 0.1
done
[ "$fds0" = "$fds1" ] || { ls -l /proc/"$pid"/fd; in_host ss -uanpe; } >&2
expect_eq "burrow-dns fds after the flood" "$fds0" "$fds1"
rss1=$(rss)
echo "burrow-dns RSS: $rss0 kB before, $rss1 kB after"
# fixed tables (1024 queries, 4096 answers, 512 connections): bounded growth
((rss1 - rss0 < 16384)) || fail "burrow-dns RSS grew from $rss0 to $rss1 kB"
dns_finish v x o

