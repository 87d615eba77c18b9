#!/bin/bash
# -l journald: each output line reaches the journal socket as one native
# protocol datagram with the container's fields (a stub journal here,
# through BURROW_MON_JOURNAL_SOCKET).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
need_cmd socat socat
mon_init

sock="$T_TMP/journal.sock"
socat -u "UNIX-RECV:$sock" "OPEN:$T_TMP/journal.out,creat,append" &
on_exit "kill $!"
retry 100 test -S "$sock" || fail "stub journal did not start"

dir="$T_TMP/jd"
mon_bundle "$dir" false sh -c 'echo to journal; echo oops >&2'
export BURROW_MON_JOURNAL_SOCKET="$sock"
mon_start 0123456789abcdef0123 "$dir" -l journald: -l "k8s-file:$dir/ctr.log" --log-tag mytag
rt start 0123456789abcdef0123 || fail "start"
expect_eq "exit" 0 "$(mon_wait_exit 0123456789abcdef0123 "$dir")"
j="$T_TMP/journal.out"
retry 50 grep -q '^MESSAGE=oops$' "$j" || fail "stderr line not in the journal: $(cat "$j")"
grep -q '^MESSAGE=to journal$' "$j" || fail "stdout line not in the journal"
grep -q '^CONTAINER_ID=0123456789ab$' "$j" || fail "no short CONTAINER_ID"
grep -q '^CONTAINER_ID_FULL=0123456789abcdef0123$' "$j" || fail "no CONTAINER_ID_FULL"
grep -q '^CONTAINER_TAG=mytag$' "$j" || fail "no CONTAINER_TAG"
grep -q '^PRIORITY=3$' "$j" || fail "stderr not at priority 3"
grep -q ' stdout F to journal$' "$dir/ctr.log" || fail "k8s-file log beside journald missing"
pass
