#!/bin/bash
# burrow run --network slirp (burrow-slirp): a rootless container gets tap0
# with 10.0.2.100/24 and reaches a TCP service on the sandbox's remote peer;
# burrow-slirp is gone once the container is.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
launcher_rootfs
sandbox_net
B="$BIN/burrow"
# nsenter execs socat, so $! is socat itself
nsenter --net="/run/netns/$REMOTE_NS" -- socat TCP-LISTEN:9000,reuseaddr,fork \
	SYSTEM:"echo hello-from-remote" &
on_exit "kill $!"
wait_port in_remote "$REMOTE_FAR4" 9000 || fail "socat did not listen"
out=$(as_user "$B" run --rm --network slirp "$ROOTFS" sh -c \
	"ip -o -4 addr show tap0; nc -w 5 $REMOTE_FAR4 9000 </dev/null") || fail "run: $out"
[[ $out == *"inet 10.0.2.100/24"* ]] || fail "no 10.0.2.100/24 on tap0: $out"
[[ $out == *hello-from-remote* ]] || fail "no answer from the remote peer: $out"
[ -z "$(as_user "$B" ps -a | tail -n +2)" ] || fail "--rm left a record"

# detached: the helper's PID is recorded, and rm -f stops it
on_exit "as_user $B rm -f so"
as_user "$B" run -d --name so --network slirp "$ROOTFS" sleep 1000 >/dev/null || fail "run -d"
helper=$(as_user "$B" inspect so | jq -r .[0].Burrow.net_pid)
[ -n "$helper" ] && [ "$helper" != 0 ] || fail "no burrow-slirp PID recorded"
grep -q burrow-slirp "/proc/$helper/cmdline" || fail "PID $helper is not burrow-slirp"
out=$(as_user "$B" exec so nc -w 5 "$REMOTE_FAR4" 9000 </dev/null)
expect_eq "exec through slirp" hello-from-remote "$out"
check "rm -f" as_user "$B" rm -f so
gone() { ! kill -0 "$1" 2>/dev/null; }
retry 50 gone "$helper" || fail "burrow-slirp $helper left running"
pass
