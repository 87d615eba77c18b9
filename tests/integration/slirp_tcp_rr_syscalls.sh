#!/bin/bash
# burrow-slirp: what one TCP request/response round trip costs it, counted
# with strace -c (the machine's load does not move counts): two wake-ups,
# six system calls (request: read from the tap device, send; answer: peek,
# write to the tap device; two epoll_wait) and two frames, no ack of its own.
# Before, every request took a second read that only found the tap queue
# empty (seven calls).  Counted with --busy-poll=0: polling before sleeping
# (slirp_busy_poll.sh) adds epoll_wait(0) calls by design, in place of sleeps.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

need_cmd strace strace
N=1000

sandbox_net
serve_echo remote tcp 7100
slirp_container
slirp_start --busy-poll=0
in_ctr timeout 30 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 100 >/dev/null ||
	fail "request/response before counting"
frames() { in_ctr cat /proc/net/dev | awk -F'[: ]+' '$2 == "tap0" { print $4 + $12 }'; }
strace -c -f -qq -o "$T_TMP/strace" -p "$SLIRP_PID" &
st=$!
on_exit "kill $st 2>/dev/null"
sleep 1
f0=$(frames)
out=$(in_ctr timeout 60 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 $N 2>&1) || fail "rr: $out"
f1=$(frames)
kill -INT "$st"; wait "$st" 2>/dev/null
read -r calls waits < <(awk '$NF == "total" { t = $4 } $NF == "epoll_wait" { w = $4 }
	END { print t + 0, w + 0 }' "$T_TMP/strace")
per() { awk -v a="$1" -v n=$N 'BEGIN { printf "%.2f", a / n }'; }
echo "per round trip: $(per "$calls") system calls, $(per "$waits") wake-ups, $(per $((f1 - f0))) frames ($out)"
cat "$T_TMP/strace"
# room for the 100 ms timer and for the 1 ms delayed-ack wake-ups a stalled client causes
awk -v c="$calls" -v n=$N 'BEGIN { exit !(c / n <= 6.6) }' ||
	fail "$(per "$calls") system calls per round trip (6 expected)"
awk -v w="$waits" -v n=$N 'BEGIN { exit !(w / n <= 2.3) }' ||
	fail "$(per "$waits") wake-ups per round trip (2 expected)"
awk -v f=$((f1 - f0)) -v n=$N 'BEGIN { exit !(f / n <= 2.2) }' ||
	fail "$(per $((f1 - f0))) frames per round trip (2 expected: no ack of our own)"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
slirp_stop || fail "burrow-slirp exit status $?"
pass
