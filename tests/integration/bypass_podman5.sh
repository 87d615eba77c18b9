#!/bin/bash
# Podman 5 (built from its Go module) with runc, rootless: a container run
# with --security-opt seccomp=PROFILE, PROFILE made by
# `burrow-bypass --seccomp-profile=<Podman's default profile> SOCKET` (connect,
# bind and the send calls SCMP_ACT_NOTIFY, listenerPath SOCKET), gets host
# sockets for its connections to the remote peer (the peer sees the host's
# address, the container's getsockname too), while the gateway stays on its
# slirp4netns network (burrow-slirp); a `podman exec` session's listener is
# served too; the agent ends with the container.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bypass_engine.sh"
. "$TOP/tests/lib/podman5.sh"
need_cmd runc runc
need_cmd newuidmap uidmap
need_cmd socat socat
need_bin burrow-slirp
need_bin burrow-bypass
need_bin burrow-bridge
sandbox_net
"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" >/dev/null || fail "mkrootfs"

PM=$(mktemp -d /tmp/bwbp.XXXXXX)
on_exit "rm -rf $PM"
mkdir -p "$PM/tmp" "$PM/home" "$PM/helpers"
cp -a "$T_TMP/rootfs" "$PM/rootfs"
cc -O1 -static -o "$PM/rootfs/bin/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread ||
	fail "cc -static tests/tools/bypassprobe.c"
ln -s "$BIN/burrow-slirp" "$PM/helpers/slirp4netns"
ln -s "$BIN/burrow-bridge" "$PM/helpers/netavark"
cat > "$PM/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
helper_binaries_dir = ["$PM/helpers"]
EOC
BASE=/usr/share/containers/seccomp.json
[ -f "$BASE" ] || fail "$BASE (Podman's default seccomp profile, containers-common) is missing"
"$BIN/burrow-bypass" --seccomp-profile="$BASE" "$PM/bypass.sock" > "$PM/bypass.json" ||
	fail "burrow-bypass --seccomp-profile"
chown -R "$TEST_USER:" "$PM"
chmod 0755 "$PM"
on_exit _pm_cleanup

bypass_remote_peer

# the agent as the user who runs Podman, started before the container
bypass_agent_start "$PM/bypass.sock"
pm run -d --name bp --network slirp4netns --security-opt seccomp="$PM/bypass.json" \
	--rootfs "$PM/rootfs" sleep 300 >"$T_TMP/out" 2>&1 ||
	fail "podman run: $(cat "$T_TMP/out") (burrow-bypass: $(cat "$PM/bypass.log"))"
retry 50 grep -q "bypass is on" "$PM/bypass.log" || fail "no listener from runc: $(cat "$PM/bypass.log")"
# the container's first process is sleep: every probe runs in an exec session,
# whose runc sends a listener of its own
out=$(pm exec bp sh -c "bypassprobe tcp $REMOTE_FAR4 9000; bypassprobe tcp 10.0.2.2 9; true" 2>&1)
echo "$out"
[[ $out == *"local=$HOST_IP4"*"data=peer-saw-$HOST_IP4"* ]] ||
	fail "the connection to the remote peer did not get a host socket: $out ($(cat "$PM/bypass.log"))"
[[ $out == *"connect=Connection refused"* ]] || fail "the gateway was not left to the tap: $out"
pm rm -f -t 0 bp >/dev/null 2>&1
gone() { ! kill -0 "$bp" 2>/dev/null; }
retry 100 gone || fail "burrow-bypass still runs after the container is gone"
cat "$PM/bypass.log"
grep -q "host sockets 1 (connect)" "$PM/bypass.log" || fail "counters: $(cat "$PM/bypass.log")"
pass
