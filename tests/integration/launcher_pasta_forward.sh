#!/bin/bash
# burrow run --network pasta -p: a container serving HTTP is reached from the
# sandbox's remote peer through the forwarded port, rootless and rootful, and
# rm -f takes the container and its pasta away.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_cmd pasta passt
launcher_rootfs
sandbox_net
on_exit "as_user $BIN/burrow system prune"
on_exit "as_user $BIN/burrow rm -f web"

id=$(as_user "$BIN/burrow" run -d --name web --network pasta -p 8080:80 "$ROOTFS" \
	httpd -f -p 80 -h /var/www) || fail "run -d with pasta failed"
wait_port in_remote "$HOST_IP4" 8080 || fail "forwarded port 8080 never opened"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 8080) ||
	fail "no page through the forward"
expect_eq "page" "hello from a burrow container" "$page"
as_user "$BIN/burrow" ps | grep -q "^$id .*running .*pasta .*8080:80" || fail "ps does not show it"
pasta_pid=$(as_user "$BIN/burrow" inspect web | jq -r .[0].Burrow.net_pid)
[ -n "$pasta_pid" ] && [ "$pasta_pid" != 0 ] || fail "no pasta PID recorded"
check "rm -f" as_user "$BIN/burrow" rm -f web
retry 50 bash -c "! kill -0 $pasta_pid 2>/dev/null" || fail "pasta $pasta_pid left running"
ns_http_get in_remote "$HOST_IP4" 8080 >/dev/null 2>&1 &&
	fail "the port still answers after rm"

# rootful: the same through pasta as root (a bind-mounted namespace file)
export BURROW_STATE_DIR="$T_TMP/state"
on_exit "in_host $BIN/burrow rm -f rweb"
in_host "$BIN/burrow" run -d --name rweb --network pasta -p 8081:80 "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "rootful run -d with pasta failed"
wait_port in_remote "$HOST_IP4" 8081 || fail "rootful: port 8081 never opened"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 8081) || fail "rootful: no page"
expect_eq "rootful page" "hello from a burrow container" "$page"
check "rootful rm -f" in_host "$BIN/burrow" rm -f rweb
grep -q "$T_TMP" /proc/mounts && fail "a namespace mount is left: $(grep "$T_TMP" /proc/mounts)"
[ -z "$(ls "$BURROW_STATE_DIR/containers")" ] || fail "rootful record left"
pass
