#!/bin/bash
# burrow-slirp: a bulk transfer to the container wakes burrow-slirp only at
# the socket's low mark (SO_RCVLOWAT) while data is in flight; the last bytes
# of a transfer, below that mark, must still go out at once.  Request/response
# rounds of 300 kB through a forward (remote peer and host loopback), IPv4 and
# IPv6: every round completes and is echoed unchanged, none waits for more
# data that never comes.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
slirp_container
slirp_start --enable-ipv6 -t 18091:7001
in_ctr "$TOOLS/echopeer" serve-tcp 7001 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"	# nsenter forks: its child, then itself
retry 100 _ctr_listening tcp 7001 || fail "container echo server did not start"

rounds() { # WHERE NS-RUNNER HOST SIZE ROUNDS
	local out
	out=$("$2" timeout 60 "$TOOLS/echopeer" rr "$3" 18091 "$5" "$4" 2>&1) ||
		fail "$1: $5 rounds of $4 bytes: ${out:-timed out}; burrow-slirp log: $(tail -5 "$T_TMP/slirp.log")"
	# a held tail would wait for the next sweep at best, for ever at worst
	awk -v o="$out" -v w="$1" 'BEGIN { split(o, a, /[= ]/); if (a[6] + 0 > 2000000) {
		print w ": slowest round " a[6] " us"; exit 1 } }' || fail "$1: $out"
	echo "$1 $4 B x $5: $out"
}
rounds "remote v4" in_remote "$HOST_IP4" 300000 200
rounds "remote v4 (small)" in_remote "$HOST_IP4" 70000 300
rounds "host loopback v4" in_host 127.0.0.1 300000 200
retry 50 in_host ping -6 -c1 -W1 "$HOST_IP6" >/dev/null 2>&1 || true
rounds "remote v6" in_remote "$HOST_IP6" 300000 100
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
slirp_stop || fail "burrow-slirp exit status $?"
pass
