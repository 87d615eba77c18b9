#!/bin/bash
# exec sessions (-e --exec-process-spec): burrow-mon runs "RUNTIME exec
# --detach", reports the exec PID and later its exit code on the sync pipe,
# logs its output and writes EXIT-DIR/CID; with --exec-attach it announces
# the attach socket on _OCI_ATTACHPIPE and waits for the second start message.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

dir="$T_TMP/main"
mon_bundle "$dir" false sleep 100
mon_start ex "$dir" -l none
rt start ex || fail "start"

# the process spec: the bundle's own process with other args
spec="$T_TMP/process.json"
sed -n '/"process": {/,/^\t},/p' "$dir/config.json" | sed '1s/.*/{/; $s/.*/}/' > "$spec"
# (mon_bundle wrote the args on one line)
sed -i 's|"args": \[.*\],|"args": ["sh", "-c", "echo from exec; echo exec err >\&2; exit 7"],|' "$spec"
grep -q 'echo from exec' "$spec" || fail "process spec: $(cat "$spec")"

exe="$T_TMP/exec1"
mkdir -p "$exe/exit"
_OCI_SYNCPIPE=3 "$BIN/burrow-mon" --api-version 1 -c ex -u sess1 -r "$MON_RUNTIME" \
	--runtime-arg --root --runtime-arg "$MON_ROOT" -b "$exe" -p "$exe/exec_pid" \
	--exit-dir "$exe/exit" -l "k8s-file:$exe/exec.log" -e --exec-process-spec "$spec" \
	--conmon-pidfile "$exe/conmon.pid" 3>"$exe/sync" || fail "burrow-mon -e"
retry 200 test -s "$exe/exit/ex" || fail "no exit file for the exec session: $(cat "$exe/sync")"
expect_eq "exec exit code" 7 "$(cat "$exe/exit/ex")"
retry 50 grep -q '"data": 7}' "$exe/sync" || fail "exit code not on the sync pipe: $(cat "$exe/sync")"
pid=$(sed -n '1s/^{"data": \([0-9]*\)}$/\1/p' "$exe/sync")
[ "${pid:-0}" -gt 0 ] || fail "first sync message is not the exec PID: $(cat "$exe/sync")"
grep -q ' stdout F from exec$' "$exe/exec.log" || fail "exec output not logged"
grep -q ' stderr F exec err$' "$exe/exec.log" || fail "exec stderr not logged"
kill -0 "$MON_CPID" || fail "the container died with its exec session"

# --exec-attach: attach pipe says ready, we attach, then the start pipe says go
exe="$T_TMP/exec2"
mkdir -p "$exe/exit"
mkfifo "$exe/start" "$exe/attachpipe"
exec 5<>"$exe/start" 6<>"$exe/attachpipe"
echo go >&5	# the first start message, read before the fork
_OCI_SYNCPIPE=3 _OCI_STARTPIPE=5 _OCI_ATTACHPIPE=6 "$BIN/burrow-mon" --api-version 1 \
	-c ex -u sess2 -r "$MON_RUNTIME" --runtime-arg --root --runtime-arg "$MON_ROOT" \
	-b "$exe" -p "$exe/exec_pid" --exit-dir "$exe/exit" -l none -e --exec-attach \
	--exec-process-spec "$spec" --conmon-pidfile "$exe/conmon.pid" 3>"$exe/sync" ||
	fail "burrow-mon -e --exec-attach"
read -r -t 10 ready <&6 || fail "no attach-ready message"
expect_eq "attach pipe message" '{"data": 0}' "$ready"
"$TOOLS/attachc" "$exe/attach" -w -t 20 -R "$exe/connected" > "$exe/out" &
att=$!
retry 100 test -e "$exe/connected" || fail "attach client did not connect"
echo go >&5
wait "$att" || fail "attach client ($?): $(cat "$exe/out")"
grep -q '\[2\]from exec' "$exe/out" || fail "exec stdout not attached: $(cat "$exe/out")"
grep -q '\[3\]exec err' "$exe/out" || fail "exec stderr not attached: $(cat "$exe/out")"
retry 200 test -s "$exe/exit/ex" || fail "no exit file for the attached exec"
expect_eq "attached exec exit code" 7 "$(cat "$exe/exit/ex")"
exec 5>&- 6>&-
pass
