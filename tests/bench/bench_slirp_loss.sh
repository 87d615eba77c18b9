#!/bin/bash
# bench_slirp_loss.sh - container -> remote TCP under loss on the tap, burrow-slirp
# against slirp4netns in one run: an NFQUEUE dropper (tests/tools/nfqdrop) in
# the container's namespace drops 1% and 5% of the frames the container sends
# (and, last row, drops 5% and holds back 10% by 5 ms: reordering; the
# sender's kernel does not retransmit a frame still held in its own queue, so
# that row carries retransmission timeouts of its own for both tools), and
# corrupts 0.5% (the container's kernel drops those frames here).  Prints
# the transfer time and the longest stall the receiver saw, and burrow's
# ratio to slirp4netns (goal: <= 1.5, no stall over 1 s).
#   LOSS_BYTES (default 64 MiB), BENCH_MTU (default 65520)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_loss.sh"
. "$TOP/tests/lib/bench.sh"

BYTES=${LOSS_BYTES:-67108864}
MTU=${BENCH_MTU:-65520}
export LOSS_TIMEOUT=300
[ -x "$BIN/burrow-slirp" ] || fail "burrow-slirp not built"
command -v slirp4netns >/dev/null || skip "slirp4netns not installed"
sandbox_net

# start_tool NAME: a fresh container with NAME attached to it
start_tool() {
	slirp_container
	if [ "$1" = burrow ]; then
		slirp_start --mtu "$MTU"
		return
	fi
	as_user slirp4netns -c --mtu "$MTU" "$CTR_PID" tap0 >"$T_TMP/$1.log" 2>&1 &
	local job=$! i pid
	for ((i = 0; i < 100; i++)); do
		in_ctr ip -4 route show default 2>/dev/null | grep -q default && break
		sleep 0.1
	done
	pid=$(pgrep -u "$TEST_USER" -f "slirp4netns.* $CTR_PID" | head -1)
	[ -n "$pid" ] || { cat "$T_TMP/$1.log"; fail "$1 did not start"; }
	on_exit "_stop_pid_job $pid $job"
}

cases=("10" "50" "50 100 5" "0 0 0 5")
declare -A R
for t in burrow slirp4netns; do
	start_tool "$t"
	loss_setup
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		loss_start $c
		loss_transfer "$BYTES"
		R[$t,$c]="$LOSS_MS $LOSS_GAP_MS $LOSS_DROPPED"
	done
	kill "$CTR_PID"
done

printf '\n%s MiB container -> remote, MTU %s, %s CPUs\n' $((BYTES >> 20)) "$MTU" "$(nproc)"
printf '%-26s %14s %14s %14s %14s %8s\n' case "burrow ms" "max stall ms" "slirp4netns ms" "max stall ms" ratio
for c in "${cases[@]}"; do
	read -r bm bg _ <<<"${R[burrow,$c]}"
	read -r sm sg _ <<<"${R[slirp4netns,$c]}"
	set -- $c
	name=$(case_name "$@")
	printf '%-26s %14s %14s %14s %14s %8s\n' "$name" "$bm" "$bg" "$sm" "$sg" \
		"$(bench_ratio "$bm" "$sm")"
done
pass
