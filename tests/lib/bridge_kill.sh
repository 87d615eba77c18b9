# shellcheck shell=bash
# bridge_kill.sh - crash injection into burrow-bridge (source after bridge.sh):
# SIGKILL at the Nth call of one system call (strace -e inject), for every N
# until the command completes.

# The calls that can change something that outlives the process (files,
# links, rules, children): a kill just before each of them is a distinct
# point of the state on disk and in the kernel.  socket(), setns() and
# flock() change only the process itself (its sockets, its namespace, a lock
# its death releases): a kill before one of them leaves the same state as a
# kill before the next call of this list, so they are left out.
KILL_CALLS="openat mkdir mkdirat write sendto sendmsg rename renameat renameat2
unlink unlinkat rmdir clone clone3"

# LeakSanitizer cannot run under ptrace (make SAN=1): the runs under strace
# go without it, the others keep it
_KILL_SAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# killed_at CALL N CMD...: run CMD (a program, stdin passed on) in the
# sandbox host with a SIGKILL injected at the Nth CALL; status 137 when the
# kill came, else CMD's own
killed_at() {
	local call=$1 n=$2; shift 2
	in_host strace -E "$_KILL_SAN" -o /dev/null -e trace="$call" -e inject="$call":signal=SIGKILL:when="$n" "$@"
}

# calls_made CMD...: run CMD (a program) once in the sandbox host under
# strace -c; print the calls of KILL_CALLS it made, one a line
calls_made() {
	local raw
	raw=$(in_host strace -E "$_KILL_SAN" -c -o /dev/stdout "$@" 2>/dev/null) || return 1
	awk -v want=" $(echo $KILL_CALLS) " 'index(want, " " $NF " ") && $4 ~ /^[0-9]+$/ { print $NF }' <<<"$raw"
}

# no_dead_records: no record but complete ones (a kill after setup
# finished, while it printed its result, leaves a container that is set up,
# which a sweep must keep): no KEY.setup, KEY.teardown or temporary file
no_dead_records() {
	local f
	for f in "$BR_CFG"/burrow-bridge/ctr/*; do
		[ -e "$f" ] || continue
		[[ "$f" == *.json ]] || return 1
	done
	return 0
}

# left_nothing: the sandbox host and the state are as before any setup
# (no_trace's checks, as a status instead of a failure)
left_nothing() {
	settle
	[ -z "$(in_host ip -o link show | awk -F': ' '{print $2}' | grep -v -e '^lo$' -e '^eth0@')" ] &&
		! in_host nft list table inet burrow >/dev/null 2>&1 &&
		[ -z "$(find "$BR_CFG/burrow-bridge" -mindepth 2 ! -name lock 2>/dev/null)" ]
}
