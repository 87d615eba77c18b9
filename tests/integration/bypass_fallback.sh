#!/bin/bash
# burrow-bypass when the runtime hands it no seccomp listener: it says so in
# one clear log line and exits; a connection that brings no descriptor is
# dropped with a warning, not taken for a listener; without bypass the
# container's traffic keeps its slirp path (burrow run --network slirp).
. "$(dirname "$0")/../lib/sandbox.sh"
need_bin burrow-bypass
sock="$T_TMP/bypass.sock"
# a client that connects and sends a byte without a descriptor, then nothing;
# it waits for the socket to exist (a fixed 0.5 s once lost the race on a
# loaded machine: socat found no socket and the warning never came)
(retry 50 test -S "$sock"; printf x | socat - UNIX-CONNECT:"$sock") &
out=$("$BIN/burrow-bypass" --listener-timeout=2 "$sock" 2>&1)
rc=$?
echo "$out"
expect_eq "exit status without a listener" 0 "$rc"
[[ $out == *"brought no seccomp listener"* ]] || fail "no warning for the empty connection: $out"
[[ $out == *"no seccomp listener from the OCI runtime"*"bypass is off, all traffic takes the slirp path"* ]] ||
	fail "no fallback line: $out"
[ ! -e "$sock" ] || fail "socket file left behind"
# options are implemented or refused by name
out=$("$BIN/burrow-bypass" --cidr=nonsense "$sock" 2>&1) && fail "bad --cidr accepted"
[[ $out == *"--cidr nonsense"* ]] || fail "unclear --cidr error: $out"
out=$("$BIN/burrow-bypass" -p 70000 "$sock" 2>&1) && fail "bad -p accepted"
[[ $out == *"invalid -p 70000"* ]] || fail "unclear -p error: $out"
pass
