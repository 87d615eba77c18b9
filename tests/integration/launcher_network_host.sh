#!/bin/bash
# run --network host, as root and as an unprivileged user: the container is
# in the caller's network namespace (the sandbox's host namespace here), a
# server it starts is reached on the host's loopback with no forward, the
# host's resolv.conf is its own, -p is refused by name, and inspect/ps say
# "host".
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
sandbox_net
B="$BIN/burrow"
export BURROW_STATE_DIR="$T_TMP/state"
printf 'nameserver 198.51.100.53\n' >"$T_TMP/resolv.conf"
chmod 0644 "$T_TMP/resolv.conf"
export BURROW_RESOLV_CONF="$T_TMP/resolv.conf"
on_exit "in_host $B rm -f hweb >/dev/null 2>&1"
on_exit "as_user $B rm -f uweb >/dev/null 2>&1"
on_exit "as_user $B system prune >/dev/null 2>&1"

host_ns=$(in_host readlink /proc/self/ns/net)
# as root
expect_eq "root: the host's namespace" "$host_ns" \
	"$(in_host "$B" run --rm --network host "$ROOTFS" readlink /proc/self/ns/net)"
expect_eq "root: the host's resolv.conf" "nameserver 198.51.100.53" \
	"$(in_host "$B" run --rm --network host "$ROOTFS" cat /etc/resolv.conf)"
in_host "$B" run -d --name hweb --network host "$ROOTFS" httpd -f -p 127.0.0.1:18510 -h /var/www \
	>/dev/null || fail "root: run -d --network host"
wait_port in_host 127.0.0.1 18510 || fail "root: httpd on the host's 127.0.0.1:18510 never listened"
page=$(retry_out 50 ns_http_get in_host 127.0.0.1 18510) || fail "root: no page on 127.0.0.1:18510"
expect_eq "root: page" "hello from a burrow container" "$page"
expect_eq "root: inspect NetworkMode" host "$(in_host "$B" inspect -f '{{.HostConfig.NetworkMode}}' hweb)"
check "root: rm -f" in_host "$B" rm -f hweb
out=$(in_host "$B" run --rm --network host -p 8080:80 "$ROOTFS" true 2>&1)
expect_eq "-p with host: exit code" 125 $?
[[ $out == *"-p with --network host"* ]] || fail "-p with host: '$out'"

# as the test user (as_user runs in the sandbox's host namespace)
expect_eq "rootless: the host's namespace" "$host_ns" \
	"$(as_user "$B" run --rm --network host "$ROOTFS" readlink /proc/self/ns/net)"
as_user "$B" run -d --name uweb --network host "$ROOTFS" httpd -f -p 127.0.0.1:18511 -h /var/www \
	>/dev/null || fail "rootless: run -d --network host"
wait_port in_host 127.0.0.1 18511 || fail "rootless: httpd on 127.0.0.1:18511 never listened"
page=$(retry_out 50 ns_http_get in_host 127.0.0.1 18511) || fail "rootless: no page"
expect_eq "rootless: page" "hello from a burrow container" "$page"
as_user "$B" ps | grep -q " uweb .* host " || fail "rootless ps: $(as_user "$B" ps)"
check "rootless: rm -f" as_user "$B" rm -f uweb
pass
