#!/bin/bash
# burrow network create/ls/rm and run --network bridge[:NAME] (rootful), all
# in the sandbox's host namespace: a container on a bridge network reaches
# the remote peer (masqueraded to the host's address) and is reached from the
# remote peer through -p; the default network "burrow" is made on first use;
# removing the containers and networks leaves no link, nftables table or lease.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-bridge
need_cmd socat socat
launcher_rootfs
sandbox_net
ST="$T_TMP/state"
mkdir -p "$ST"
# everything of burrow (and burrow-bridge's state) in the sandbox host
b() { in_host env BURROW_STATE_DIR="$ST" "$BIN/burrow" "$@"; }
on_exit "b system prune >/dev/null 2>&1"
on_exit "b rm -f bweb >/dev/null 2>&1"
on_exit "b network rm tnet >/dev/null 2>&1"
on_exit "b network rm burrow >/dev/null 2>&1"

check "network create" b network create --subnet 10.89.5.0/24 tnet
out=$(b network create tnet 2>&1) && fail "a second network tnet"
[[ $out == *"already exists"* ]] || fail "duplicate network error: $out"
out=$(b network ls) || fail "network ls"
[[ $out == *tnet*burrow1*10.89.5.0/24* ]] || fail "network ls: $out"

# reached from the remote peer through -p, and its own address on the bridge
b run -d --name bweb --network bridge:tnet -p 8085:80 "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "run -d on bridge tnet"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 8085) ||
	fail "no page from the remote peer through -p 8085:80"
expect_eq "remote -> bridge container" "hello from a burrow container" "$page"
addr=$(b exec bweb ip -4 -o addr show eth0) || fail "exec ip addr"
[[ $addr == *"10.89.5."* ]] || fail "bweb's eth0: $addr"
in_host ip link show burrow1 >/dev/null 2>&1 || fail "bridge burrow1 missing"

# the default network reaches the remote peer, masqueraded
in_remote socat TCP-LISTEN:9099,bind="$REMOTE_IP4",fork,reuseaddr \
	SYSTEM:'echo "peer $SOCAT_PEERADDR"' 2>/dev/null &
on_exit "kill $! 2>/dev/null"
out=$(retry_out 30 b run --rm --network bridge "$ROOTFS" \
	sh -c "nc -w 3 $REMOTE_IP4 9099 </dev/null | grep peer") ||
	fail "container on the default bridge did not reach the remote peer"
expect_eq "masqueraded source" "peer $HOST_IP4" "$out"
out=$(b network ls --format json | jq -r '.[] | select(.name == "burrow") | .subnets[0].subnet')
expect_eq "default network" "10.89.0.0/24" "$out"

out=$(b network rm tnet 2>&1) && fail "removed a network in use"
[[ $out == *"used by container"* ]] || fail "network rm error: $out"
check "rm -f bweb" b rm -f bweb
check "network rm tnet" b network rm tnet
check "network rm burrow" b network rm burrow
# nothing left: links, the nftables table, leases
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
files=$(find "$ST/bridge/burrow-bridge" -mindepth 2 ! -name lock)
[ -z "$files" ] || fail "bridge state left behind: $files"
[ -z "$(ls "$ST/containers" 2>/dev/null | grep -v '^\.')" ] || fail "container records left"
pass
