#!/bin/bash
# Podman 5 rootful with burrow-bridge as netavark and burrow-dns as
# aardvark-dns, and containers.conf's dns_bind_port = 1153 (Podman passes it
# as NETAVARK_DNS_PORT): burrow-dns listens on the gateway's port 1153, not
# 53; containers still ask their gateway on port 53 (the DNAT) and find each
# other by name; nothing is left after the last container.  Then
# firewall_driver = "iptables" (Podman passes it as NETAVARK_FW): podman run
# on the network fails with netavark's words for a driver it lacks.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_podman.sh"
. "$TOP/tests/lib/podman5.sh"
need_bin burrow-bridge burrow-dns burrow-mon
need_cmd runc runc
sandbox_net
sandbox_dns
# conf [FIREWALL_DRIVER]: containers.conf with dns_bind_port = 1153
conf() { pm5_rootful "dns_bind_port = 1153" ${1:+"firewall_driver = \"$1\""}; }
conf
on_exit "pm rm -af -t 0 >/dev/null 2>&1; pm network rm -f p5dns >/dev/null 2>&1"
listens() { in_host ss -Hlun "src $1" | grep -q .; }

pm network create --subnet 10.89.33.0/24 p5dns >/dev/null || fail "podman network create"
pm run -d --name web --network p5dns --rootfs "$ROOTFS" sleep 300 >"$T_TMP/out" 2>&1 ||
	fail "podman run web: $(cat "$T_TMP/out")"
pm run -d --name db --network p5dns --rootfs "$ROOTFS" sleep 300 >"$T_TMP/out" 2>&1 ||
	fail "podman run db: $(cat "$T_TMP/out")"
listens 10.89.33.1:1153 || fail "burrow-dns does not listen on 10.89.33.1:1153"
listens 10.89.33.1:53 && fail "burrow-dns listens on port 53 despite dns_bind_port"
dbip=$(pm inspect -f '{{.NetworkSettings.Networks.p5dns.IPAddress}}' db)
out=$(pm exec web sh -c 'cat /etc/resolv.conf; nslookup db' 2>&1) || fail "web finds db: $out"
[[ "$out" == *"nameserver 10.89.33.1"* ]] || fail "resolv.conf does not name the gateway: $out"
[[ "$out" == *"Address: $dbip"* ]] || fail "db not resolved to $dbip through 10.89.33.1:53: $out"
pm rm -f -t 0 web db >/dev/null || fail "podman rm"
for ((i = 0; i < 100; i++)); do [ -e "$DNS_DIR/burrow-dns.pid" ] || break; sleep 0.1; done
[ -e "$DNS_DIR/burrow-dns.pid" ] && fail "burrow-dns still running after the last container"

conf iptables
out=$(pm run --rm --network p5dns --rootfs "$ROOTFS" true 2>&1) && fail "firewall_driver=iptables accepted"
[[ "$out" == *"Must provide a valid firewall backend, got iptables (NETAVARK_FW)"* ]] ||
	fail "firewall_driver=iptables: $out"
pm network rm -f p5dns >/dev/null
retry 100 bash -c "! pgrep -f '^$BIN/burrow-mon ' >/dev/null" || fail "burrow-mon left"
no_trace
pass
