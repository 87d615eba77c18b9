#!/bin/bash
# --sdnotify-socket (Podman's --sdnotify=container): burrow-mon binds
# BUNDLE/notify/notify.sock, the engine mounts BUNDLE/notify into the
# container at /run/notify with NOTIFY_SOCKET=/run/notify/notify.sock, and
# what the container sends reaches the host's socket, filtered as conmon
# does (READY=1, STATUS=... pass; MAINPID=, FDSTORE= do not).  The socket
# is removed when the container exits; a host socket that is gone costs a
# warning, not the container.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init
[ -x "$TOOLS/sdnotify" ] || fail "sdnotify not built"
# the sender runs in the busybox container: a static copy of the tool
cc -O1 -static -o "$T_TMP/rootfs/bin/sdnotify" "$TOP/tests/tools/sdnotify.c" ||
	fail "cc -static tests/tools/sdnotify.c"

dir="$T_TMP/sdn"
mon_bundle "$dir" false sh -c 'sdnotify -s "STATUS=starting" && sdnotify -s "MAINPID=1\nREADY=1\nSTATUS=up\nFDSTORE=1" && echo sent; exec sleep 100'
sed -i -e 's|"env": \[|"env": [\n\t\t\t"NOTIFY_SOCKET=/run/notify/notify.sock",|' \
	-e "s|\"mounts\": \\[|\"mounts\": [\\n\\t\\t{\"destination\": \"/run/notify\", \"type\": \"bind\", \"source\": \"$dir/notify\", \"options\": [\"rbind\", \"rw\"]},|" \
	"$dir/config.json"
grep -q NOTIFY_SOCKET "$dir/config.json" && grep -q /run/notify "$dir/config.json" || fail "spec not edited"

"$TOOLS/sdnotify" -l "$T_TMP/host.sock" -t 15 -n 2 >"$T_TMP/host.out" &
listener=$!
on_exit "kill $listener"
retry 50 test -S "$T_TMP/host.sock" || fail "listener did not start"
mon_start sdn "$dir" -l "k8s-file:$dir/ctr.log" --sdnotify-socket "$T_TMP/host.sock"
[ -S "$dir/notify/notify.sock" ] || fail "no BUNDLE/notify/notify.sock"
expect_eq "notify socket mode" 777 "$(stat -c %a "$dir/notify/notify.sock")"
rt start sdn || fail "start"
wait $listener || fail "the host got $(wc -l <"$T_TMP/host.out") of 2 messages: $(cat "$T_TMP/host.out"); log: $(cat "$dir/ctr.log")"
expect_eq "first message" "STATUS=starting" "$(sed -n 1p "$T_TMP/host.out")"
expect_eq "second message, filtered" "READY=1|STATUS=up" "$(sed -n 2p "$T_TMP/host.out")"

# the host socket is gone: the container keeps running, burrow-mon too
nsenter -t "$MON_CPID" -m -- /bin/sdnotify -s "STATUS=nobody listens" /run/notify/notify.sock ||
	fail "send with the host socket gone"
sleep 0.3
kill -0 "$MON_PID" && kill -0 "$MON_CPID" || fail "a missing host socket hurt the supervisor or the container"
rt kill sdn KILL
expect_eq "exit code" 137 "$(mon_wait_exit sdn "$dir")"
retry 50 test ! -e "$dir/notify/notify.sock" || fail "notify socket left behind"

# not for exec sessions: refused by name
out=$("$BIN/burrow-mon" -c x -r "$MON_RUNTIME" -e --exec-process-spec /x --sdnotify-socket /s 2>&1) &&
	fail "--sdnotify-socket with --exec accepted"
[[ "$out" == *"--sdnotify-socket: not for an exec session"* ]] || fail "message: $out"
pass
