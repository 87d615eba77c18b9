#!/bin/bash
# The Kubernetes node path: containerd 2.2's CRI plugin, driven by crictl as a
# kubelet drives it, takes pod networks from burrow-bridge through its CNI
# config folder. Two pod sandboxes (crictl runp) with hostPort mappings (the
# portMappings capability): addresses, pod-to-pod on the node, each hostPort
# from the remote peer; crictl stopp/rmp leave no link, nft element, burrow
# state or namespace. containerd runs in the sandbox host namespace with its
# root, state and socket under the test's folder; the pause image is a local
# OCI image made from busybox-static and imported with ctr. A server in each
# pod's network namespace stands for its containers.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/consumers.sh"
need_bin burrow-bridge
need_cmd /usr/lib/cni/loopback containernetworking-plugins
need_cmd /usr/sbin/runc runc
need_consumer containerd containerd-shim-runc-v2 ctr crictl
sandbox_net

PLUG="$T_TMP/cni-bin"; cni_plugin_dir "$PLUG"
if [ -n "${DBG:-}" ]; then rm "$PLUG/burrow-bridge"; printf '#!/bin/sh\ntee -a %s/cni.in | %s/burrow-bridge\n' "$T_TMP" "$BIN" >"$PLUG/burrow-bridge"; chmod +x "$PLUG/burrow-bridge"; fi
CONFD="$T_TMP/net.d"; mkdir -p "$CONFD"
NET="k8spod$$"
cni_conflist "$CONFD/10-burrow.conflist" "$NET" cni0 10.88.31.0/24
"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" || fail "mkrootfs"
IMG=localhost/burrow/pause:1
oci_image_tar "$T_TMP/rootfs" "$T_TMP/pause.tar" "$IMG"

CTD="$T_TMP/ctd"
CTD_ENV="BURROW_BRIDGE_CONFIG=$BR_CFG" CTD_NET=$NET
containerd_start "$CTD" "
[plugins.'io.containerd.cri.v1.images']
  snapshotter = 'native'
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = '$IMG'
[plugins.'io.containerd.cri.v1.runtime']
  enable_selinux = false
  # quirk of our machines: no CAP_SYS_RESOURCE, so runc cannot lower a
  # process's oom_score_adj to the pause container's -998 (EACCES from
  # nsexec); kubelets in containers (kind) set the same
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ['$PLUG']
    conf_dir = '$CONFD'
    max_conf_num = 1
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = 'runc'
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = 'io.containerd.runc.v2'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = '/usr/sbin/runc'
        Root = '$T_TMP/ctd/runc'
        SystemdCgroup = false
[plugins.'io.containerd.grpc.v1.cri']
  disable_tcp_service = true
  stream_server_address = '127.0.0.1'
  stream_server_port = '0'
"
out=$(ctr_ images import --local "$T_TMP/pause.tar" 2>&1) || out=$(ctr_ images import "$T_TMP/pause.tar" 2>&1) ||
	fail "ctr images import: $out"
ctr_ images ls -q | grep -qx "$IMG" || fail "pause image not imported: $(ctr_ images ls -q)"

printf 'runtime-endpoint: unix://%s\nimage-endpoint: unix://%s\ntimeout: 60\n' "$CTD_SOCK" "$CTD_SOCK" >"$T_TMP/crictl.yaml"
cri() { in_host "$CONSUMERS_BIN/crictl" --config "$T_TMP/crictl.yaml" "$@"; }
out=$(cri info 2>&1) || fail "crictl info: $out"
flat=$(tr -d ' \n' <<<"$out")
[[ "$flat" == *'"status":true,"type":"NetworkReady"'* || "$flat" == *'"type":"NetworkReady","status":true'* ]] ||
	fail "CRI network not ready: $(grep -B3 -A3 NetworkReady <<<"$out")"

