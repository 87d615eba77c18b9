#!/bin/bash
# burrow-slirp: a forwarded connection whose SYN the container loses.  The
# container's firewall drops the first two SYNs that burrow-slirp sends it for
# a forwarded client; burrow-slirp sends the SYN again 1 s and then 2 s later
# (the kernel's tcp_syn_retries schedule), so the third one gets through about
# 3 s after the client connected and the client's bytes come back echoed.
# Without the timer the connection would wait for good; with a slower
# schedule (2 s, 4 s) it would take 6 s or more.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
need_bin burrow-slirp

sandbox_net
slirp_container
slirp_start -t 18090:90
in_ctr "$TOOLS/echopeer" serve-tcp 90 &
on_exit "kill_netns_procs_of $CTR_PID"
ctr_listening() { in_ctr ss -Hltn "sport = :90" | grep -q .; }
retry 100 ctr_listening || fail "container echo server did not start"

in_ctr nft -f - <<EOF || fail "nft rule in the container"
table ip synloss {
	chain in {
		type filter hook input priority 0;
		tcp dport 90 tcp flags & (syn | ack) == syn counter drop
	}
}
EOF
dropped() { in_ctr nft list chain ip synloss in | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'; }

# let the third SYN through: remove the rule once two were dropped
(
	for ((i = 0; i < 300; i++)); do
		n=$(dropped)
		[ "${n:-0}" -ge 2 ] && { in_ctr nft delete table ip synloss; exit 0; }
		sleep 0.05
	done
	exit 1
) &
watcher=$!

t0=$(date +%s%N)
out=$(in_remote timeout 20 "$TOOLS/echopeer" tcp "$HOST_IP4" 18090 1000 2>&1)
rc=$?
t1=$(date +%s%N)
wait "$watcher" || fail "the container never saw two SYNs (client: $out)"
[ $rc = 0 ] || fail "forwarded connection failed after its SYNs were lost: $out"
ms=$(((t1 - t0) / 1000000))
echo "echoed through the forward after two lost SYNs in $ms ms"
[ "$ms" -ge 2500 ] || fail "connected in $ms ms: the lost SYNs were not what it waited for"
[ "$ms" -lt 6000 ] || fail "connected only after $ms ms: SYNs again after 1 s and 2 s should take about 3 s"
pass "SYN sent again after 1 s and 2 s; connected in $ms ms"
