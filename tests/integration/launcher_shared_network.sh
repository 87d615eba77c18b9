#!/bin/bash
# --network container:ID: a second container joins the first one's network
# namespace (rootless: and its user namespace) and reaches its server over
# localhost, both ways; joining a missing container is a clear error.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_cmd pasta passt
launcher_rootfs
sandbox_net
B="$BIN/burrow"
on_exit "as_user $B system prune"
on_exit "as_user $B rm -f web"
on_exit "as_user $B rm -f side"

as_user "$B" run -d --name web --network pasta -p 18082:80 "$ROOTFS" \
	httpd -f -p 127.0.0.1:80 -h /var/www >/dev/null || fail "run web"
as_user "$B" run -d --name side --network container:web "$ROOTFS" \
	sh -c 'echo side-says-hi > /tmp/i.html; httpd -f -p 8080 -h /tmp' >/dev/null ||
	fail "run side"
out=$(retry_out 50 as_user "$B" run --rm --network container:web "$ROOTFS" \
	wget -q -O- http://127.0.0.1:80/) || fail "no page over the shared localhost"
expect_eq "web over localhost" "hello from a burrow container" "$out"
out=$(retry_out 50 as_user "$B" exec web wget -q -O- http://127.0.0.1:8080/i.html) ||
	fail "web cannot reach side over localhost"
expect_eq "side over localhost" side-says-hi "$out"
out=$(as_user "$B" run --rm --network container:nope "$ROOTFS" true 2>&1) && fail "joined a missing container"
[[ $out == *"no such container"* ]] || fail "error: $out"
check "rm -f side" as_user "$B" rm -f side
check "rm -f web" as_user "$B" rm -f web
pass
