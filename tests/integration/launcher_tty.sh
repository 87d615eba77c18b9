#!/bin/bash
# run -t: in the foreground the container's shell gets a terminal and what is
# typed reaches it (exit code kept); detached (-d -t, burrow-mon) its output
# on the terminal goes to the log; without a terminal -t is a clear error.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_cmd script util-linux
need_bin burrow-mon
launcher_rootfs
ST="$T_TMP/state"
mkdir -p "$ST"
export BURROW_STATE_DIR="$ST"
B="$BIN/burrow"
on_exit "BURROW_STATE_DIR=$ST $B system prune >/dev/null 2>&1"

out=$(printf 'echo typed-$((6*7)); tty\nexit 5\n' |
	timeout 30 script -qec "$B run --rm --network none -t $ROOTFS sh" /dev/null)
rc=$?
expect_eq "exit code through the terminal" 5 "$rc"
[[ $out == *typed-42* ]] || fail "typed input did not reach the shell: $out"
[[ $out == */dev/pts/* ]] || fail "no terminal in the container: $out"

id=$("$B" run -d -t --network none "$ROOTFS" sh -c 'tty; echo on-a-tty') || fail "run -d -t"
for ((i = 0; i < 100; i++)); do
	out=$("$B" logs "$id" 2>/dev/null)
	[[ $out == *on-a-tty* ]] && break
	sleep 0.1
done
[[ $out == */dev/pts/*on-a-tty* ]] || fail "detached -t log: $out"
check "rm -f" "$B" rm -f "$id" >/dev/null

out=$("$B" run --rm --network none -t "$ROOTFS" true </dev/null 2>&1) && fail "-t without a terminal ran"
[[ $out == *"not a terminal"* ]] || fail "-t error: $out"
pass
