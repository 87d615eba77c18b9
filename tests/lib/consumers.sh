# shellcheck shell=bash
# consumers.sh - helpers for tests that drive the current engines built from
# their Go modules by scripts/consumers.sh (source after sandbox.sh)
#
#   need_consumer NAME...   the engine binaries the test runs; builds what is
#                           missing; skips when the Go module proxy cannot be
#                           reached (exit 77), fails when a build fails
#   $CONSUMERS_BIN          the folder holding them
#   cni_conflist FILE NAME BRIDGE SUBNET [portmap] [SUBNET6]
#                           write a conflist: burrow-bridge with its own IPAM
#                           and port mappings, CNI 1.1; with "portmap", CNI 1.0
#                           (Debian's plugins stop at 1.0.0) and Debian's
#                           portmap chained after burrow-bridge
#   cni_plugin_dir DIR      a CNI bin folder: burrow-bridge + Debian's plugins
#   nft_elements            count of elements in burrow's nft sets/maps (host ns)
#   tool_time LABEL CMD...  run CMD, print "LABEL: N ms" to $T_TMP/times
CONSUMERS_BIN=$("$TOP/scripts/consumers.sh" --path)
export CONSUMERS_BIN

need_consumer() {
	local n missing=()
	for n; do [ -x "$CONSUMERS_BIN/$n" ] || missing+=("$n"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	"$TOP/scripts/consumers.sh" >"$T_TMP/consumers.log" 2>&1
	local rc=$?
	for n in "${missing[@]}"; do
		[ -x "$CONSUMERS_BIN/$n" ] && continue
		[ $rc -eq 77 ] && skip "$n not built: the Go module proxy cannot be reached"
		fail "$n could not be built by scripts/consumers.sh: $(tail -3 "$T_TMP/consumers.log")"
	done
}

cni_plugin_dir() {
	mkdir -p "$1" || fail "mkdir $1"
	ln -sf /usr/lib/cni/* "$1/"
	ln -sf "$BIN/burrow-bridge" "$1/burrow-bridge"
}

cni_conflist() {
	local file=$1 name=$2 br=$3 subnet=$4 pm=${5:-} sub6=${6:-} r6=""
	[ -n "$sub6" ] && r6=',[{"subnet":"'$sub6'","gateway":"'${sub6%/*}'1"}]'
	local ver=1.1.0
	[ "$pm" = portmap ] && ver=1.0.0
	{
		printf '{"cniVersion":"%s","name":"%s","plugins":[' "$ver" "$name"
		printf '{"type":"burrow-bridge","bridge":"%s","isGateway":true,"ipMasq":true,"hairpinMode":true,' "$br"
		if [ "$pm" != portmap ]; then printf '"capabilities":{"portMappings":true},'; fi
		printf '"ipam":{"type":"burrow-bridge","ranges":[[{"subnet":"%s","gateway":"%s"}]%s],"routes":[{"dst":"0.0.0.0/0"}]}}' \
			"$subnet" "${subnet%.*}.1" "$r6"
		[ "$pm" = portmap ] && printf ',{"type":"portmap","capabilities":{"portMappings":true}}'
		printf ']}\n'
	} >"$file"
}

# nft_elements: elements in every set and map of burrow's table in the sandbox host
nft_elements() {
	in_host nft list table inet burrow 2>/dev/null | tr -d '\n' |
		grep -o 'elements = {[^}]*}' | tr -c -d ',{' | wc -c
}

tool_time() {
	local label=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	"$@"
	rc=$?
	t1=$(date +%s%N)
	echo "$label: $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
	return $rc
}
# print_times: the measured times, on the test's output
print_times() { [ -f "$T_TMP/times" ] && sed 's/^/  time /' "$T_TMP/times"; return 0; }

# oci_image_tar ROOTFS TAR NAME: an OCI image layout tarball (one layer, the
# rootfs) that `ctr images import` reads, named NAME (e.g. localhost/x:1);
# its command keeps PID 1 alive until SIGTERM (a pause container)
oci_image_tar() {
	local rootfs=$1 tar=$2 name=$3 d="$T_TMP/oci.$$" layer diff cfg man ls ms cs
	mkdir -p "$d/blobs/sha256" || fail "mkdir $d"
	tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -cf "$d/layer.tar" . || fail "tar $rootfs"
	diff=$(sha256sum <"$d/layer.tar" | cut -d' ' -f1)
	gzip -n -1 "$d/layer.tar"
	layer=$(sha256sum <"$d/layer.tar.gz" | cut -d' ' -f1); ls=$(stat -c %s "$d/layer.tar.gz")
	mv "$d/layer.tar.gz" "$d/blobs/sha256/$layer"
	printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh","-c","trap \\"exit 0\\" TERM INT; while :; do sleep 1 & wait $!; done"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$diff" >"$d/cfg"
	cfg=$(sha256sum <"$d/cfg" | cut -d' ' -f1); cs=$(stat -c %s "$d/cfg"); mv "$d/cfg" "$d/blobs/sha256/$cfg"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
		"$cfg" "$cs" "$layer" "$ls" >"$d/man"
	man=$(sha256sum <"$d/man" | cut -d' ' -f1); ms=$(stat -c %s "$d/man"); mv "$d/man" "$d/blobs/sha256/$man"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
		"$man" "$ms" "$name" "${name##*:}" >"$d/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	tar -C "$d" -cf "$tar" oci-layout index.json blobs || fail "tar $tar"
	rm -rf "$d"
}

# containerd_start DIR CONFIG_EXTRA: containerd 2 in the sandbox host
# namespace with its root, state and socket under DIR ($CTD_SOCK), stopped
# and removed at exit; CONFIG_EXTRA is appended to its config (TOML);
# $CTD_ENV: VAR=VALUE words for its environment (its CNI plugins inherit it);
# $CTD_NET: the CNI network whose libcni cache entries go at exit
containerd_start() {
	local d=$1 i
	mkdir -p "$d" || fail "mkdir $d"
	CTD_SOCK="$d/containerd.sock"
	cat >"$d/config.toml" <<EOT
version = 3
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.blockfile", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing", "io.containerd.nri.v1.nri"]
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$d/containerd.sock.ttrpc"
[debug]
  address = "$d/debug.sock"
[metrics]
  address = ""
$2
EOT
	nsenter --net="/run/netns/$HOST_NS" -- env PATH="$CONSUMERS_BIN:/usr/sbin:/usr/bin:/sbin:/bin" \
		${CTD_ENV:-} "$CONSUMERS_BIN/containerd" --config "$d/config.toml" --log-level info \
		>"$d/containerd.log" 2>&1 &
	CTD_PID=$!
	on_exit "containerd_stop $d $CTD_PID ${CTD_NET:-}"
	for ((i = 0; i < 200; i++)); do
		[ -S "$CTD_SOCK" ] && ctr_ version >/dev/null 2>&1 && return 0
		kill -0 "$CTD_PID" 2>/dev/null || { tail -20 "$d/containerd.log" >&2; fail "containerd exited at start"; }
		sleep 0.1
	done
	tail -20 "$d/containerd.log" >&2
	fail "containerd did not answer on $CTD_SOCK"
}
# ctr_ ARGS...: ctr on our containerd, namespace k8s.io (the CRI plugin's)
ctr_() { "$CONSUMERS_BIN/ctr" --address "$CTD_SOCK" --namespace k8s.io "$@"; }
# containerd_stop DIR PID [CNI_NET]: stop what containerd still runs (also
# when the test failed half-way: its tasks, their namespaces under /run/netns,
# libcni's cache entries of CNI_NET), then containerd and its shims; unmount,
# remove
containerd_stop() {
	local d=$1 pid=$2 net=${3:-} i p ns nss=()
	for p in $(ctr_ tasks ls 2>/dev/null | awk 'NR > 1 && $2 ~ /^[0-9]+$/ {print $2}'); do
		ns=$(ip netns identify "$p" 2>/dev/null) && [[ "$ns" == cni-* ]] && nss+=("$ns")
		kill -KILL "$p" 2>/dev/null
	done
	kill "$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
	for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $d/" 2>/dev/null); do kill -KILL "$p"; done
	for ns in "${nss[@]}"; do ip netns delete "$ns"; done
	[ -n "$net" ] && rm -f /var/lib/cni/results/"$net"-*
	grep -o " $d/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf "$d"
	# fixed folders of shim sockets, FIFOs and runc state, if left empty
	rmdir /run/containerd/s /run/containerd/fifo /run/containerd/runc/* /run/containerd/runc \
		/run/containerd 2>/dev/null
	return 0
}

# retry_get N RUNNER HOST PORT: an HTTP GET / through socat, retried until
# something answers; prints the answer
retry_get() {
	local n=$1 r=$2 h=$3 p=$4 i out
	for ((i = 0; i < n; i++)); do
		out=$(printf 'GET / HTTP/1.0\r\n\r\n' | "$r" timeout 3 socat -T2 - "TCP:$h:$p,connect-timeout=1" 2>/dev/null) &&
			[ -n "$out" ] && { echo "$out"; return 0; }
		sleep 0.1
	done
	return 1
}
