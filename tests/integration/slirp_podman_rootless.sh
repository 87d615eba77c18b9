#!/bin/bash
# Real Podman, rootless (the unprivileged test user, newuidmap, vfs storage in
# the test's directory) with network_cmd_path = burrow-slirp:
#   podman run -d --network slirp4netns:port_handler=slirp4netns -p 18480:80
# Podman starts burrow-slirp (not slirp4netns) with its argv, adds the
# forward through --api-socket (add_hostfwd); the page is fetched from the
# remote peer and from the host namespace's loopback; the container reaches
# a server on the remote peer; stop + rm leave no burrow-slirp, no process
# of ours and no storage behind.
. "$(dirname "$0")/../lib/sandbox.sh"
need_cmd podman podman
need_cmd crun crun
need_cmd newuidmap uidmap
need_cmd socat socat
[ -x "$BIN/burrow-slirp" ] || fail "$BIN/burrow-slirp not built"
sandbox_net
"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" >/dev/null || fail "mkrootfs"
# sanitizer reports of burrow-slirp (SAN=1 builds) to files, checked at the end
san_capture

# Podman refuses a runroot longer than 50 characters: a short directory
PM=$(mktemp -d /tmp/bwsp.XXXXXX)
on_exit "rm -rf $PM"
mkdir -p "$PM/tmp" "$PM/home"
cp -a "$T_TMP/rootfs" "$PM/rootfs"
cat > "$PM/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
network_cmd_path = "$BIN/burrow-slirp"
EOC
chown -R "$TEST_USER:" "$PM"
chmod 0755 "$PM"
pm() {
	as_user env CONTAINERS_CONF="$PM/containers.conf" HOME="$PM/home" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		timeout 60 podman --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
		--storage-driver vfs --events-backend file --cgroup-manager cgroupfs "$@"
}
# _pm_procs: the test user's processes started with our containers.conf
_pm_procs() {
	local p
	for p in $(pgrep -u "$TEST_USER"); do
		tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" |
			grep -qx "CONTAINERS_CONF=$PM/containers.conf" && echo "$p"
	done
}
_pm_cleanup() {
	pm rm -af -t 0
	pm unshare rm -rf "$PM/storage" "$PM/run"
	# the rootless pause process holding Podman's user namespace, and late
	# exit commands that may start a new one: kill until none is left
	local i found p
	for ((i = 0; i < 30; i++)); do
		found=0
		for p in $(_pm_procs); do kill -9 "$p"; found=1; done
		[ $found = 0 ] && [ "$i" -ge 2 ] && break
		sleep 0.2
	done
}
on_exit _pm_cleanup

# a server on the remote peer for the container's outbound connection
in_remote socat TCP4-LISTEN:18481,reuseaddr,fork SYSTEM:'echo remote-ok' &
on_exit "kill_netns_procs $REMOTE_NS"
wait_port in_remote "$REMOTE_FAR4" 18481 || fail "remote server did not start"

pm run -d --name w1 --network slirp4netns:port_handler=slirp4netns -p 18480:80 \
	--rootfs "$PM/rootfs" httpd -f -p 80 -h /var/www > "$T_TMP/cid" 2>&1 ||
	fail "podman run -d: $(cat "$T_TMP/cid")"
cid=$(tail -1 "$T_TMP/cid")

# burrow-slirp, not slirp4netns, is the container's network helper
slirp_pid() {
	local p
	for p in $(_pm_procs); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$BIN/burrow-slirp")" ] &&
			{ echo "$p"; return 0; }
	done
	return 1
}
sp=$(retry 100 slirp_pid) || fail "no burrow-slirp process for the container ($(ps -u "$TEST_USER" -o pid,args | head -20))"
args=$(tr '\0' ' ' < "/proc/$sp/cmdline")
[[ "$args" == *"--api-socket "* ]] || fail "burrow-slirp without --api-socket: $args"
[[ "$args" == *"--netns-type=path "* ]] || fail "burrow-slirp argv: $args"
for p in $(_pm_procs); do
	[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$(command -v slirp4netns)")" ] &&
		fail "slirp4netns ran instead of burrow-slirp: $(tr '\0' ' ' < "/proc/$p/cmdline")"
done

page='hello from a burrow container'
fetch() { [ "$("$@" 2>/dev/null)" = "$page" ]; }
fetch_retry() {
	local i
	for ((i = 0; i < 50; i++)); do fetch "$@" && return 0; sleep 0.2; done
	return 1
}
slirp_log() { cat "$PM"/tmp/slirp4netns-*.log 2>/dev/null; }
fetch_retry in_remote curl -s --max-time 5 "http://$HOST_IP4:18480/" ||
	fail "page from the remote peer: '$(in_remote curl -s --max-time 5 "http://$HOST_IP4:18480/" 2>&1)'; burrow-slirp log: $(slirp_log)"
fetch_retry in_host curl -s --max-time 5 "http://127.0.0.1:18480/" ||
	fail "page from the host loopback; burrow-slirp log: $(slirp_log)"

out=$(pm exec w1 sh -c "nc $REMOTE_FAR4 18481 </dev/null" 2>&1)
[ "$out" = remote-ok ] || fail "container to the remote peer: '$out'; burrow-slirp log: $(slirp_log)"

pm stop -t 2 w1 >/dev/null 2>&1 || fail "podman stop"
expect_eq "state after stop" exited "$(pm inspect -f '{{.State.Status}}' w1)"
pm rm w1 >/dev/null || fail "podman rm"
gone() { ! kill -0 "$sp" 2>/dev/null || grep -q '^State:.*Z' "/proc/$sp/status" 2>/dev/null; }
retry 100 gone || fail "burrow-slirp $sp still running after podman rm"
in_host curl -s --max-time 2 "http://127.0.0.1:18480/" >/dev/null 2>&1 &&
	fail "port 18480 still forwarded after rm"
expect_eq "containers left" "" "$(pm ps -aq)"
# the API socket file stays (with the real slirp4netns too: neither it nor
# Podman 4.3 unlinks it); nobody listens on it any more
left=$(find "$PM" -name "*$cid*" ! -name "$cid.net" 2>/dev/null | head -3)
expect_eq "container storage left" "" "$left"
_pm_cleanup
expect_eq "processes left" "" "$(_pm_procs)"
expect_no_san_report burrow-slirp
pass
