#!/bin/bash
# burrow as root: exit codes propagate, --rm removes, a missing command gives
# 127 and leaves nothing behind, and -d/ps/logs/exec/stop/kill/inspect/rm
# work on a detached container (crun; runc too when installed).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
export BURROW_STATE_DIR="$T_TMP/state"
B="$BIN/burrow"
on_exit "$B system prune"
on_exit "$B rm -f s1"
on_exit "$B rm -f s2"

"$B" run --rm --network none "$ROOTFS" sh -c 'exit 3'
expect_eq "exit code of run --rm" 3 $?
[ -z "$("$B" ps -a | tail -n +2)" ] || fail "--rm left a record: $("$B" ps -a)"

out=$("$B" run --network none "$ROOTFS" /no/such/cmd 2>&1)
expect_eq "exit code for a missing command" 127 $?
[[ $out == *"/no/such/cmd"* ]] || fail "error does not name the command: $out"
[ -z "$("$B" ps -a | tail -n +2)" ] || fail "a failed run left a record"

out=$("$B" run --rm --network none "$ROOTFS" sh -c 'echo out; echo err >&2; exit 0' 2>&1)
expect_eq "foreground output" "out err" "$(echo $out)"

id=$("$B" run -d --name s1 --network none "$ROOTFS" \
	sh -c 'echo started; trap "echo bye; exit 7" TERM; while :; do sleep 0.1; done') ||
	fail "run -d"
[[ $id =~ ^[0-9a-f]{12}$ ]] || fail "run -d printed '$id', not an ID"
"$B" ps | grep -q "^$id  s1 .*running" || fail "ps: $("$B" ps)"
"$B" ps --format json | grep -q "\"State\": \"running\"" || fail "ps --format json"
retry 50 bash -c "'$B' logs s1 | grep -q started" || fail "logs: $("$B" logs s1)"
"$B" exec s1 sh -c 'exit 5'
expect_eq "exec exit code" 5 $?
expect_eq "exec output" "inside" "$("$B" exec s1 echo inside)"
out=$("$B" rm s1 2>&1) && fail "rm of a running container succeeded"
[[ $out == *"is running"* ]] || fail "rm error: $out"
check "stop" "$B" stop -t 10 s1
"$B" ps -a | grep -q "^$id  s1 .*exited (7)" || fail "ps -a after stop: $("$B" ps -a)"
expect_eq "inspect: exit code" 7 "$("$B" inspect -f '{{.State.ExitCode}}' s1)"
"$B" logs s1 | grep -q bye || fail "the TERM trap's output is missing from the log"
check "rm" "$B" rm s1
"$B" inspect s1 >/dev/null 2>&1 && fail "inspect finds a removed container"

id=$("$B" run -d --name s2 --network none "$ROOTFS" sleep 1000) || fail "run -d s2"
pid=$("$B" inspect --format '{{.State.Pid}}' s2)
check "kill" "$B" kill -s KILL s2
retry 100 bash -c "'$B' ps -a | grep -q 'exited (137)'" || fail "kill -s KILL: $("$B" ps -a)"
check "rm -f" "$B" rm -f s2
kill -0 "$pid" 2>/dev/null && fail "container process $pid still alive"

# burrow-mon is the only supervisor: without it, run -d says so and makes nothing
mkdir -p "$T_TMP/nomon"
cp "$B" "$T_TMP/nomon/burrow"
out=$(PATH="$T_TMP/nomon:/usr/sbin:/usr/bin:/sbin:/bin" "$T_TMP/nomon/burrow" run -d --name s3 \
	--network none "$ROOTFS" true 2>&1); rc=$?
expect_eq "run -d without burrow-mon: exit code ($out)" 125 "$rc"
[[ $out == *"-d needs burrow-mon"*"make conmon"* ]] || fail "run -d without burrow-mon: $out"
"$B" inspect s3 >/dev/null 2>&1 && fail "run -d without burrow-mon left a record"

if command -v runc >/dev/null; then
	"$B" run --rm --runtime runc --network none "$ROOTFS" sh -c 'exit 4'
	expect_eq "runc exit code" 4 $?
fi
[ -z "$(ls "$BURROW_STATE_DIR/containers")" ] || fail "state left: $(ls -lR "$BURROW_STATE_DIR/containers"; cat "$BURROW_STATE_DIR"/containers/*/*.log)"
pass
