#!/bin/bash
# Adversarial: an attach client floods input to a container that never reads
# its stdin.  burrow-mon never blocks on the container's stdin: the
# container's output keeps reaching the log and the other attach clients at
# its normal rate, the flooding client is back-pressured (its sends block
# once the stdin pipe, the one-message buffer and its socket buffer are
# full; it is neither dropped nor does anything it sent get lost), and
# burrow-mon's RSS and descriptors stay where they were.  (Before the fix,
# each message the container did not take stalled the loop for up to 1 s.)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init
[ -x "$TOOLS/attachc" ] || fail "attachc not built"

id=stall; dir="$T_TMP/$id"
# steady output, stdin never read; the log rotates at 4 MB to stay small
mon_bundle "$dir" false sh -c 'i=0; while :; do echo "line $i"; i=$((i+1)); done'
mon_start "$id" "$dir" -i --leave-stdin-open -l "k8s-file:$dir/ctr.log" --log-size-max 4000000
rt start "$id" || fail "start"
sock="$dir/attach"

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$MON_PID/status"; }
nfd() { ls "/proc/$MON_PID/fd" | wc -l; }
# received BYTES from "received N sent M"
field() { sed -n "s/.*$1 \([0-9]*\).*/\1/p"; }

sleep 0.5
rss0=$(rss); fd0=$(nfd)
# output rate with nobody writing: bytes a reader gets in 2 s
base=$("$TOOLS/attachc" "$sock" -C -w -t 2 | field received)
[ "${base:-0}" -gt 100000 ] || fail "no steady output to compare with (${base:-0} bytes in 2 s)"

# the flood: up to 64 MB of input, for 5 s
"$TOOLS/attachc" "$sock" -F 64000000 -C -t 5 >"$T_TMP/flood.out" 2>&1 &
flood=$!
on_exit "kill $flood"
sleep 0.5
during=$("$TOOLS/attachc" "$sock" -C -w -t 2 | field received)
wait $flood; frc=$?
sent=$(field sent <"$T_TMP/flood.out")
echo "output in 2 s: alone $base bytes, during the flood ${during:-0} bytes; flood sent ${sent:-?} bytes"
[ "$frc" = 0 ] || fail "the flooding client was dropped or failed ($frc): $(cat "$T_TMP/flood.out")"
[ "${during:-0}" -ge $((base / 3)) ] ||
	fail "output stalled while a client flooded stdin: ${during:-0} bytes in 2 s against $base"
# back-pressure: it could not push more than the buffers hold (pipe 64 KiB,
# one 8 KiB message, the socket's buffers)
[ "${sent:-0}" -gt 0 ] || fail "the flooding client sent nothing"
[ "$sent" -lt 8000000 ] || fail "the flooding client was not back-pressured: $sent bytes accepted"

# the log kept filling during the flood (k8s-file lines of the loop): the
# newest whole line, looked for again for a moment when the file was just
# rotated (--log-size-max) and holds none yet
lastline() {
	local i n
	for ((i = 0; i < 20; i++)); do
		n=$(tail -n 20 "$dir/ctr.log" | sed -n 's/.* stdout F line \([0-9]*\)$/\1/p' | tail -n 1)
		[ -n "$n" ] && break
		sleep 0.05
	done
	echo "$n"
}
n1=$(lastline)
sleep 1
n2=$(lastline)
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" != "$n1" ] || fail "the log stopped ($n1 -> $n2)"

# nothing grew: RSS within 1 MB, descriptors as before (clients gone)
sleep 0.3
rss1=$(rss); fd1=$(nfd)
echo "burrow-mon RSS ${rss0} kB -> ${rss1} kB, descriptors $fd0 -> $fd1"
[ "$rss1" -le $((rss0 + 1024)) ] || fail "burrow-mon RSS grew from $rss0 kB to $rss1 kB"
[ "$fd1" -le "$fd0" ] || fail "burrow-mon descriptors grew from $fd0 to $fd1"

rt kill "$id" KILL
expect_eq "exit code" 137 "$(mon_wait_exit "$id" "$dir")"
pass
