#!/bin/bash
# Rootful Podman with the CNI backend, burrow-bridge as its "bridge" plugin
# (cni_plugin_dirs holds Debian's plugins and our binary under that name):
# Podman's own conflist (bridge with host-local IPAM, portmap, firewall,
# tuning) runs a container with a published port reached from the remote
# peer; removing it leaves no link, rule or record of ours.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_podman.sh"
need_cmd /usr/lib/cni/portmap containernetworking-plugins
sandbox_net
CNI_DIR="$PM_TMP/cni"
mkdir -p "$CNI_DIR"
for p in /usr/lib/cni/*; do ln -s "$p" "$CNI_DIR/"; done
rm "$CNI_DIR/bridge"; ln -s "$BRIDGE" "$CNI_DIR/bridge"
pm_conf cni "cni_plugin_dirs = [\"$CNI_DIR\"]"
# the CNI face keeps its records in /run/burrow/burrow-bridge: the clean-up
# Podman runs when a container exits does not get our environment
BR_CFG=/run/burrow
[ -e "$BR_CFG/burrow-bridge" ] || on_exit "rm -rf '$BR_CFG/burrow-bridge'; rmdir '$BR_CFG' 2>/dev/null"
NET="bwcni$$"
on_exit "pm rm -af -t 0 >/dev/null 2>&1; pm network rm -f $NET >/dev/null 2>&1; rm -rf /var/lib/cni/networks/$NET"

pm network create --subnet 10.89.9.0/24 "$NET" >/dev/null || fail "podman network create (cni)"
grep -q '"type": "bridge"' "$PM_TMP/networks/$NET.conflist" || fail "no bridge plugin in Podman's conflist"
pm run -d --name web --network "$NET" -p 8080:80 --rootfs "$ROOTFS" httpd -f -p 80 -h /var/www >/dev/null ||
	fail "podman run -p with the CNI backend"
got=$(http_get_until "$HOST_IP4" 8080) || fail "published port not reachable from the remote peer"
expect_eq "page through the published port" "hello from a burrow container" "$got"
ls "$BR_CFG/burrow-bridge/ctr/"cni-*.json >/dev/null 2>&1 || fail "burrow-bridge was not the bridge plugin"
in_host nft list table inet burrow >/dev/null || fail "no nftables table of ours"
out=$(pm run --rm --network "$NET" --rootfs "$ROOTFS" ping -c1 -W2 "$REMOTE_FAR4") ||
	fail "second container cannot reach the remote peer: $out"

pm rm -f -t 0 web >/dev/null || fail "podman rm"
pm network rm -f "$NET" >/dev/null
no_trace
pass
