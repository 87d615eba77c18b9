#!/bin/bash
# -t: the container gets a pseudo-terminal received over --console-socket;
# its output is logged, and a resize on the ctl FIFO reaches the terminal.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

dir="$T_TMP/tty"
mon_bundle "$dir" true sh -c 'tty; i=0; while [ $i -lt 100 ]; do [ "$(stty size)" = "30 100" ] && { echo resized; exit 0; }; sleep 0.1; i=$((i+1)); done; stty size; exit 1'
mon_start tty "$dir" -t -l "k8s-file:$dir/ctr.log"
[ -p "$dir/ctl" ] || fail "no ctl FIFO"
echo "1 30 100" > "$dir/ctl"
rt start tty || fail "start"
code=$(mon_wait_exit tty "$dir")
grep -q ' stdout [PF] /dev/pts/' "$dir/ctr.log" || fail "no tty in the log: $(cat "$dir/ctr.log")"
expect_eq "exit (1 = resize not seen)" 0 "$code"
grep -q 'resized' "$dir/ctr.log" || fail "no 'resized' in the log"
pass
