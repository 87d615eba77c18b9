#!/bin/bash
# burrow attach, rootless, driven through a pseudo-terminal (tests/tools/ptydrive):
# - run -d -t, then attach: an interactive terminal (what is typed reaches the
#   shell, our terminal's size is the container's), ctrl-p ctrl-q detaches and leaves it running, a second attach
#   gets the exit code when the shell exits while attached;
# - run -d (no -t): output on our stdout and stderr, the exit code;
# - run -d -i: our stdin reaches the container; --rm: the exit code is still
#   read before the record goes;
# - attaching to a foreground or exited container is a clear error.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
attach_test_setup tsh tod out1 in1

# -d -t, attach: an interactive terminal, detach keys
check "run -d -t" as_user "$B" run -d -t --name tsh --network none "$ROOTFS" sh >/dev/null
out=$(as_user "$TOOLS/ptydrive" -T 30 -r -s 'echo typed-$((6*7)); tty; stty size\r' -e typed-42 \
	-e /dev/pts/ -e '24 80' -s '\x10\x11' -- "$B" attach tsh) ||
	fail "attach -t / detach: rc $?, output: $out"
st=$(as_user "$B" inspect tsh | jq -r .[0].State.Status)
expect_eq "still running after ctrl-p ctrl-q" running "$st"
# attached again: the shell's exit ends the attach with its code
as_user "$TOOLS/ptydrive" -T 30 -r -s 'exit 5\r' -- "$B" attach tsh >"$T_TMP/tty2.out"
rc=$?
expect_eq "attach -t returns the exit code" 5 "$rc"
# ctrl-p followed by anything else is passed on (od reads the terminal)
check "run -d -t od" as_user "$B" run -d -t --name tod --network none "$ROOTFS" od -An -c >/dev/null
as_user "$TOOLS/ptydrive" -T 30 -r -s 'a\x10c\n\x04' -- "$B" attach tod >"$T_TMP/tty3.out"
rc=$?
expect_eq "od ended with its input" 0 "$rc"
grep -q 'a 020   c' "$T_TMP/tty3.out" || fail "ctrl-p c did not pass: $(cat "$T_TMP/tty3.out")"

# -d without -t: stdout and stderr apart, exit code; the container waits
# for the attach before it prints (ticks until $SYNC/go appears)
check "run -d" as_user "$B" run -d --name out1 --network none -v "$SYNC:/tmp:ro" "$ROOTFS" \
	sh -c 'while [ ! -e /tmp/go ]; do echo tick; sleep 0.1; done; echo to-stdout; echo to-stderr >&2; exit 7' \
	>/dev/null
as_user "$B" attach out1 >"$T_TMP/a.out" 2>"$T_TMP/a.err" &
apid=$!
retry 100 grep -q tick "$T_TMP/a.out" || fail "attach shows no output: $(cat "$T_TMP/a.err")"
touch "$SYNC/go"
wait $apid
rc=$?
expect_eq "attach returns the exit code" 7 "$rc"
grep -q to-stdout "$T_TMP/a.out" || fail "stdout: $(cat "$T_TMP/a.out")"
grep -q to-stderr "$T_TMP/a.err" || fail "stderr: $(cat "$T_TMP/a.err")"
grep -q to-stderr "$T_TMP/a.out" && fail "stderr came on stdout"
out=$(as_user "$B" attach out1 2>&1) && fail "attached to an exited container"
[[ $out == *"not running"* ]] || fail "attach to exited: $out"

# -d -i --rm: our stdin reaches it, the exit code survives the removal
rm -f "$SYNC/go"
check "run -d -i --rm" as_user "$B" run -d -i --rm --name in1 --network none "$ROOTFS" \
	sh -c 'read line; echo "got $line"; exit 3' >/dev/null
out=$(printf 'hello\n' | as_user "$B" attach in1)
rc=$?
expect_eq "attach -i exit code" 3 "$rc"
expect_eq "stdin through attach" "got hello" "$out"
for ((i = 0; i < 100; i++)); do
	as_user "$B" inspect in1 >/dev/null 2>&1 || break
	sleep 0.1
done
as_user "$B" inspect in1 >/dev/null 2>&1 && fail "--rm record left after attach"

# a foreground container has no supervisor socket to attach to
as_user "$B" run --rm --name fg --network none -v "$SYNC:/tmp:ro" "$ROOTFS" \
	sh -c 'while [ ! -e /tmp/fg ]; do sleep 0.1; done' >/dev/null 2>&1 &
fpid=$!
on_exit "kill $fpid 2>/dev/null; touch $SYNC/fg"
retry 100 as_user "$B" inspect fg >/dev/null 2>&1 || fail "foreground container not seen"
# while the runtime starts it, it is "not running" (seen once just after
# inspect said running): ask again for up to 5 s
for ((i = 0; i < 50; i++)); do
	out=$(as_user "$B" attach fg 2>&1) && fail "attached to a foreground container"
	[[ $out == *"is not running"* ]] || break
	sleep 0.1
done
[[ $out == *"nothing to attach"* ]] || fail "attach to foreground: $out"
touch "$SYNC/fg"
wait $fpid
pass
