#!/bin/bash
# Debian's Podman 4.3 with crun 1.8, rootless: the seccomp profile made by
# `burrow-bypass --seccomp-profile=<Podman's default profile>` names no
# socket; crun's own annotation run.oci.seccomp.receiver=SOCKET tells crun
# where to send the listener (one profile file for every container, a socket
# per container).  The container's connection to the remote peer gets a host
# socket (the peer sees the host's address), the gateway stays on its
# slirp4netns network (burrow-slirp), a `podman exec` session is served too,
# and the agent ends with the container.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bypass_engine.sh"
need_cmd podman podman
need_cmd crun crun
need_cmd newuidmap uidmap
need_cmd socat socat
need_bin burrow-slirp
need_bin burrow-bypass
sandbox_net
"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" >/dev/null || fail "mkrootfs"

# Podman refuses a runroot longer than 50 characters: a short directory
PM=$(mktemp -d /tmp/bwbc.XXXXXX)
on_exit "rm -rf $PM"
mkdir -p "$PM/tmp" "$PM/home"
cp -a "$T_TMP/rootfs" "$PM/rootfs"
cc -O1 -static -o "$PM/rootfs/bin/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread ||
	fail "cc -static tests/tools/bypassprobe.c"
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
BASE=/usr/share/containers/seccomp.json
[ -f "$BASE" ] || fail "$BASE (Podman's default seccomp profile, containers-common) is missing"
"$BIN/burrow-bypass" --seccomp-profile="$BASE" > "$PM/bypass.json" ||
	fail "burrow-bypass --seccomp-profile"
! grep -q listenerPath "$PM/bypass.json" || fail "a profile without SOCKET names a listener"
chown -R "$TEST_USER:" "$PM"
chmod 0755 "$PM"
pm() {
	as_user env CONTAINERS_CONF="$PM/containers.conf" HOME="$PM/home" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		timeout -k 5 60 podman --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
		--storage-driver vfs --events-backend file --cgroup-manager cgroupfs "$@"
}
_pm_cleanup() {
	local i p found
	pm rm -af -t 0
	pm unshare rm -rf "$PM/storage" "$PM/run"
	for ((i = 0; i < 30; i++)); do
		found=0
		for p in $(pgrep -u "$TEST_USER"); do
			tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" |
				grep -qx "CONTAINERS_CONF=$PM/containers.conf" && { kill -9 "$p"; found=1; }
		done
		[ $found = 0 ] && [ "$i" -ge 2 ] && break
		sleep 0.2
	done
}
on_exit _pm_cleanup

bypass_remote_peer

bypass_agent_start "$PM/bypass.sock"
pm run -d --name bc --network slirp4netns --security-opt seccomp="$PM/bypass.json" \
	--annotation run.oci.seccomp.receiver="$PM/bypass.sock" \
	--rootfs "$PM/rootfs" sh -c "bypassprobe tcp $REMOTE_FAR4 9000 >/tmp/run.out; sleep 300" \
	>"$T_TMP/out" 2>&1 || fail "podman run: $(cat "$T_TMP/out") (burrow-bypass: $(cat "$PM/bypass.log"))"
retry 50 grep -q "bypass is on" "$PM/bypass.log" || fail "no listener from crun: $(cat "$PM/bypass.log")"
out=$(pm exec bc sh -c "cat /tmp/run.out; bypassprobe tcp $REMOTE_FAR4 9000; bypassprobe tcp 10.0.2.2 9; true" 2>&1)
echo "$out"
n=$(grep -c "^data=peer-saw-$HOST_IP4\$" <<<"$out")
expect_eq "connections (container, exec session) through host sockets" 2 "$n"
[[ $out == *"connect=Connection refused"* ]] || fail "the gateway was not left to the tap: $out"
pm rm -f -t 0 bc >/dev/null 2>&1
gone() { ! kill -0 "$bp" 2>/dev/null; }
retry 100 gone || fail "burrow-bypass still runs after the container is gone"
cat "$PM/bypass.log"
grep -q "host sockets 2 (connect)" "$PM/bypass.log" || fail "counters: $(cat "$PM/bypass.log")"
pass
