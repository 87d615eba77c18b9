#!/bin/bash
# --preserve-fds N (Podman: --runtime-opt --preserve-fds --runtime-opt N, for
# `podman run --preserve-fds` and socket activation): descriptors 3..3+N-1
# reach the container, no other of burrow-mon's does, and burrow-mon keeps
# no copy (a reader of a pipe passed down sees end-of-file when the
# container closes it, not when the supervisor exits).  A hole in the range
# is refused by name; LISTEN_PID is rewritten for the runtime with
# --replace-listen-pid.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

dir="$T_TMP/pfd"
mkfifo "$T_TMP/fifo"
cat "$T_TMP/fifo" >"$T_TMP/fifo.out" &
reader=$!
on_exit "kill $reader"
# the container writes to both, closes them, stays
mon_bundle "$dir" false sh -c 'echo via-fd3 >&3; echo via-fd4 >&4; exec 3>&- 4>&-; echo closed; exec sleep 100'
mon_start pfd "$dir" -l "k8s-file:$dir/ctr.log" --runtime-opt --preserve-fds --runtime-opt 2 \
	3>"$T_TMP/fifo" 4>>"$T_TMP/file"
rt start pfd || fail "start"
# end-of-file on the pipe while the container (and burrow-mon) still run
for _ in $(seq 100); do kill -0 $reader 2>/dev/null || break; sleep 0.1; done
kill -0 $reader 2>/dev/null && fail "the pipe passed as fd 3 is still held open after the container closed it"
kill -0 "$MON_PID" || fail "burrow-mon is gone"
expect_eq "fd 3 (a pipe) in the container" via-fd3 "$(cat "$T_TMP/fifo.out")"
expect_eq "fd 4 (a file) in the container" via-fd4 "$(cat "$T_TMP/file")"
retry 50 grep -q 'stdout F closed' "$dir/ctr.log" || fail "the container did not get that far"
# none of ours leaked into the container: not even the sync pipe (fd 9)
fds=$(ls "/proc/$MON_CPID/fd" | sort -n | tr '\n' ' ')
expect_eq "the container's descriptors once it closed 3 and 4" "0 1 2 " "$fds"
rt kill pfd KILL
mon_wait_exit pfd "$dir" >/dev/null

# the direct spelling, and a count with a hole in it: refused, named
dir="$T_TMP/pfd2"
mon_bundle "$dir" false sh -c 'echo direct >&3'
mon_start pfd2 "$dir" -l "k8s-file:$dir/ctr.log" --preserve-fds 1 3>>"$T_TMP/file2"
rt start pfd2 || fail "start pfd2"
expect_eq "exit code, --preserve-fds 1" 0 "$(mon_wait_exit pfd2 "$dir")"
expect_eq "fd 3 with --preserve-fds 1" direct "$(cat "$T_TMP/file2")"
out=$(_OCI_SYNCPIPE=9 "$BIN/burrow-mon" --api-version 1 -c hole -r "$MON_RUNTIME" -b "$dir" \
	-p "$dir/pidfile-hole" --preserve-fds 3 -l none 9>"$T_TMP/sync-hole" 3>/dev/null 4>/dev/null 5<&- 2>&1)
rc=$?
[ "$rc" != 0 ] || fail "a hole in --preserve-fds was accepted"
[[ "$out" == *"--preserve-fds 3: descriptor 5 is not open"* ]] || fail "message: $out"
grep -q '"data": -1' "$T_TMP/sync-hole" || fail "sync pipe: $(cat "$T_TMP/sync-hole")"

# socket activation (systemd hands LISTEN_FDS descriptors from 3 up and
# LISTEN_PID to the engine): with --replace-listen-pid the runtime gets
# LISTEN_PID set to its own PID, which runc requires before it passes the
# descriptors on (crun does not look)
rt delete -f pfd; rt delete -f pfd2
MON_RUNTIME=$(command -v runc) || fail "runc not installed (scripts/deps.sh installs it)"
dir="$T_TMP/lfd"
mon_bundle "$dir" false sh -c 'echo "pid=$LISTEN_PID fds=$LISTEN_FDS"; echo listen >&3'
LISTEN_FDS=1 LISTEN_PID=1 mon_start lfd "$dir" -l "k8s-file:$dir/ctr.log" --replace-listen-pid \
	3>>"$T_TMP/file3"
rt start lfd || fail "start lfd"
expect_eq "exit code, socket activation" 0 "$(mon_wait_exit lfd "$dir")"
grep -q 'stdout F pid=1 fds=1$' "$dir/ctr.log" || fail "LISTEN_* in the container: $(cat "$dir/ctr.log")"
expect_eq "fd 3 with LISTEN_FDS" listen "$(cat "$T_TMP/file3")"
pass
