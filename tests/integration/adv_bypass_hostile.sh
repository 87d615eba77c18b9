#!/bin/bash
# burrow-bypass under a hostile container: bad pointers and lengths for
# connect/bind/sendto/sendmsg/sendmmsg, connects racing a thread that flips
# the address to the host's 127.0.0.1 and one that swaps descriptors, and a
# descriptor table with no room, threads killed while their connect waits
# (stale notifications).  burrow-bypass never crashes, the host's
# loopback is never reached, and bypassed traffic still flows afterwards.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
need_bin burrow-bypass
launcher_rootfs
sandbox_net
cc -O1 -static -o "$ROOTFS/bin/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread ||
	fail "cc -static tests/tools/bypassprobe.c"
B="$BIN/burrow"
nsenter --net="/run/netns/$REMOTE_NS" -- socat TCP-LISTEN:9000,reuseaddr,fork \
	SYSTEM:'echo peer-saw-$SOCAT_PEERADDR' &
on_exit "kill $!"
nsenter --net="/run/netns/$HOST_NS" -- socat -u TCP-LISTEN:9003,bind=127.0.0.1,reuseaddr,fork \
	OPEN:"$T_TMP/loopback-tcp",creat,append &
on_exit "kill $!"
nsenter --net="/run/netns/$HOST_NS" -- socat -u UDP-RECV:9003,bind=127.0.0.1 \
	OPEN:"$T_TMP/loopback-udp",creat,append &
on_exit "kill $!"
wait_port in_remote "$REMOTE_FAR4" 9000 || fail "socat did not listen"
on_exit "as_user $B rm -f hostile >/dev/null 2>&1"
as_user "$B" run -d --name hostile --network slirp:bypass "$ROOTFS" sleep 1000 >/dev/null ||
	fail "run -d"
bp=$(pgrep -u "$TEST_USER" -x burrow-bypass | head -1)
[ -n "$bp" ] || fail "no burrow-bypass running"
fds0=$(ls /proc/"$bp"/fd | wc -l)
out=$(as_user timeout 50 "$B" exec hostile bypassprobe hostile "$REMOTE_FAR4" 9000 9003 15 2>&1; echo "rc=$?")
hout=$out
[[ $out == *survived* ]] || { cat "$(_user_xdg "$TEST_USER")"/burrow/containers/*/bypass.log; fail "the hostile probe did not finish: $out"; }
kill -0 "$bp" 2>/dev/null || fail "burrow-bypass died under hostile input"
[ ! -s "$T_TMP/loopback-tcp" ] && ! grep -q . "$T_TMP/loopback-udp" 2>/dev/null ||
	fail "the host's loopback was reached"
out=$(as_user "$B" exec hostile bypassprobe tcp "$REMOTE_FAR4" 9000)
[[ $out == *"data=peer-saw-$HOST_IP4"* ]] || fail "bypass broken after the hostile run: $out"
# threads killed while their connect waits on the host (198.51.100.77 has
# no owner: ARP fails after seconds): the stale notifications are dropped,
# their host sockets closed
out=$(as_user "$B" exec hostile bypassprobe stale 198.51.100.77 9000 50)
[[ $out == *"stale done"* ]] || fail "stale probe: $out"
kill -0 "$bp" 2>/dev/null || fail "burrow-bypass died on stale notifications"
fewfds() { [ "$(ls /proc/"$bp"/fd | wc -l)" -le $((fds0 + 2)) ]; }
retry 50 fewfds || fail "burrow-bypass leaked descriptors: $fds0 -> $(ls /proc/"$bp"/fd | wc -l)"
fds1=$(ls /proc/"$bp"/fd | wc -l)
rss=$(awk '/^VmRSS/ {print $2}' /proc/"$bp"/status)
echo "burrow-bypass RSS after the hostile run: $rss kB; fds $fds0 -> $fds1"
kill -USR1 "$bp"
logf=$(ls "$(_user_xdg "$TEST_USER")"/burrow/containers/*/bypass.log | head -1)
grep -q 'stale [1-9]' "$logf" 2>/dev/null || { sleep 0.5; grep -q 'stale [1-9]' "$logf"; } ||
	fail "no stale notification counted: $(tail -2 "$logf")"
grep -q 'host sockets [1-9]' "$logf" || fail "no host socket counted: $(tail -2 "$logf")"
tail -1 "$logf"
as_user "$B" rm -f hostile >/dev/null
gone() { ! kill -0 "$1" 2>/dev/null; }
retry 100 gone "$bp" || { ps -o pid,stat,etime,cmd -p "$bp"; ls -l /proc/"$bp"/fd
	fail "burrow-bypass outlived its container"; }
pass "racing connects $(sed -n 's/.*survived racing=//p' <<<"$hout"), RSS ${rss} kB"
