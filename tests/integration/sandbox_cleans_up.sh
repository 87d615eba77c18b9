#!/bin/bash
# The harness itself: the sandbox reaches its remote peer over IPv4 and IPv6,
# the test user runs in it, and every namespace is gone after the test.
. "$(dirname "$0")/../lib/sandbox.sh"

inner() {
	. "$TOP/tests/lib/sandbox.sh"
	sandbox_net
	in_host ping -c1 -W2 -q "$REMOTE_FAR6" >/dev/null || fail "no IPv6 to the remote peer"
	expect_eq "test user uid" "$TEST_UID" "$(as_user id -u)"
	# the test user sees the sandbox's links, not the machine's
	as_user ip -o link show | grep -q ' eth0@' || fail "test user not in the sandbox namespace"
	echo "$HOST_NS $REMOTE_NS" > "$OUT"
	pass
}
export OUT="$T_TMP/names"
export -f inner
bash -c inner || fail "inner sandbox test failed"
read -r h r < "$OUT"
[ ! -e "/run/netns/$h" ] || fail "host namespace $h left behind"
[ ! -e "/run/netns/$r" ] || fail "remote namespace $r left behind"
pass
