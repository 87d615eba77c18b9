#!/bin/bash
# A pod on a bridge network (rootful, in the sandbox's host namespace): pod
# create --network bridge:NAME -p gives the pod's namespace an address on the
# bridge and a forward; two containers of the pod talk over localhost, the
# remote peer reaches the server through the pod's forward, the containers
# share the pod's resolv.conf; pod rm -f leaves no link, nftables table,
# lease, process or record.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-bridge
launcher_rootfs
sandbox_net
ST="$T_TMP/state"
mkdir -p "$ST"
b() { in_host env BURROW_STATE_DIR="$ST" BURROW_RESOLV_CONF="$T_TMP/host-resolv.conf" \
	"$BIN/burrow" "$@"; }
printf 'nameserver %s\n' "$REMOTE_IP4" > "$T_TMP/host-resolv.conf"
alive() { [[ -r /proc/$1/status ]] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
on_exit "b system prune >/dev/null 2>&1"
on_exit "b network rm pnet >/dev/null 2>&1"
on_exit "b pod rm -f bpod >/dev/null 2>&1"

check "network create" b network create --subnet 10.89.8.0/24 pnet >/dev/null
id=$(b pod create --name bpod --network bridge:pnet -p 8087:80) || fail "pod create on a bridge"
[[ $id =~ ^[0-9a-f]{12}$ ]] || fail "pod create printed '$id'"
out=$(b pod ps) || fail "pod ps"
[[ $out == *bpod*running*bridge:pnet*8087:80* ]] || fail "pod ps: $out"
hpid=$(jq -r .holder_pid "$ST/pods/$id/state.json") || fail "pod record"
alive "$hpid" || fail "the pod's holder $hpid is not running"
addr=$(nsenter --net=/proc/"$hpid"/ns/net ip -4 -o addr show eth0) || fail "pod's eth0"
[[ $addr == *"inet 10.89.8."* ]] || fail "the pod's address: $addr"

b run -d --name psrv --network pod:bpod "$ROOTFS" httpd -f -p 80 -h /var/www >/dev/null ||
	fail "run psrv in the pod"
out=$(retry_out 50 b run --rm --network pod:bpod "$ROOTFS" wget -q -O- http://127.0.0.1:80/) ||
	fail "no page over the pod's localhost"
expect_eq "psrv over the pod's localhost" "hello from a burrow container" "$out"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 8087) ||
	fail "the pod's -p 8087:80 does not reach psrv from the remote peer"
expect_eq "remote peer -> pod forward" "hello from a burrow container" "$page"
spid=$(b inspect psrv | jq -r .[0].State.Pid) || fail "inspect psrv"
[[ $(readlink /proc/"$hpid"/ns/net) == "$(readlink /proc/"$spid"/ns/net)" ]] ||
	fail "psrv ($spid) is not in the pod's network namespace"
rc=$(b exec psrv cat /etc/resolv.conf) || fail "psrv's resolv.conf"
[[ $rc == *"nameserver 10.89.8.1"* && $rc == *"search dns.podman"* ]] ||
	fail "psrv's resolv.conf is not the pod network's: $rc"
out=$(b network rm pnet 2>&1) && fail "removed a network a pod uses"
[[ $out == *"used by pod bpod"* ]] || fail "network rm error: $out"

out=$(b pod rm -f bpod) || fail "pod rm -f bpod"
expect_eq "pod rm prints the ID" "$id" "$out"
for ((i = 0; i < 100; i++)); do alive "$hpid" || break; sleep 0.1; done
alive "$hpid" && fail "the pod's holder $hpid is still running"
[[ -e $ST/pods/$id ]] && fail "the pod's record is left"
out=$(b ps -a --format json | jq length)
expect_eq "no containers left" 0 "$out"
check "network rm pnet" b network rm pnet
for ((i = 0; i < 50; i++)); do
	links=$(in_host ip -o link show | awk -F': ' '{print $2}' | grep -v -e '^lo$' -e '^eth0@' || true)
	[ -z "$links" ] && break
	sleep 0.1
done
[ -z "$links" ] || fail "links left behind: $links"
in_host nft list table inet burrow >/dev/null 2>&1 && fail "nftables table left behind"
# the child that deletes a teardown's links removes its record after them,
# holding the state lock until it is done
[ ! -e "$ST/bridge/burrow-bridge/lock" ] || flock "$ST/bridge/burrow-bridge/lock" true
# the folder exists (containers ran): a wrong path must not pass as "empty"
[ -d "$ST/bridge/burrow-bridge" ] || fail "no bridge state folder $ST/bridge/burrow-bridge"
files=$(find "$ST/bridge" -type f ! -name lock ! -name '.lock')
[ -z "$files" ] || fail "bridge state left behind: $files"
pgrep -f "burrow-dns --dir $ST" >/dev/null && fail "burrow-dns left running"
pass
