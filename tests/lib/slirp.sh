# shellcheck shell=bash
# slirp.sh - helpers for burrow-slirp's integration tests (source after sandbox.sh)
#
#   slirp_container         rootless "container": a user+net namespace made by
#                           the test user (unshare), its PID in $CTR_PID
#   slirp_start [ARGS...]   burrow-slirp as the test user on $CTR_PID (tap0, -c);
#                           waits for the ready fd; PID in $SLIRP_PID
#   in_ctr CMD...           run CMD as (mapped) root inside the container
#   slirp_stop              SIGTERM burrow-slirp and wait for it

# slirp_container: a waiting process in a fresh user+net namespace of the test user
slirp_container() {
	as_user unshare --user --map-root-user --net sleep 1000 &
	local upid=$!
	on_exit "kill $upid 2>/dev/null; wait $upid 2>/dev/null"
	local i
	CTR_PID=
	for ((i = 0; i < 100; i++)); do
		CTR_PID=$(pgrep -P "$(pgrep -P $upid -x setpriv || echo $upid)" -x sleep 2>/dev/null ||
			  pgrep -u "$TEST_USER" -x sleep -n 2>/dev/null)
		if [ -n "$CTR_PID" ] && [ "$(readlink /proc/$CTR_PID/ns/net)" != "$(readlink /proc/$$/ns/net)" ] &&
		   [ "$(readlink /proc/$CTR_PID/ns/user)" != "$(readlink /proc/1/ns/user)" ]; then
			break
		fi
		CTR_PID=
		sleep 0.1
	done
	[ -n "$CTR_PID" ] || fail "rootless container namespace did not start"
	on_exit "kill $CTR_PID 2>/dev/null"
	export CTR_PID
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
		"$BIN/burrow-slirp" -c -r 4 "$@" "$CTR_PID" tap0 2>"$T_TMP/slirp.log" &
	SLIRP_JOB=$!
	on_exit "kill $SLIRP_JOB 2>/dev/null; wait $SLIRP_JOB 2>/dev/null"
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(cat "$ready" 2>/dev/null)" = 1 ] && break
		kill -0 "$SLIRP_JOB" 2>/dev/null || { cat "$T_TMP/slirp.log" >&2; fail "burrow-slirp exited during set-up"; }
		sleep 0.1
	done
	[ "$(cat "$ready" 2>/dev/null)" = 1 ] || { cat "$T_TMP/slirp.log" >&2; fail "burrow-slirp not ready"; }
	SLIRP_PID=$(pgrep -u "$TEST_USER" -f "^$BIN/burrow-slirp .*$CTR_PID tap0\$" | head -1)
	[ -n "$SLIRP_PID" ] || fail "burrow-slirp process not found"
	on_exit "kill $SLIRP_PID 2>/dev/null"
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
