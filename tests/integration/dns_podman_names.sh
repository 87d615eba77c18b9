#!/bin/bash
# Rootful Podman with burrow-bridge as netavark on a custom network (Podman
# sets dns_enabled): one container finds another by name and by
# NAME.dns.podman through the resolv.conf Podman writes from our status block
# (nameserver = gateway, search dns.podman); a container on another network
# does not; removing the containers stops burrow-dns.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_podman.sh"
[ -x "$BIN/burrow-dns" ] || fail "burrow-dns not built"
sandbox_net
sandbox_dns
ln -s "$BRIDGE" "$PM_TMP/helpers/netavark"
pm_conf netavark
# Podman's clean-up does not pass our environment on: the records folder is
# the default one, /run/burrow/dns, as in a real deployment
unset BURROW_DNS_DIR
DNS_DIR=/run/burrow/dns
dns_pid() { cat "$DNS_DIR/burrow-dns.pid" 2>/dev/null; }
[ -n "$(dns_pid)" ] && skip "a burrow-dns already serves $DNS_DIR on this machine"
on_exit "pm rm -af -t 0 >/dev/null 2>&1; pm network rm -f dnsnet1 dnsnet2 >/dev/null 2>&1"
on_exit 'p=$(dns_pid) && kill $p'

pm network create --subnet 10.89.21.0/24 dnsnet1 >/dev/null || fail "podman network create dnsnet1"
pm network create --subnet 10.89.22.0/24 dnsnet2 >/dev/null || fail "podman network create dnsnet2"
pm network inspect dnsnet1 | grep -q '"dns_enabled": true' ||
	fail "Podman made dnsnet1 without DNS (Podman enables DNS when it finds aardvark-dns in helper_binaries_dir)"
pm run -d --name srv --network dnsnet1 --network-alias backend --rootfs "$ROOTFS" sleep 300 >/dev/null ||
	fail "podman run srv"
ip=$(pm inspect -f '{{.NetworkSettings.Networks.dnsnet1.IPAddress}}' srv)
[[ "$ip" == 10.89.21.* ]] || fail "srv address: '$ip'"
[ -n "$(dns_pid)" ] || fail "no burrow-dns after podman run"

out=$(pm run --rm --network dnsnet1 --rootfs "$ROOTFS" sh -c \
	'cat /etc/resolv.conf; nslookup srv; nslookup backend.dns.podman; ping -c1 -W2 srv' 2>&1) ||
	fail "client on dnsnet1: $out"
[[ "$out" == *"nameserver 10.89.21.1"* ]] || fail "resolv.conf does not name the gateway: $out"
[[ "$out" == *"search dns.podman"* ]] || fail "resolv.conf has no dns.podman: $out"
n=$(grep -c "Address: $ip" <<<"$out")
[ "$n" -ge 2 ] || fail "srv / backend.dns.podman not resolved to $ip: $out"
[[ "$out" == *"1 packets received"* ]] || fail "ping srv by name: $out"

out=$(pm run --rm --network dnsnet2 --rootfs "$ROOTFS" nslookup srv.dns.podman 2>&1) &&
	fail "a container on dnsnet2 resolved srv: $out"
[[ "$out" == *"$ip"* ]] && fail "dnsnet2 learned srv's address: $out"

pm rm -f -t 0 srv >/dev/null || fail "podman rm"
for ((i = 0; i < 100; i++)); do [ -e "$DNS_DIR/burrow-dns.pid" ] || break; sleep 0.1; done
[ -e "$DNS_DIR/burrow-dns.pid" ] && fail "burrow-dns still running after the last container"
left=$(find "$DNS_DIR" -mindepth 1 ! -name .lock ! -name .start)
[ -z "$left" ] || fail "left in $DNS_DIR: $left"
pm network rm -f dnsnet1 dnsnet2 >/dev/null
no_trace
pass
