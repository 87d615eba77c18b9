#!/bin/bash
# Adversarial: SIGKILL of burrow-mon in the middle of work (the container
# logging as fast as it can, an attach client reading, a notify relay up).
# What the engine and the user are told afterwards, as with conmon:
#  - the attach client sees its socket close at once (it does not hang);
#  - no exit file appears (nobody saw the container exit) and the
#    --conmon-pidfile names a process that is gone, which is how Podman
#    notices a dead conmon;
#  - the runtime keeps telling the truth: the container keeps running (as
#    under conmon; its writes now fail with EPIPE, and as its namespace's
#    init it gets no SIGPIPE), `runtime state` reports it running with its
#    PID, reparented to init; the engine stops it through the runtime and
#    `runtime state` then says stopped;
#  - the container held none of burrow-mon's descriptors but its stdio;
#  - nothing stale stops the engine from starting the container again in
#    the same bundle: a new burrow-mon replaces the leftover attach socket,
#    FIFOs and notify socket, and every log line before the kill is whole
#    except at most the one being written.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init
[ -x "$TOOLS/attachc" ] && [ -x "$TOOLS/sdnotify" ] || fail "attachc or sdnotify not built"

id=k9; dir="$T_TMP/$id"
"$TOOLS/sdnotify" -l "$T_TMP/host.sock" -t 50 >/dev/null &
on_exit "kill $!"
retry 50 test -S "$T_TMP/host.sock" || fail "notify listener did not start"
mon_bundle "$dir" false sh -c 'i=0; while :; do echo "line $i"; i=$((i+1)); done'
mon_start "$id" "$dir" -i -l "k8s-file:$dir/ctr.log" --log-size-max 8000000 \
	--sdnotify-socket "$T_TMP/host.sock"
rt start "$id" || fail "start"
"$TOOLS/attachc" "$dir/attach" -C -w -t 30 >"$T_TMP/att.out" 2>&1 &
att=$!
on_exit "kill $att"
sleep 0.5
fds=$(ls "/proc/$MON_CPID/fd" | sort -n | tr '\n' ' ')
expect_eq "the container's descriptors" "0 1 2 " "$fds"
lines=$(wc -l <"$dir/ctr.log")
[ "$lines" -gt 100 ] || fail "the container is not logging ($lines lines)"

kill -KILL "$MON_PID"
retry 50 mon_gone "$MON_PID" || fail "burrow-mon survived SIGKILL"
# the attach client is told at once: its socket closed
for _ in $(seq 20); do kill -0 $att 2>/dev/null || break; sleep 0.1; done
kill -0 $att 2>/dev/null && fail "the attach client still waits 2 s after burrow-mon died"
grep -q '^received [1-9]' "$T_TMP/att.out" || fail "the attach client got nothing: $(cat "$T_TMP/att.out")"
# the runtime's view: running, with the container's PID, now init's child
sleep 0.5
state=$(rt state "$id")
[[ "$state" == *'"status": "running"'* && "$state" == *"\"pid\": $MON_CPID,"* ]] ||
	fail "runtime state after the kill: $state"
expect_eq "the container's parent after the kill" 1 "$(awk '/^PPid/ { print $2 }' "/proc/$MON_CPID/status")"
[ ! -e "$dir/exits/$id" ] || fail "an exit file appeared with nobody to write it: $(cat "$dir/exits/$id")"
# the engine stops it through the runtime, which then says so
rt kill "$id" KILL || fail "runtime kill after the supervisor died"
retry 50 mon_gone "$MON_CPID" || fail "the container survived the runtime's kill"
state=$(rt state "$id")
[[ "$state" == *'"status": "stopped"'* ]] || fail "runtime state after the runtime's kill: $state"
mon_gone "$(cat "$dir/conmon.pid")" || fail "--conmon-pidfile names a live process"
# every line before the kill is whole (the one being written may be cut)
bad=$(head -n -1 "$dir/ctr.log" | grep -cvE '^[0-9-]{10}T[0-9:.]{18}[+-][0-9:]{5} stdout F line [0-9]+$')
expect_eq "malformed log lines before the kill" 0 "$bad"

# left behind by the kill: socket, FIFOs, notify socket; the engine starts
# the container again in the same bundle and the new supervisor copes
for f in attach ctl winsz notify/notify.sock; do [ -e "$dir/$f" ] || fail "expected $f to be left"; done
rt delete -f "$id"
mon_bundle "$dir" false sh -c 'read -r l; echo "again $l"; exit 7'
mon_start "$id" "$dir" -i -l "k8s-file:$dir/ctr.log" --sdnotify-socket "$T_TMP/host.sock"
rt start "$id" || fail "restart"
# (the container waits for input: the FIFO has its reader; bounded anyway,
# an open of a FIFO nobody reads blocks)
timeout 5 sh -c "echo '2 0 0' >'$dir/ctl'" || fail "ctl FIFO after restart"
out=$("$TOOLS/attachc" "$dir/attach" -s x -u "again x" -t 10) || fail "attach after restart: $out"
expect_eq "exit code after restart" 7 "$(mon_wait_exit "$id" "$dir")"
retry 50 test ! -e "$dir/attach" || fail "attach socket not removed by the clean exit"
retry 50 test ! -e "$dir/notify/notify.sock" || fail "notify socket not removed by the clean exit"
pass
