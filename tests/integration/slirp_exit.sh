#!/bin/bash
# burrow-slirp exits cleanly, removing its tap device and leaving no file:
# on SIGTERM, when its exit fd closes, and when the target process goes away.
# When the target process goes, its namespace is taken to be going too: the
# tap device is marked persistent and left to the namespace's removal (closing
# the last file of a tap device waits for an RCU grace period, 14-18 ms here,
# which everyone waiting for burrow-slirp's exit waited too); seen with a
# second process keeping the namespace.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
slirp_container
before=$(ls -A "$T_TMP/xdg-$TEST_USER" 2>/dev/null | wc -l)

# 1. SIGTERM
slirp_start
in_ctr ip link show tap0 >/dev/null || fail "no tap0 while running"
slirp_stop; rc=$?
expect_eq "exit status after SIGTERM" 0 "$rc"
gone() { ! in_ctr ip link show tap0 >/dev/null 2>&1; }
retry 50 gone || fail "tap0 left behind after SIGTERM"

# 2. the exit fd (a pipe whose writer goes away), slirp4netns -e
exit_fifo "$T_TMP/exit.fifo"
: > "$T_TMP/ready2"; chown "$TEST_USER" "$T_TMP/ready2"
as_user bash -c 'exec 5<"$1" 4>"$2"; exec "$3" -c -e 5 -r 4 "$4" tap0' _ \
	"$T_TMP/exit.fifo" "$T_TMP/ready2" "$BIN/burrow-slirp" "$CTR_PID" 2>"$T_TMP/slirp2.log" &
job=$!
ready() { [ "$(cat "$T_TMP/ready2")" = 1 ]; }
retry 100 ready || { kill "$HOLDER_PID"; fail "not ready with -e: $(cat "$T_TMP/slirp2.log")"; }
kill "$HOLDER_PID"
exited() { ! kill -0 "$job" 2>/dev/null; }
retry 100 exited || fail "still running after the exit fd closed"
wait "$job"; expect_eq "exit status after the exit fd closed" 0 "$?"
retry 50 gone || fail "tap0 left behind after the exit fd closed"

# 3. the target process (and with it the namespace) goes away
slirp_start
kill "$CTR_PID"
stopped() { ! kill -0 "$SLIRP_PID" 2>/dev/null; }
retry 100 stopped || fail "still running after the target process exited"
wait "$SLIRP_JOB"; expect_eq "exit status after the target exited" 0 "$?"

# 4. the target goes while another process keeps its namespace: burrow-slirp
# exits, the tap device stays (persistent) until the
# namespace goes
slirp_container
nsenter -t "$CTR_PID" --net sleep 600 &
keeper=$!
on_exit "kill $keeper 2>/dev/null"
in_keeper() { nsenter -t "$keeper" --net "$@"; }
same_ns() { [ "$(readlink /proc/$keeper/ns/net)" = "$(readlink /proc/$CTR_PID/ns/net)" ]; }
retry 50 same_ns || fail "no process keeping the namespace"
slirp_start --debug
kill "$CTR_PID"
retry 100 stopped || fail "still running after the target process exited (namespace kept)"
wait "$SLIRP_JOB"; expect_eq "exit status after the target exited (namespace kept)" 0 "$?"
link=$(in_keeper ip -d link show tap0 2>&1) || fail "tap0 gone at once: the exit waited for its removal ($link; $(cat "$T_TMP/slirp.log"))"
[[ "$link" == *"persist on"* ]] || fail "tap0 left but not persistent: $link"
kill "$keeper"

after=$(ls -A "$T_TMP/xdg-$TEST_USER" 2>/dev/null | wc -l)
expect_eq "files left in the runtime directory" "$before" "$after"
pass
