#!/bin/bash
# Bridge networks with IPv6 and DNS (rootful, in the sandbox's host namespace):
# - network create --ipv6 --subnet v4 --subnet v6: a container gets addresses
#   from both, reaches the remote peer over IPv6 (masqueraded) and is reached
#   from it through -p on the host's IPv6 address;
# - with DNS (the default) its /etc/resolv.conf names the network's DNS
#   servers (the gateways, burrow-dns) and the dns.podman search domain, and
#   two containers resolve each other by name;
# - with --disable-dns it gets the host's resolvers minus loopback ones
#   (BURROW_RESOLV_CONF), and nothing when only loopback ones are there;
# - --internal: no default route; network ls shows it all; nothing is left
#   after rm.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-bridge
need_cmd socat socat
launcher_rootfs
sandbox_net
ST="$T_TMP/state"
mkdir -p "$ST"
b() { in_host env BURROW_STATE_DIR="$ST" BURROW_RESOLV_CONF="$T_TMP/host-resolv.conf" \
	"$BIN/burrow" "$@"; }
printf 'search example.test\nnameserver 127.0.0.53\nnameserver %s\nnameserver ::1\noptions ndots:2\n' \
	"$REMOTE_IP4" > "$T_TMP/host-resolv.conf"
on_exit "b system prune >/dev/null 2>&1"
on_exit "b rm -f v6web alpha >/dev/null 2>&1"
on_exit "b network rm net6 nodns inner >/dev/null 2>&1"

check "network create --ipv6" b network create --ipv6 --subnet 10.89.7.0/24 \
	--subnet fd89:7::/64 net6 >/dev/null
out=$(b network ls) || fail "network ls"
[[ $out == *net6*yes*no*10.89.7.0/24,fd89:7::/64* ]] || fail "network ls: $out"
out=$(b network create --subnet fd89:7::/80 other 2>&1) && fail "an overlapping IPv6 subnet"
[[ $out == *"already used by network net6"* ]] || fail "overlap error: $out"
out=$(b network create --subnet 10.0.0.0/33 bad 2>&1) && fail "a bad subnet"
[[ $out == *"--subnet"* ]] || fail "bad subnet error: $out"

# IPv6 both ways, and the resolv.conf of a DNS network
b run -d --name v6web --network bridge:net6 -p 8086:80 "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "run -d on net6"
addr=$(b exec v6web ip -o addr show eth0) || fail "exec ip addr"
[[ $addr == *"inet 10.89.7."* && $addr == *"inet6 fd89:7::"* ]] || fail "v6web's addresses: $addr"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP6" 8086) ||
	fail "no page from the remote peer over IPv6 through -p 8086:80"
expect_eq "remote -> container over IPv6" "hello from a burrow container" "$page"
in_remote socat TCP6-LISTEN:9098,bind="[$REMOTE_IP6]",fork,reuseaddr \
	SYSTEM:'echo "peer $SOCAT_PEERADDR"' 2>/dev/null &
on_exit "kill $! 2>/dev/null"
wait_port in_remote "$REMOTE_IP6" 9098 || fail "socat on the remote peer did not start"
out=$(retry_out 30 b exec v6web sh -c "nc -w 3 $REMOTE_IP6 9098 </dev/null") ||
	fail "container on net6 did not reach the remote peer over IPv6"
# socat prints the address in full: the host's 2001:db8:1::1, masqueraded
[[ $out == "peer "*"$HOST_IP6"* || $out == "peer [2001:0db8:0001:0000:0000:0000:0000:0001]" ]] ||
	fail "IPv6 source seen by the peer: $out"
rc=$(b exec v6web cat /etc/resolv.conf) || fail "resolv.conf"
expect_eq "resolv.conf with DNS" "search dns.podman example.test
nameserver 10.89.7.1
nameserver fd89:7::1
options ndots:2" "$rc"

# two containers on one DNS network resolve each other by name
b run -d --name alpha --network bridge:net6 "$ROOTFS" sleep 600 >/dev/null || fail "run alpha"
aip=$(b exec alpha ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
[[ $aip == 10.89.7.* ]] || fail "alpha's address: $aip"
out=$(retry_out 30 b exec v6web nslookup alpha) || fail "v6web cannot resolve alpha"
[[ $out == *"$aip"* ]] || fail "alpha resolved to: $out"
out=$(retry_out 30 b exec alpha nslookup v6web.dns.podman) || fail "alpha cannot resolve v6web"
[[ $out == *"10.89.7."* ]] || fail "v6web resolved to: $out"

# --disable-dns: the host's resolvers, loopback ones left out
check "network create --disable-dns" b network create --disable-dns nodns >/dev/null
out=$(b run --rm --network bridge:nodns "$ROOTFS" cat /etc/resolv.conf) || fail "run on nodns"
expect_eq "resolv.conf without DNS" "search example.test
nameserver $REMOTE_IP4
options ndots:2" "$out"
printf 'nameserver 127.0.0.1\n' > "$T_TMP/host-resolv.conf"
out=$(b run --rm --network bridge:nodns "$ROOTFS" cat /etc/resolv.conf) || fail "run on nodns"
expect_eq "only loopback resolvers on the host: none" "" "$out"

# --internal: no default route out of the network
check "network create --internal" b network create --internal --disable-dns \
	--subnet 10.89.9.0/24 inner >/dev/null
out=$(b network ls) || fail "network ls"
[[ $out == *inner*no*yes*10.89.9.0/24* ]] || fail "network ls internal: $out"
out=$(b run --rm --network bridge:inner "$ROOTFS" ip route) || fail "run on inner"
[[ $out == *"10.89.9.0/24"* && $out != *default* ]] || fail "routes on an internal network: $out"

check "rm -f" b rm -f v6web alpha
check "network rm" b network rm net6 nodns inner
for ((i = 0; i < 50; i++)); do
	links=$(in_host ip -o link show | awk -F': ' '{print $2}' | grep -v -e '^lo$' -e '^eth0@' || true)
	[ -z "$links" ] && break
	sleep 0.1
done
[ -z "$links" ] || fail "links left behind: $links"
in_host nft list table inet burrow >/dev/null 2>&1 && fail "nftables table left behind"
[ -z "$(ls "$ST/containers" 2>/dev/null | grep -v '^\.')" ] || fail "container records left"
pgrep -f "burrow-dns --dir $ST" >/dev/null && fail "burrow-dns left running"
pass
