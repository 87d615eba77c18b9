# shellcheck shell=bash
# bridge_podman.sh - rootful Podman in the sandbox host namespace with
# burrow-bridge as its network backend (source after sandbox.sh and bridge.sh)
need_cmd podman podman
need_cmd crun crun
# short: Podman refuses a runroot longer than 50 characters
PM_TMP=$(mktemp -d /tmp/bwpm.XXXXXX)
on_exit "rm -rf '$PM_TMP'"
mkdir -p "$PM_TMP/helpers" "$PM_TMP/networks"
"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" >/dev/null || fail "scripts/mkrootfs.sh failed"
ROOTFS="$T_TMP/rootfs"
# Podman passes netavark --config /run/containers/networks (fixed in 4.3) and
# does not pass our environment to the clean-up it runs when a container
# exits, so burrow-bridge's records live where a real deployment has them;
# the folder is removed at the end when this test made it.
BR_CFG=/run/containers/networks
[ -e "$BR_CFG/burrow-bridge" ] || on_exit "rm -rf '$BR_CFG/burrow-bridge'"

# pm_conf BACKEND [EXTRA_NETWORK_LINES]: containers.conf for this test
pm_conf() {
	cat > "$PM_TMP/containers.conf" <<C
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
helper_binaries_dir = ["$PM_TMP/helpers"]
runtime = "crun"
events_logger = "file"
cgroup_manager = "cgroupfs"
[network]
network_backend = "$1"
network_config_dir = "$PM_TMP/networks"
${2:-}
C
}
# pm ARGS...: podman, isolated --root/--runroot/--tmpdir, in the sandbox host
# namespace (nsenter, not ip netns exec: that remounts /sys and hides cgroups)
pm() {
	nsenter --net="/run/netns/$HOST_NS" -- env CONTAINERS_CONF="$PM_TMP/containers.conf" \
		podman --root "$PM_TMP/root" --runroot "$PM_TMP/runroot" --tmpdir "$PM_TMP/tmp" \
		--storage-driver vfs "$@"
}
# http_get HOST PORT: the page's body from the remote peer
http_get() {
	printf 'GET /index.html HTTP/1.0\r\n\r\n' |
		in_remote timeout 5 socat -T3 - "TCP:$1:$2,connect-timeout=2" 2>/dev/null | tail -1 | grep .
}
http_get_until() { local i; for ((i = 0; i < 50; i++)); do http_get "$@" && return 0; sleep 0.2; done; return 1; }
