#!/bin/bash
# The sandbox's stub DNS server answers A and AAAA over UDP and TCP, says
# NXDOMAIN / NOTIMP / FORMERR where it must, truncates long UDP answers (the
# full answer comes over TCP), logs one line per query, serves IPv6 too, works
# with the system resolver, and exits cleanly on SIGTERM.
. "$(dirname "$0")/../lib/sandbox.sh"

[ -x "$TOOLS/dnsq" ] || fail "dnsq not built"
sandbox_net

many=()
for i in $(seq 1 20); do many+=("many.test=2001:db8:5::$i"); done
sandbox_dns "peer.test=$REMOTE_FAR4" "peer.test=$REMOTE_FAR6" \
	"two.test=203.0.113.1" "two.test=203.0.113.2" "v4only.test=203.0.113.9" "${many[@]}"
LOG="$T_TMP/stubdns.log"
expect_eq "first log line" "ready" "$(head -n1 "$LOG")"

# q EXPECTED ARGS...: run dnsq in the sandbox host namespace, compare its output
q() {
	local want=$1 got; shift
	got=$(in_host "$TOOLS/dnsq" "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//')
	expect_eq "dnsq $*" "$want" "$got"
}

for t in "" -t; do
	q "$REMOTE_FAR4" $t 127.0.0.1 peer.test
	q "$REMOTE_FAR6" $t -T AAAA 127.0.0.1 PEER.Test.
	q "203.0.113.1 203.0.113.2" $t 127.0.0.1 two.test
	q "" $t -T AAAA 127.0.0.1 v4only.test
	q "NXDOMAIN" $t 127.0.0.1 nowhere.test
	q "NXDOMAIN" $t 127.0.0.1 peer.test.evil
	q "NOTIMP" $t -O 2 127.0.0.1 peer.test
	# two questions in one query
	q "FORMERR" $t -x 123401000002000000000000 127.0.0.1
	# a label running past the end of the message
	q "FORMERR" $t -x 12340100000100000000000003616263 127.0.0.1
	# a compression pointer in the question
	q "FORMERR" $t -x 123401000001000000000000c00c00010001 127.0.0.1
done
q "TRUNCATED" 127.0.0.1 -T AAAA many.test
got=$(in_host "$TOOLS/dnsq" -t -T AAAA 127.0.0.1 many.test | wc -l)
expect_eq "AAAA records of many.test over TCP" 20 "$got"

# one log line per query, in the documented form
grep -qx "udp A peer.test -> $REMOTE_FAR4" "$LOG" || fail "no udp log line: $(cat "$LOG")"
grep -qx "tcp AAAA peer.test -> $REMOTE_FAR6" "$LOG" || fail "no tcp log line: $(cat "$LOG")"
grep -qx "udp A nowhere.test -> NXDOMAIN" "$LOG" || fail "no NXDOMAIN log line"
grep -q "^tcp FORMERR" "$LOG" || fail "no FORMERR log line"
grep -qx "udp AAAA many.test -> TRUNCATED" "$LOG" || fail "no TRUNCATED log line"
expect_eq "log lines" 23 "$(wc -l < "$LOG")"

# the system resolver (glibc) gets its answers from the stub
got=$(in_host unshare -m sh -c \
	"mount --bind '$BURROW_RESOLV_CONF' /etc/resolv.conf && getent ahostsv4 peer.test" |
	awk 'NR == 1 { print $1 }')
expect_eq "getent ahostsv4 peer.test" "$REMOTE_FAR4" "$got"

# IPv6 listener, and a clean exit on SIGTERM
LOG6="$T_TMP/stubdns6.log"
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l ::1 -p 5353 -L "$LOG6" \
	"peer.test=$REMOTE_FAR6" &
pid=$!
on_exit "kill $pid"
retry 100 test -s "$LOG6" || fail "stubdns on ::1 did not start"
q "$REMOTE_FAR6" -t -p 5353 -T AAAA ::1 peer.test
q "" -p 5353 ::1 peer.test
kill -TERM "$pid"
wait "$pid"
expect_eq "stubdns exit status after SIGTERM" 0 "$?"
pass
