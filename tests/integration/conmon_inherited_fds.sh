#!/bin/bash
# Descriptors the engine hands burrow-mon beyond the sync/start pipes and
# --preserve-fds are held for the container's life and closed when it exits,
# before the exit file is written, as conmon does.  Podman relies on it:
# rootless Podman 4.3 starts slirp4netns with --exit-fd reading a pipe whose
# write end lives only in conmon, so closing it early took the container's
# network down at once (tests/integration/conmon_podman_rootless.sh runs
# that).  The runtime and the container never see these descriptors.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

dir="$T_TMP/inh"
mkfifo "$T_TMP/exitfd"
# the reader stands for slirp4netns: it waits for end-of-file
( cat "$T_TMP/exitfd" >/dev/null; touch "$T_TMP/eof" ) &
reader=$!
on_exit "kill $reader"
mon_bundle "$dir" false sleep 100
mon_start inh "$dir" -l none 7>"$T_TMP/exitfd"
rt start inh || fail "start"
sleep 0.5
kill -0 $reader 2>/dev/null || fail "end-of-file on the pipe while the container runs: burrow-mon did not hold fd 7"
fds=$(ls "/proc/$MON_CPID/fd" | sort -n | tr '\n' ' ')
expect_eq "the container's descriptors (fd 7 not passed on)" "0 1 2 " "$fds"
flags=$(awk '/^flags:/ { print $2 }' "/proc/$MON_PID/fdinfo/7")
[ $((8#$flags & 8#2000000)) -ne 0 ] || fail "held fd 7 is not close-on-exec (flags $flags)"
rt kill inh KILL
expect_eq "exit code" 137 "$(mon_wait_exit inh "$dir")"
retry 50 test -e "$T_TMP/eof" || fail "no end-of-file on the pipe after the container exited"
pass
