# shellcheck shell=bash
# slirp.sh - helpers for burrow-slirp's integration tests (source after sandbox.sh)
#
#   slirp_container         rootless "container": a user+net namespace made by
#                           the test user (unshare), its PID in $CTR_PID
#   slirp_start [ARGS...]   burrow-slirp as the test user on $CTR_PID (tap0, -c);
#                           waits for the ready fd; PID in $SLIRP_PID;
#                           $SLIRP_ENV: extra VAR=VALUE words for its environment
#   in_ctr CMD...           run CMD as (mapped) root inside the container
#   slirp_stop              SIGTERM burrow-slirp and wait for it

# slirp_container: a waiting process in a fresh user+net namespace of the test user
slirp_container() {
	local pidfile="$T_TMP/ctr.pid" i
	: > "$pidfile"; chown "$TEST_USER" "$pidfile"
	as_user unshare --user --map-root-user --net sh -c 'echo $$ > "$1"; exec sleep 1000' _ "$pidfile" &
	local job=$!
	CTR_PID=
	for ((i = 0; i < 100; i++)); do
		CTR_PID=$(cat "$pidfile" 2>/dev/null)
		[ -n "$CTR_PID" ] && [ "$(readlink "/proc/$CTR_PID/exe" 2>/dev/null)" = "$(readlink -f "$(command -v sleep)")" ] && break
		CTR_PID=
		sleep 0.1
	done
	[ -n "$CTR_PID" ] || fail "rootless container namespace did not start"
	on_exit "_stop_pid_job $CTR_PID $job"
	on_exit "kill_netns_procs_of $CTR_PID"
	export CTR_PID
}

# _stop_pid_job PID JOB: SIGTERM PID, give it 10 s, then reap the job around it
_stop_pid_job() {
	local i
	kill "$1" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$2" 2>/dev/null
}

# in_ctr CMD...: as the container's root (the test user) in its namespaces
in_ctr() {
	as_user nsenter --user --net --preserve-credentials -t "$CTR_PID" -- "$@"
}

# slirp_start [ARGS...]: run burrow-slirp, wait until it reports ready
slirp_start() {
	local ready="$T_TMP/slirp.ready"
	: > "$ready"; chown "$TEST_USER" "$ready"
	: > "$T_TMP/slirp.log"; chown "$TEST_USER" "$T_TMP/slirp.log"
	as_user bash -c 'exec 4>"$1"; shift; exec "$@"' _ "$ready" \
		env ${SLIRP_ENV:-} "$BIN/burrow-slirp" -c -r 4 "$@" "$CTR_PID" tap0 2>"$T_TMP/slirp.log" &
	SLIRP_JOB=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(cat "$ready" 2>/dev/null)" = 1 ] && break
		kill -0 "$SLIRP_JOB" 2>/dev/null || { wait "$SLIRP_JOB"; cat "$T_TMP/slirp.log" >&2; fail "burrow-slirp exited during set-up"; }
		sleep 0.1
	done
	[ "$(cat "$ready" 2>/dev/null)" = 1 ] || { kill "$SLIRP_JOB"; cat "$T_TMP/slirp.log" >&2; fail "burrow-slirp not ready"; }
	SLIRP_PID=$(pgrep -u "$TEST_USER" -f "^$BIN/burrow-slirp .*$CTR_PID tap0\$" | head -1)
	[ -n "$SLIRP_PID" ] || fail "burrow-slirp process not found"
	on_exit "_stop_pid_job $SLIRP_PID $SLIRP_JOB"
	export SLIRP_PID SLIRP_JOB
}

# slirp_stop: SIGTERM, then wait (bounded) for a clean exit; returns its status
slirp_stop() {
	kill -TERM "$SLIRP_PID" 2>/dev/null
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$SLIRP_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$SLIRP_JOB"
}

# _listening NS PROTO PORT: whether a socket listens on PORT in namespace NS
_listening() {
	local opt=-Hltn
	[ "$2" = udp ] && opt=-Hlun
	nsenter --net="/run/netns/$1" -- ss $opt "sport = :$3" | grep -q .
}

# serve_echo host|remote PROTO PORT [ADDR]: echo server (echopeer) in the sandbox
# host or remote namespace, waited for, stopped at exit
serve_echo() {
	local ns=$HOST_NS
	[ "$1" = remote ] && ns=$REMOTE_NS
	nsenter --net="/run/netns/$ns" -- "$TOOLS/echopeer" "serve-$2" "$3" ${4:-} &
	local pid=$!
	on_exit "kill $pid"
	retry 100 _listening "$ns" "$2" "$3" || fail "echo server $2/$3 did not start"
}

# exit_fifo PATH: a fifo with a writer that the test user holds open (for -e);
# the writer's PID in $HOLDER_PID (kill it to close the exit fd)
exit_fifo() {
	local path=$1 i
	mkfifo "$path"; chown "$TEST_USER" "$path"
	: > "$path.pid"; chown "$TEST_USER" "$path.pid"
	as_user sh -c 'echo $$ > "$1.pid"; exec sleep 1000 > "$1"' _ "$path" &
	local job=$!
	HOLDER_PID=
	for ((i = 0; i < 100; i++)); do
		HOLDER_PID=$(cat "$path.pid" 2>/dev/null)
		[ -n "$HOLDER_PID" ] && break
		sleep 0.1
	done
	[ -n "$HOLDER_PID" ] || fail "exit fd holder did not start"
	on_exit "_stop_pid_job $HOLDER_PID $job"
	export HOLDER_PID
}
