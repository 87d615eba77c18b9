#!/bin/bash
# Rootful nerdctl 2.2 (nerdctl1_compose.sh: 1.7, with NERDCTL=nerdctl1) on
# containerd 2.2 with burrow-bridge as its CNI bridge plugin: nerdctl writes
# its own conflists (type "bridge", then Debian's portmap, firewall, tuning);
# a CNI bin folder where "bridge" is burrow-bridge makes every nerdctl
# network a burrow-bridge one. `nerdctl run -p` reached
# from the remote peer; `nerdctl network create` with a subnet, two containers
# on it reaching each other by name; `nerdctl compose up` with two services
# resolving each other; rm/down leave no link, nft element or burrow state.
# nerdctl 2 also holds each published host port with a socket of its own (a
# "port reserver" in the sandbox host, as Docker and Podman do); the port
# still reaches the container through the DNAT of the portmap plugin chained
# after burrow-bridge in nerdctl's conflist, and is free again after rm/down.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/consumers.sh"
need_bin burrow-bridge
need_cmd /usr/lib/cni/portmap containernetworking-plugins
need_cmd /usr/sbin/runc runc
NERDCTL=${NERDCTL:-nerdctl}
need_consumer containerd containerd-shim-runc-v2 ctr "$NERDCTL"
echo "$("$CONSUMERS_BIN/$NERDCTL" --version), $("$CONSUMERS_BIN/containerd" --version)"
sandbox_net
san_capture

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
		"$CONSUMERS_BIN/$NERDCTL" --address "$CTD_SOCK" --namespace burrow --data-root "$T_TMP/nerdctl" \
		--cni-path "$PLUG" --cni-netconfpath "$CONFD" --snapshotter native --cgroup-manager cgroupfs "$@"
}
on_exit "nerd rm -f web alpha beta >/dev/null 2>&1; nerd network rm burrownet >/dev/null 2>&1"
# nerdctl's conflists use host-local with its default data folder
on_exit "rm -rf /var/lib/cni/networks/burrownet /var/lib/cni/networks/proj_default"
# and for its default network "bridge", when no lease is left in it
on_exit '[ -n "$(ls /var/lib/cni/networks/bridge 2>/dev/null | grep "^[0-9]")" ] || rm -rf /var/lib/cni/networks/bridge'
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
echo "listeners on host port 8095 (nerdctl 2's port reserver): $(in_host ss -Hltnp 'sport = :8095' | awk '{print $4, $6}')"

# by_name CTR NAME: in CTR, fetch http://NAME/ with NAME looked up in the
# container's /etc/hosts, which is how nerdctl (1.7 and 2.2) resolves names
# (Debian's static busybox wget crashes here, exit 139: nc instead)
by_name() {
	nerd exec "$1" sh -c 'a=$(awk -v n="$1" '"'"'{for (i = 2; i <= NF; i++) if ($i == n) {print $1; exit}}'"'"' /etc/hosts)
		[ -n "$a" ] || { echo "$1 not in /etc/hosts"; exit 1; }
		printf "GET / HTTP/1.0\r\n\r\n" | nc -w 3 "$a" 80' _ "$2"
}

# (names that are not hex: nerdctl matches a name like "a" against ID prefixes)
# network create: a user network, two containers that reach each other by name
out=$(nerd network create --subnet 10.88.41.0/24 burrownet 2>&1) || fail "nerdctl network create: $out"
out=$(nerd run -d --name alpha --network burrownet "$IMG" 2>&1) || fail "run alpha: $out"
out=$(nerd run -d --name beta --network burrownet "$IMG" httpd -f -p 80 -h /var/www 2>&1) || fail "run beta: $out"
ipb=$(nerd inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' beta 2>&1)
[[ "$ipb" == 10.88.41.* ]] || fail "b's address on burrownet: '$ipb'"
out=$(by_name alpha beta 2>&1) || fail "a -> b by name: $out ($(nerd exec alpha cat /etc/hosts))"
[[ "$out" == *"hello from a burrow container"* ]] || fail "a -> b by name got '$out'"
out=$(nerd rm -f alpha beta web 2>&1) || fail "nerdctl rm -f: $out"
expect_eq "sockets on host port 8095 after rm -f" "" "$(in_host ss -Hltn 'sport = :8095')"
out=$(nerd network rm burrownet 2>&1) || fail "nerdctl network rm: $out"

# compose: two services on the project's network resolving each other
# (nerdctl 2's compose down stops each service with SIGTERM and waits 10 s
# before SIGKILL, as Docker Compose does; httpd as PID 1 ignores SIGTERM, so
# a shell that exits on it holds httpd)
mkdir -p "$T_TMP/proj"
cat >"$T_TMP/proj/compose.yaml" <<EOT
services:
  front:
    image: $IMG
    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /var/www & wait"]
    ports: ["8096:80"]
  back:
    image: $IMG
    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /var/www & wait"]
EOT
on_exit "nerd compose --project-directory $T_TMP/proj -f $T_TMP/proj/compose.yaml down >/dev/null 2>&1"
t0=$(date +%s%N)
out=$(nerd compose --project-directory "$T_TMP/proj" -f "$T_TMP/proj/compose.yaml" up -d 2>&1) ||
	fail "nerdctl compose up: $out"
t1=$(date +%s%N)
echo "nerdctl compose up -d (2 services): $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
front=$(nerd ps --format '{{.Names}}' | grep front | head -1)
back=$(nerd ps --format '{{.Names}}' | grep back | head -1)
[ -n "$front" ] && [ -n "$back" ] || fail "compose services not running: $(nerd ps -a)"
out=$(by_name "$front" back 2>&1) || fail "front -> back by name: $out"
[[ "$out" == *"hello from a burrow container"* ]] || fail "front -> back got '$out'"
out=$(by_name "$back" front 2>&1) || fail "back -> front by name: $out"
got=$(retry_get 50 in_remote "$HOST_IP4" 8096) || fail "remote -> host:8096 (compose ports) got nothing"
[[ "$got" == *"hello from a burrow container"* ]] || fail "remote -> host:8096 got '$got'"
t0=$(date +%s%N)
out=$(nerd compose --project-directory "$T_TMP/proj" -f "$T_TMP/proj/compose.yaml" down 2>&1) ||
	fail "nerdctl compose down: $out"
t1=$(date +%s%N)
echo "nerdctl compose down (2 services): $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
retry_get 3 in_remote "$HOST_IP4" 8096 >/dev/null && fail "host:8096 still forwards after compose down"
expect_eq "sockets on host port 8096 after compose down" "" "$(in_host ss -Hltn 'sport = :8096')"
# nerdctl keeps its default network's bridge (nerdctl0) like Docker keeps docker0;
# everything of the containers must be gone
links=$(in_host ip -o link show | awk -F': ' '{print $2}' | grep -v -e '^lo$' -e '^eth0@' -e '^nerdctl0$' || true)
[ -z "$links" ] || fail "links left after rm/down: $links"
files=$(find "$BR_CFG/burrow-bridge" -mindepth 2 -path '*ctr*' ! -name lock 2>/dev/null || true)
[ -z "$files" ] || fail "burrow state left: $files"
leases=$(ls /var/lib/cni/networks/bridge /var/lib/cni/networks/proj_default 2>/dev/null | grep -c '^[0-9]' || true)
expect_eq "host-local leases left" 0 "$leases"
expect_eq "port mappings left in nft" 0 "$(in_host nft list map inet burrow fwd4any 2>/dev/null | grep -c ' : ')"
expect_no_san_report
print_times
pass
