#!/bin/bash
# burrow-slirp: a bulk download to the container must not hold other flows
# back (head-of-line blocking in the loop).  Each flow sends the guest at most
# one turn (256 KiB) before the loop looks at its events again, so between
# two epoll_wait calls burrow-slirp writes at most a few turns to the tap
# device; before, one guest window (many MiB) went out in one go while the
# reply of another flow waited.  Counted with strace (bytes written between
# two waits), which the machine's load does not move; request/response
# rounds on another flow meanwhile must all complete.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

need_cmd iperf3 iperf3
need_cmd strace strace

sandbox_net
nsenter --net="/run/netns/$REMOTE_NS" -- iperf3 -s -p 5201 >/dev/null 2>&1 &
on_exit "kill $!"
serve_echo remote tcp 7100
retry 100 _listening "$REMOTE_NS" tcp 5201 || fail "iperf3 server did not start"
slirp_container
slirp_start --mtu 65520

in_ctr timeout 20 iperf3 -c "$REMOTE_FAR4" -p 5201 -R -t 6 >"$T_TMP/iperf.out" 2>&1 &
bulk=$!
on_exit "pkill -P $bulk; kill $bulk"
sleep 1.5
in_ctr timeout 30 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 2000 >"$T_TMP/rr.out" 2>&1 &
rr=$!
timeout 2 strace -f -qq -e trace=write,epoll_wait -o "$T_TMP/turns" -p "$SLIRP_PID" 2>/dev/null
wait "$rr" || fail "request/response beside the bulk flow: $(cat "$T_TMP/rr.out")"
wait "$bulk" || fail "bulk download: $(tail -3 "$T_TMP/iperf.out")"
grep -q receiver "$T_TMP/iperf.out" || fail "bulk download did not finish: $(tail -3 "$T_TMP/iperf.out")"

# bytes written (the tap device: burrow-slirp's only write() calls) per turn
read -r turns max < <(awk '
	/epoll_wait\(/ { if (started) { n++; if (k > m) m = k } started = 1; k = 0; next }
	/ write\(/ && $NF ~ /^[0-9]+$/ { k += $NF }
	END { print n + 0, m + 0 }' "$T_TMP/turns")
echo "turns $turns, at most $max bytes to the guest in one; rr beside: $(cat "$T_TMP/rr.out")"
[ "$turns" -ge 20 ] || fail "only $turns loop turns seen under strace"
# two turns of 256 KiB per flow per loop turn, and the acknowledgements
[ "$max" -le $((1 << 20)) ] ||
	fail "$max bytes went to the guest between two waits for events (at most 1 MiB expected)"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
slirp_stop || fail "burrow-slirp exit status $?"
pass