pod_json() { # NAME HOSTPORT
	printf '{"metadata":{"name":"%s","namespace":"default","uid":"uid-%s","attempt":1},"hostname":"%s","log_directory":"%s","port_mappings":[{"protocol":0,"container_port":80,"host_port":%s}],"linux":{"security_context":{"namespace_options":{"network":0}}}}\n' \
		"$1" "$1" "$1" "$T_TMP/logs/$1" "$2" >"$T_TMP/$1.json"
}
pod_json pa 8091; pod_json pb 8092
t0=$(date +%s%N)
pa=$(cri runp "$T_TMP/pa.json" 2>"$T_TMP/runp.err") || { tail -5 "$CTD/containerd.log" >&2; fail "crictl runp pa: $(cat "$T_TMP/runp.err")"; }
t1=$(date +%s%N)
echo "crictl runp (first pod, burrow-bridge ADD): $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
pb=$(cri runp "$T_TMP/pb.json" 2>"$T_TMP/runp.err") || fail "crictl runp pb: $(cat "$T_TMP/runp.err")"
on_exit "cri stopp $pa; cri rmp -f $pa; cri stopp $pb; cri rmp -f $pb"

# pod_ip POD / pod_netns POD: from crictl inspectp
pod_ip() { cri inspectp -o go-template --template '{{.status.network.ip}}' "$1"; }
pod_netns() {
	cri inspectp "$1" | grep -o '"path": *"[^"]*netns[^"]*"' | head -1 | cut -d'"' -f4
}
ipa=$(pod_ip "$pa"); ipb=$(pod_ip "$pb")
expect_eq "pod a's address" 10.88.31.2 "$ipa"
expect_eq "pod b's address" 10.88.31.3 "$ipb"
nsa=$(pod_netns "$pa"); nsb=$(pod_netns "$pb")
[ -e "$nsa" ] && [ -e "$nsb" ] || fail "pod network namespaces not found: '$nsa' '$nsb'"
# serve POD-NETNS NAME: a server on port 80 in a pod's namespace
serve_pod() {
	nsenter --net="$1" -- socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo '"$2"' "$SOCAT_PEERADDR"' 2>/dev/null &
	on_exit "kill $! 2>/dev/null"
	SRV[$2]=$!
	disown $!
}
declare -A SRV
serve_pod "$nsa" pa; serve_pod "$nsb" pb
in_pa() { nsenter --net="$nsa" -- "$@"; }
expect_eq "pod a's interface" "eth0 10.88.31.2/24" "$(in_pa ip -4 -o addr show dev eth0 | awk '{print $2, $4}')"
got=$(ask_until in_pa tcp "$ipb" 80) || fail "pod a -> pod b got nothing"
expect_eq "pod-to-pod on the node" "pb $ipa" "$got"
in_pa ping -c1 -W2 -q "$REMOTE_FAR4" >/dev/null || fail "pod a cannot reach the remote peer"
got=$(ask_until in_remote tcp "$HOST_IP4" 8091) || fail "remote -> hostPort 8091 got nothing"
expect_eq "hostPort 8091 to pod a" "pa $REMOTE_IP4" "$got"
got=$(ask_until in_remote tcp "$HOST_IP4" 8092) || fail "remote -> hostPort 8092 got nothing"
expect_eq "hostPort 8092 to pod b" "pb $REMOTE_IP4" "$got"

# stop_srv POD: our server in the pod (the pod's own pause process stays)
stop_srv() { kill "${SRV[$1]}"; }
# our servers first (kubelet stops a pod's containers before its sandbox)
stop_srv pa
t0=$(date +%s%N)
out=$(cri stopp "$pa" 2>&1) || fail "crictl stopp pa: $out"
t1=$(date +%s%N)
echo "crictl stopp (burrow-bridge DEL): $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
ask in_remote tcp "$HOST_IP4" 8091 | grep -q . && fail "hostPort 8091 still forwards after stopp"
got=$(ask_until in_remote tcp "$HOST_IP4" 8092) || fail "stopp of pod a broke pod b's hostPort"
out=$(cri rmp "$pa" 2>&1) || fail "crictl rmp pa: $out"
stop_srv pb
out=$(cri stopp "$pb" 2>&1) || fail "crictl stopp pb: $out"
out=$(cri rmp "$pb" 2>&1) || fail "crictl rmp pb: $out"
[ -z "$(cri pods -q)" ] || fail "pods left: $(cri pods)"
[ -e "$nsa" ] && fail "pod a's namespace $nsa left"
[ -e "$nsb" ] && fail "pod b's namespace $nsb left"
no_trace
expect_eq "nft elements left" 0 "$(nft_elements)"
print_times
pass
