#!/bin/bash
# Rootful Podman with burrow-bridge as its netavark (helper_binaries_dir holds
# a link named netavark): a custom network with a published port reached from
# the remote peer, `podman network reload` after `nft flush ruleset`, an IPv6
# network, the default network; removing the containers leaves nothing.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_podman.sh"
sandbox_net
ln -s "$BRIDGE" "$PM_TMP/helpers/netavark"
pm_conf netavark
on_exit "pm rm -af -t 0 >/dev/null 2>&1; pm network rm -f bnet b6net >/dev/null 2>&1"

pm network create --subnet 10.89.7.0/24 bnet >/dev/null || fail "podman network create"
pm run -d --name web --network bnet -p 8080:80 --rootfs "$ROOTFS" httpd -f -p 80 -h /var/www >/dev/null ||
	fail "podman run -p on a custom network"
got=$(http_get_until "$HOST_IP4" 8080) || fail "published port not reachable from the remote peer"
expect_eq "page through the published port" "hello from a burrow container" "$got"
[ -e "$BR_CFG/burrow-bridge/ctr/$(pm inspect -f '{{.Id}}' web).json" ] || fail "burrow-bridge was not the backend"
pm inspect -f '{{.NetworkSettings.Networks.bnet.IPAddress}}' web | grep -q '^10\.89\.7\.' ||
	fail "podman inspect shows no address from burrow-bridge"

# a firewall reload loses the rules; podman network reload brings them back
in_host nft flush ruleset
http_get "$HOST_IP4" 8080 >/dev/null && fail "forward survived nft flush (test broken)"
pm network reload web >/dev/null || fail "podman network reload"
got=$(http_get_until "$HOST_IP4" 8080) || fail "published port lost after podman network reload"

# IPv6 network, and the default network (podman0, masquerade to the remote peer)
pm network create --ipv6 --subnet 10.89.8.0/24 --subnet fd00:89:8::/64 b6net >/dev/null ||
	fail "podman network create --ipv6"
out=$(pm run --rm --network b6net --rootfs "$ROOTFS" sh -c 'ip -6 addr show eth0; ping -6 -c1 -W2 fd00:89:8::1') ||
	fail "IPv6 container: $out"
[[ "$out" == *"inet6 fd00:89:8::"* ]] || fail "no IPv6 address: $out"
out=$(pm run --rm --rootfs "$ROOTFS" ping -c1 -W2 "$REMOTE_FAR4") || fail "default network to the remote peer: $out"

pm rm -f -t 0 web >/dev/null || fail "podman rm"
pm network rm -f bnet b6net >/dev/null
no_trace
pass
