#!/bin/bash
# burrow-slirp as pasta, called the way rootlesskit 2 and Podman call it: with
# stdout and stderr a pipe the engine reads to its end (Go's CombinedOutput).
# Once the namespace is configured the foreground exits 0 and the background
# process must let go of that pipe (stdout/stderr to /dev/null, or to the -l
# file), else the engine waits forever. Both target forms (a PID, as
# rootlesskit passes it, and --netns/--userns), with -T/-U (whose socket
# helper in the namespace holds no pipe either), the -P PID file and -l log
# file work although the background process sits in an empty filesystem root.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
need_bin burrow-slirp
sandbox_net
slirp_container
PASTA="$T_TMP/bin/pasta"
# whatever still runs from our pasta link (its path is this test's own)
on_exit 'for p in $(pgrep -f "^$PASTA "); do kill -KILL $p; done'
mkdir -p "$T_TMP/bin" && ln -s "$BIN/burrow-slirp" "$PASTA" && chmod 0755 "$T_TMP/bin"
chmod 0777 "$T_TMP"

# through_pipe LABEL ARGS...: run pasta with its output piped, as engines do;
# check it returns at once, exits 0, and its background process holds no pipe
through_pipe() {
	local label=$1 t0 t1 rc pid fd
	shift
	rm -f "$T_TMP/pasta.pid"
	t0=$(date +%s%N)
	as_user timeout 10 "$PASTA" -P "$T_TMP/pasta.pid" "$@" 2>&1 | timeout 5 cat >"$T_TMP/$label.out"
	rc=${PIPESTATUS[0]} rc_read=${PIPESTATUS[1]}
	t1=$(date +%s%N)
	[ "$rc_read" = 124 ] && fail "$label: the pipe stayed open: the background process kept it"
	pid=$(cat "$T_TMP/pasta.pid" 2>/dev/null)
	[ -n "$pid" ] && on_exit "kill $pid 2>/dev/null"
	[ "$rc" = 0 ] || fail "$label: pasta exited $rc: $(cat "$T_TMP/$label.out")"
	[ $(((t1 - t0) / 1000000)) -lt 5000 ] ||
		fail "$label: the pipe stayed open $(((t1 - t0) / 1000000)) ms: the background process kept it"
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "$label: no background process in the PID file"
	for fd in 0 1 2; do
		[[ "$(readlink "/proc/$pid/fd/$fd")" == pipe:* ]] && fail "$label: background fd $fd is still a pipe"
	done
	in_ctr ip -o link show tap0 >/dev/null || fail "$label: no tap0 in the namespace"
	echo "$label: foreground returned in $(((t1 - t0) / 1000000)) ms"
	kill "$pid"
	retry 50 sh -c "! kill -0 $pid 2>/dev/null" || fail "$label: background process did not stop on SIGTERM"
}
through_pipe pid-target --ns-ifname=tap0 --config-net -t none -u none -T none -U none "$CTR_PID"
as_user sh -c ": >$T_TMP/pasta.log"
through_pipe netns-target --ns-ifname=tap0 --config-net -t none -u none -T none -U none -l "$T_TMP/pasta.log" \
	--netns "/proc/$CTR_PID/ns/net" --userns "/proc/$CTR_PID/ns/user"
# -T/-U start the socket helper in the namespace: it must let go of the pipe too
through_pipe ns-forwards --ns-ifname=tap0 --config-net -t none -u none -T 18599 -U auto "$CTR_PID"
pass
