#!/bin/bash
# Rootless: burrow-mon and crun run as an unprivileged user (a user namespace
# from "crun spec --rootless"): run with exit code and k8s-file log, attach,
# terminal, and the container surviving a SIGKILL of its supervisor.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init rootless
expect_eq "rootless runner" "$TEST_UID" "$(as_user id -u)"

dir="$T_TMP/rl"
mon_bundle "$dir" false sh -c 'echo "uid $(id -u)"; read -r l; echo "got:$l"; exit 6'
mon_start rl "$dir" -i -l "k8s-file:$dir/ctr.log"
expect_eq "supervisor owner" "$TEST_UID" "$(stat -c %u "/proc/$MON_PID")"
rt start rl || fail "start"
out=$(as_user "$TOOLS/attachc" "$dir/attach" -s hi -u "got:hi" -t 10) || fail "attach as user ($?): $out"
expect_eq "exit" 6 "$(mon_wait_exit rl "$dir")"
grep -q ' stdout F uid 0$' "$dir/ctr.log" || fail "not root in the user namespace: $(cat "$dir/ctr.log")"
grep -q ' stdout F got:hi$' "$dir/ctr.log" || fail "attach input not logged"

dir="$T_TMP/rltty"
mon_bundle "$dir" true sh -c 'tty; exit 0'
mon_start rltty "$dir" -t -l "k8s-file:$dir/ctr.log"
rt start rltty || fail "start tty"
expect_eq "tty exit" 0 "$(mon_wait_exit rltty "$dir")"
grep -q ' stdout [PF] /dev/pts/' "$dir/ctr.log" || fail "no tty: $(cat "$dir/ctr.log")"

dir="$T_TMP/rlkill"
mon_bundle "$dir" false sleep 100
mon_start rlkill "$dir" -l none
rt start rlkill || fail "start"
kill -9 "$MON_PID"
retry 100 mon_gone "$MON_PID" || fail "burrow-mon survived SIGKILL"
sleep 0.3
kill -0 "$MON_CPID" 2>/dev/null || fail "container died with its supervisor"
pass
