#!/bin/bash
# burrow-mon runs a container through the OCI runtime, detaches from its
# caller (new session, reparented), reports the PID on the sync pipe and
# records exit codes 0, 1 and 137 (SIGKILL, --timeout) in the exit and
# persist directories; a runtime that fails is reported with its message.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

run_code() { # ID CODE-SCRIPT EXPECTED
	local id=$1 dir="$T_TMP/$1"
	mon_bundle "$dir" false sh -c "$2"
	mon_start "$id" "$dir" -l none
	# detached: its own session, not our child
	local sid ppid
	sid=$(awk '/^NSsid:/ {print $2}' "/proc/$MON_PID/status")
	ppid=$(awk '/^PPid:/ {print $2}' "/proc/$MON_PID/status")
	expect_eq "burrow-mon is a session leader" "$MON_PID" "$sid"
	[ "$ppid" != "$$" ] || fail "burrow-mon is still our child"
	rt start "$id" || fail "$MON_RUNTIME start $id"
	expect_eq "exit file of $id" "$3" "$(mon_wait_exit "$id" "$dir")"
	expect_eq "persist exit of $id" "$3" "$(cat "$dir/persist/exit")"
	retry 100 mon_gone "$MON_PID" || fail "burrow-mon did not exit after $id"
}
run_code ok 'exit 0' 0
run_code bad 'exit 1' 1

# killed by SIGKILL: 128 + 9
dir="$T_TMP/killed"
mon_bundle "$dir" false sleep 100
mon_start killed "$dir" -l none
rt start killed || fail "start killed"
kill -0 "$MON_CPID" || fail "container process $MON_CPID not running"
kill -9 "$MON_CPID"
expect_eq "exit file after SIGKILL" 137 "$(mon_wait_exit killed "$dir")"

# --timeout: killed after 1 s
dir="$T_TMP/timeout"
mon_bundle "$dir" false sleep 100
mon_start timeout "$dir" -l none -T 1
rt start timeout || fail "start timeout"
expect_eq "exit file after --timeout" 137 "$(mon_wait_exit timeout "$dir")"

# a runtime failure reaches the caller as {"data": -1, "message": ...}
dir="$T_TMP/broken"
mon_bundle "$dir" false /no/such/program
mkdir -p "$dir/exits"
on_exit "rt delete -f broken"
_OCI_SYNCPIPE=3 "$BIN/burrow-mon" --api-version 1 -c broken -r "$MON_RUNTIME" \
	--runtime-arg --root --runtime-arg "$MON_ROOT" -b "$dir" -p "$dir/pidfile" \
	--exit-dir "$dir/exits" --conmon-pidfile "$dir/conmon.pid" -l none 3>"$dir/sync"
retry 200 grep -q '}' "$dir/sync" || fail "no sync message for a failing runtime"
grep -q '^{"data": -1, "message": ".*no/such/program' "$dir/sync" ||
	fail "failure not reported with the runtime's message: $(cat "$dir/sync")"
pass
