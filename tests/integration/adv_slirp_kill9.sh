#!/bin/bash
# kill -9 of burrow-slirp in the middle of work (a transfer from the
# container, a client of a forwarded port exchanging data, the API socket and
# the splice helper up): everything goes with it at once.  The exit fd has no
# reader left, the tap device is gone from the container's namespace, no
# socket of it stays in the host namespace (forwarded ports free), the splice
# helper ends, the forwarded client sees its connection end instead of
# hanging; a new burrow-slirp on the same container takes the same ports and
# API socket path at once and works.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

[ -x "$TOOLS/spray" ] || fail "spray not built"
sandbox_net
serve_echo remote tcp 7020
slirp_container
in_ctr "$TOOLS/echopeer" serve-tcp 7001 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"
retry 100 _ctr_listening tcp 7001 || fail "container echo server did not start"

api="$T_TMP/xdg-$TEST_USER/api.sock"
_user_xdg "$TEST_USER" >/dev/null
exit_fifo "$T_TMP/exit.fifo"
start() { # burrow-slirp with an exit fd from the holder's fifo, forwards, API, splice
	: > "$T_TMP/ready"; chown "$TEST_USER" "$T_TMP/ready"
	as_user bash -c 'exec 3<"$1" 4>"$2"; shift 2; exec "$@"' _ "$T_TMP/exit.fifo" \
		"$T_TMP/ready" "$BIN/burrow-slirp" -c -6 -e 3 -r 4 --splice --api-socket "$api" \
		-p 18090:7001 -p 18091:7002/udp "$CTR_PID" tap0 2>>"$T_TMP/slirp.log" &
	job=$!
	retry 100 grep -q 1 "$T_TMP/ready" || fail "burrow-slirp not ready: $(cat "$T_TMP/slirp.log")"
	pid=$(pgrep -u "$TEST_USER" -f "^$BIN/burrow-slirp .* $CTR_PID tap0\$" | head -1)
	[ -n "$pid" ] || fail "burrow-slirp not found"
	on_exit "_stop_pid_job $pid $job"
}
gone() { ! kill -0 "$1" 2>/dev/null; }
tap_gone() { ! in_ctr ip link show tap0 >/dev/null 2>&1; }
fwd_conn() { in_host ss -Htn 'sport = :18090' | grep -q .; }
fifo_users() { find /proc/[0-9]*/fd -lname "$T_TMP/exit.fifo" 2>/dev/null | wc -l; }
slirp_sockets() { in_host ss -Htuanp | grep -c "pid=$1,"; }

start
helper=$(pgrep -u "$TEST_USER" -f "^burrow-slirp: splice helper" | head -1)
[ -n "$helper" ] || fail "no splice helper"
expect_eq "exit fifo users before (holder, burrow-slirp)" 2 "$(fifo_users)"

# work in flight: a transfer out of the container, a client of the forward
in_ctr timeout 30 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7020 400000000 >/dev/null 2>&1 &
xfer=$!
in_remote "$TOOLS/spray" steady "$HOST_IP4" 18090 30 > "$T_TMP/steady.out" 2>&1 &
steady=$!
retry 50 fwd_conn || fail "the forwarded client did not connect"
sleep 1
n=$(slirp_sockets "$pid")
[ "$n" -ge 3 ] || fail "burrow-slirp holds only $n sockets before the kill"
kill -KILL "$pid"
t0=$SECONDS

retry 50 gone "$pid" || fail "burrow-slirp survived SIGKILL"
wait "$job" 2>/dev/null
retry 50 gone "$helper" || fail "splice helper $helper outlived burrow-slirp"
expect_eq "exit fifo users after (the holder)" 1 "$(fifo_users)"
retry 50 tap_gone || fail "tap0 still in the container's namespace"
expect_eq "sockets of burrow-slirp left in the host namespace" 0 "$(slirp_sockets "$pid")"
in_host ss -Htlnu | grep -qE ':1809[01]\b' && fail "a forwarded port is still bound"
# the forwarded client is told, it does not hang
retry 50 gone "$steady" || fail "the forwarded client still waits 5 s after the kill"
wait "$steady" && fail "the forwarded client did not see its connection end"
echo "forwarded client after the kill: $(cat "$T_TMP/steady.out")"
kill "$xfer" 2>/dev/null; wait "$xfer" 2>/dev/null

# a new burrow-slirp: same ports, same API socket path, at once
start
expect_eq "exit fifo users with the new one" 2 "$(fifo_users)"
out=$(in_remote timeout 20 "$TOOLS/echopeer" tcp "$HOST_IP4" 18090 100000 2>&1)
expect_eq "the forward of the new burrow-slirp" ok "$out"
out=$(as_user timeout 5 socat - "UNIX-CONNECT:$api" <<<'{"execute":"list_hostfwd"}' 2>&1)
[[ $out == *'"host_port": 18090'* || $out == *'"host_port":18090'* ]] ||
	fail "API socket of the new burrow-slirp: $out"
pass "all gone $((SECONDS - t0)) s after SIGKILL; restarted on the same ports"
