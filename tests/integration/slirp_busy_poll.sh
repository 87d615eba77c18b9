#!/bin/bash
# burrow-slirp polls briefly before it sleeps, and learns how long (--busy-poll,
# busypoll.h): under request/response traffic it answers from polling instead
# of sleeping; idle, it stops polling at once and costs no CPU; --busy-poll=0
# never polls; a value out of range is refused by name.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

cpu_ms() { awk '{ printf "%d", $1 / 1000000 }' "/proc/$SLIRP_PID/schedstat"; }
# sleeps_avoided: "HITS WAITS" from the exit log line
sleeps_avoided() {
	sed -n 's/.*busy polling (up to [0-9]* us): \([0-9]*\) of \([0-9]*\) sleeps avoided.*/\1 \2/p' "$T_TMP/slirp.log"
}

out=$(as_user "$BIN/burrow-slirp" --busy-poll=1001 1 tap0 2>&1) && fail "--busy-poll=1001 accepted"
case $out in *"--busy-poll: expected a number from 0 to 1000, got '1001'"*) ;;
	*) fail "--busy-poll=1001: unexpected message: $out" ;; esac
out=$(as_user "$BIN/burrow-slirp" --pasta --busy-poll x 2>&1) && fail "pasta face: --busy-poll x accepted"
case $out in *"--busy-poll: expected a number from 0 to 1000"*) ;;
	*) fail "pasta face: --busy-poll x: unexpected message: $out" ;; esac

sandbox_net
serve_echo remote tcp 7100
for max in 1000 0; do
	slirp_container
	slirp_start --debug --busy-poll=$max
	out=$(in_ctr timeout 60 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 2000 2>&1) || fail "rr: $out"
	echo "--busy-poll=$max: $out"
	# idle now: within a few waits the window is gone, so no CPU but the timer's
	sleep 0.5
	c0=$(cpu_ms)
	sleep 2
	c1=$(cpu_ms)
	echo "--busy-poll=$max: $((c1 - c0)) ms of CPU in 2 s idle"
	[ $((c1 - c0)) -le 60 ] || fail "--busy-poll=$max: $((c1 - c0)) ms of CPU in 2 s idle (polls while idle)"
	slirp_stop || fail "burrow-slirp exit status $?"
	read -r hits waits < <(sleeps_avoided)
	echo "--busy-poll=$max: ${hits:-?} of ${waits:-?} sleeps avoided"
	[ -n "$hits" ] || { cat "$T_TMP/slirp.log"; fail "no busy-polling line in the exit log"; }
	if [ "$max" = 0 ]; then
		[ "$hits" = 0 ] && [ "$waits" = 0 ] || fail "--busy-poll=0 polled ($hits of $waits)"
	else
		# round trips far shorter than 1 ms: most of the loop's waits end in polling
		[ "$hits" -ge 500 ] || fail "--busy-poll=$max: only $hits of $waits sleeps avoided in 2000 round trips"
	fi
	kill "$CTR_PID" 2>/dev/null
done
pass
