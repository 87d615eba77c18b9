# shellcheck shell=bash
# slirp_loss.sh - a lossy tap for burrow-slirp tests (source after slirp.sh,
# once the container and its tap0 exist)
#
#   loss_setup              NFQUEUE rule on tap0's output in the container's
#                           namespace, and a tcpsink server on the remote peer
#   loss_start PERMILLE [HOLD_PERMILLE HOLD_MS [CORRUPT_PERMILLE]]
#                           (re)start nfqdrop at that loss (hold-back, corruption) rate
#   loss_transfer BYTES     one container -> remote transfer under the current
#                           loss; sets LOSS_MS, LOSS_GAP_MS (longest stall seen
#                           by the receiver), LOSS_BAD (bytes received wrong),
#                           LOSS_DROPPED, LOSS_LINE
#
#   case_name PERMILLE [HOLD_PERMILLE HOLD_MS [CORRUPT_PERMILLE]]
#                           prints "1.0% loss, 10% held 5 ms, 0.5% corrupted"
#
# nfqdrop (tests/tools) answers the queue from user space, so the container's
# kernel sees every frame as sent: a drop in the rule itself would be reported
# back to its TCP, which then sends the frame again at once (no loss at all).

loss_setup() {
	nsenter --net="/proc/$CTR_PID/ns/net" -- iptables -A OUTPUT -o tap0 -j NFQUEUE \
		--queue-num 3 --queue-bypass || fail "iptables: cannot add the NFQUEUE rule"
	on_exit "nsenter --net=/proc/$CTR_PID/ns/net -- iptables -F OUTPUT"
	if ! _listening "$REMOTE_NS" tcp 7200; then
		nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/tcpsink" serve 7200 >"$T_TMP/sink.out" &
		on_exit "kill $!"
		retry 100 _listening "$REMOTE_NS" tcp 7200 || fail "tcpsink did not start"
	fi
	LOSS_PID=
}

loss_start() {
	loss_stop
	: > "$T_TMP/drop.out"
	# nsenter execs nfqdrop, so $! is the dropper itself
	nsenter --net="/proc/$CTR_PID/ns/net" -- "$TOOLS/nfqdrop" 3 "$@" >"$T_TMP/drop.out" 2>&1 &
	LOSS_PID=$!
	on_exit "kill $LOSS_PID 2>/dev/null"
	retry 50 grep -q ready "$T_TMP/drop.out" || fail "nfqdrop did not start: $(cat "$T_TMP/drop.out")"
}

loss_stop() {
	[ -n "${LOSS_PID:-}" ] || return 0
	kill "$LOSS_PID"
	wait "$LOSS_PID"
	LOSS_PID=
}

loss_transfer() {
	local lines out
	lines=$(wc -l < "$T_TMP/sink.out")
	out=$(in_ctr timeout "${LOSS_TIMEOUT:-60}" "$TOOLS/tcpsink" send "$REMOTE_FAR4" 7200 "$1" 2>&1) ||
		fail "transfer failed: $out"
	retry 50 test "$(wc -l < "$T_TMP/sink.out")" -gt "$lines" || fail "tcpsink reported nothing"
	LOSS_LINE=$(tail -1 "$T_TMP/sink.out")
	[ "${LOSS_LINE%% *}" = "bytes=$1" ] || fail "transfer: $LOSS_LINE, expected bytes=$1"
	LOSS_MS=$(echo "$LOSS_LINE" | sed 's/.* ms=\([0-9]*\).*/\1/')
	LOSS_GAP_MS=$(echo "$LOSS_LINE" | sed 's/.*max_gap_ms=\([0-9]*\).*/\1/')
	LOSS_BAD=$(echo "$LOSS_LINE" | sed 's/.*bad=\([0-9]*\).*/\1/')
	loss_stop
	LOSS_DROPPED=$(grep -o 'dropped=[0-9]*' "$T_TMP/drop.out" | cut -d= -f2)
}

case_name() {
	local s="$(($1 / 10)).$(($1 % 10))% loss"
	[ "${2:-0}" -gt 0 ] && s+=", $(($2 / 10))% held $3 ms"
	[ "${4:-0}" -gt 0 ] && s+=", $(($4 / 10)).$(($4 % 10))% corrupted"
	echo "$s"
}
