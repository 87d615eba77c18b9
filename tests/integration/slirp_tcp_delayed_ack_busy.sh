#!/bin/bash
# burrow-slirp: a small segment from the guest gets its acknowledgement
# within 1-2 ms when no reply carries it, also while a bulk download keeps
# the loop busy.  Before, the delayed acks went out only when the loop had
# been idle for 1 ms, else with the 100 ms timer: a guest request whose tail
# Nagle holds back until the head is acknowledged (two writes, no
# TCP_NODELAY: echopeer split, against an HTTP server that answers whole
# requests only) took ~100 ms beside a bulk flow.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

need_cmd iperf3 iperf3

sandbox_net
nsenter --net="/run/netns/$REMOTE_NS" -- iperf3 -s -p 5201 >/dev/null 2>&1 &
on_exit "kill $!"
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/echopeer" serve-http 7180 0 &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 5201 || fail "iperf3 server did not start"
retry 100 _listening "$REMOTE_NS" tcp 7180 || fail "http server did not start"
slirp_container
slirp_start

split() { # WHAT: 300 split requests; not even their p99 may wait for a 100 ms timer
	local out p50 p99
	out=$(in_ctr timeout 60 "$TOOLS/echopeer" split "$REMOTE_FAR4" 7180 300 2>&1) ||
		fail "$1: $out"
	echo "$1: $out"
	p50=$(echo "$out" | sed -n 's/^p50_us=\([0-9]*\).*/\1/p')
	p99=$(echo "$out" | sed -n 's/.*p99_us=\([0-9]*\).*/\1/p')
	[ -n "$p50" ] && [ -n "$p99" ] || fail "$1: $out"
	# 1 ms of delayed ack, and room for a loaded machine; the timer is 100 ms
	[ "$p50" -lt 20000 ] || fail "$1: a request held by Nagle took $p50 us at the median"
	[ "$p99" -lt 90000 ] || fail "$1: a request held by Nagle took $p99 us at p99"
}
split idle
in_ctr timeout 60 iperf3 -c "$REMOTE_FAR4" -p 5201 -R -t 30 >"$T_TMP/iperf.out" 2>&1 &
bulk=$!
on_exit "pkill -P $bulk; kill $bulk"
sleep 1.5
split "beside a bulk download"
pkill -P "$bulk"; kill "$bulk" 2>/dev/null
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
slirp_stop || fail "burrow-slirp exit status $?"
pass
