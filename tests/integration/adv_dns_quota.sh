#!/bin/bash
# burrow-dns in-flight quotas (adversarial tier): clients hammering names
# under a domain whose servers never answer (each query holds a slot and a
# socket for 4.5 s) do not make anybody else get SERVFAIL -- first one client,
# then ten clients of one network (its share of the table fills), then ten
# clients on each of two networks (the whole table fills); a client of the same network and one of
# another network keep getting their answers (NXDOMAIN from the upstream).
# Quotas hold (burrow-dns's open files stay under the table's size) and
# nothing leaks (fds back to where they were).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
UPLOG="$T_TMP/upstream.log"
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.2 -p 53 -N dead.test \
	-L "$UPLOG" "peer.test=$REMOTE_FAR4" &
up=$!
on_exit "kill $up; wait $up"
retry 50 test -s "$UPLOG" || fail "upstream stubdns did not start"
ctr_ns ham; ctr_ns hc; ctr_ns a; ctr_ns b
UP='"network_dns_servers":["127.0.0.2"]'
NA=$(dns_net anet bwq0 10.87.50.0/24 10.87.50.1 false "$UP")
NB=$(dns_net bnet bwq1 10.87.51.0/24 10.87.51.1 false "$UP")
NC=$(dns_net cnet bwq2 10.87.52.0/24 10.87.52.1 false "$UP")
HAM=$(dns_opts hhhh hammer "$(dns_att anet '"10.87.50.10"' '')" "$NA")
HC=$(dns_opts hchc hammer2 "$(dns_att cnet '"10.87.52.10"' '')" "$NC")
A=$(dns_opts aaaa same "$(dns_att anet '"10.87.50.2"' '')" "$NA")
B=$(dns_opts bbbb other "$(dns_att bnet '"10.87.51.2"' '')" "$NB")
dns_setup ham hc a b
# nine more client addresses in the hammering container
for ((i = 11; i < 20; i++)); do
	in_ctr ham ip addr add 10.87.50.$i/24 dev eth0
	in_ctr hc ip addr add 10.87.52.$i/24 dev eth0
done
expect_q "forwarding works" "$REMOTE_FAR4" a 10.87.50.1 peer.test
pid=$(dns_pid)
fds0=$(ls /proc/"$pid"/fd | wc -l)
rss() { awk '/^VmRSS/ {print $2}' /proc/"$pid"/status; }
rss0=$(rss)
dead=(); for ((i = 0; i < 64; i++)); do dead+=("n$i.dead.test"); done

# hammer FIRST LAST [CTR NET]: clients NET.FIRST..LAST (default the
# container ham on 10.87.50) flood dead names for 10 s
hammer() {
	local i c=${3:-ham} n=${4:-10.87.50}
	for ((i = $1; i <= $2; i++)); do
		in_ctr "$c" timeout 10 "$TOOLS/dnsload" -u -n 1000000 -w 256 -b $n.$i \
			$n.1 "${dead[@]}" > /dev/null 2>&1 &
		hammers+=($!)
	done
}
# others PHASE: the other clients ask 12 fresh names each, one a second
others() {
	local i got maxfd=0 n
	for ((i = 0; i < 12; i++)); do
		got=$(q a 10.87.50.1 "a$1x$i.test")
		[ "$got" = NXDOMAIN ] || fail "$1: a client of the hammered network got '$got'"
		got=$(q b 10.87.51.1 "b$1x$i.test")
		[ "$got" = NXDOMAIN ] || fail "$1: a client of another network got '$got'"
		n=$(ls /proc/"$pid"/fd | wc -l)
		((n > maxfd)) && maxfd=$n
		sleep 0.5
	done
	echo "$1: burrow-dns held at most $maxfd fds"
	((maxfd <= fds0 + 1024)) || fail "$1: $maxfd open files: the in-flight quota did not hold"
}
hammers=()
on_exit 'kill "${hammers[@]}" 2>/dev/null'
hammer 10 10
sleep 1
others one
wait "${hammers[@]}"
n=$(grep -c 'dead.test -> (no answer)' "$UPLOG")
echo "one: $n hammering queries reached the upstream"
((n >= 128)) || fail "test broken: the hammer sent only $n queries upstream"
hammers=()
hammer 10 19
sleep 1
others ten
wait "${hammers[@]}"
n=$(grep -c 'dead.test -> (no answer)' "$UPLOG")
echo "ten: $n hammering queries reached the upstream in all"
hammers=()
hammer 10 19
hammer 10 19 hc 10.87.52
sleep 1
others two
wait "${hammers[@]}"
for ((i = 0; i < 80; i++)); do
	fds1=$(ls /proc/"$pid"/fd | wc -l)
	[ "$fds1" = "$fds0" ] && break
	sleep 0.1
done
expect_eq "burrow-dns fds after the hammering" "$fds0" "$fds1"
rss1=$(rss)
echo "burrow-dns RSS: $rss0 kB before, $rss1 kB after"
# fixed tables (1024 queries, 4096 answers, 512 connections): bounded growth
((rss1 - rss0 < 16384)) || fail "burrow-dns RSS grew from $rss0 to $rss1 kB"
dns_finish ham hc a b
