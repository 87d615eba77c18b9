#!/bin/bash
# Rootless burrow-netns as the test user: the namespace outlives the command
# that created it (held by a detached holder in a user namespace), is entered
# with its user namespace, and is removed with its holder and state file.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/netns.sh"

need_userns
N="${T_ID}u"
netns_cleanup_rootless "$N"

# create returns promptly even with its output captured (the holder keeps no pipe)
out=$(as_user timeout 20 "$NETNS" create "$N" 2>&1) || fail "rootless create: $out"
state=$(user_state "$N")
[ -f "$state" ] || fail "no state file $state"
pid=$(holder_of "$N")
alive "$pid" || fail "holder $pid not running"
expect_eq "holder runs as the test user" "$TEST_UID" "$(ps -o uid= -p "$pid" | tr -d ' ')"
[ "$(ps -o ppid= -p "$pid" | tr -d ' ')" != "$$" ] || fail "holder is the test's child"
[ ! -e "/run/netns/$N" ] || fail "rootless create touched /run/netns"

expect_eq "list" "$N rootless /proc/$pid/ns/net" "$(as_user "$NETNS" list)"
expect_eq "path" "/proc/$pid/ns/net" "$(as_user "$NETNS" path "$N")"
expect_eq "path --user" "/proc/$pid/ns/user" "$(as_user "$NETNS" path "$N" --user)"

# later commands find it: exec joins user + network namespace
expect_eq "uid inside" 0 "$(as_user "$NETNS" exec "$N" -- id -u)"
as_user "$NETNS" exec "$N" ip -o link show lo | grep -q 'LOOPBACK,UP' || fail "lo not up"
expect_eq "exec enters the holder's netns" "$(readlink "/proc/$pid/ns/net")" \
	"$(as_user "$NETNS" exec "$N" readlink /proc/self/ns/net)"
# the documented way to use `path`: user namespace first, then the network one
expect_eq "nsenter with path" "$(readlink "/proc/$pid/ns/net")" \
	"$(as_user nsenter --user="$(as_user "$NETNS" path "$N" --user)" \
		--net="$(as_user "$NETNS" path "$N")" readlink /proc/self/ns/net)"

# configuration as the user
check "addr add" as_user "$NETNS" addr "$N" add lo 203.0.113.9/32
check "addr add v6" as_user "$NETNS" addr "$N" add lo 2001:db8:9::9/128
as_user "$NETNS" exec "$N" ip -o addr show lo | grep -q '203.0.113.9/32' || fail "address missing"
check "ping own address" as_user "$NETNS" exec "$N" ping -c1 -W2 -q 203.0.113.9
check "sysctl" as_user "$NETNS" sysctl "$N" net.ipv4.ip_forward=1
expect_eq "sysctl get" 1 "$(as_user "$NETNS" sysctl "$N" net.ipv4.ip_forward)"

# a second user sees none of it and cannot delete it
expect_eq "other user's list" "" "$(as_user_named "$TEST_USER2" "$NETNS" list 2>&1)"
as_user_named "$TEST_USER2" "$NETNS" delete "$N" --force 2>/dev/null &&
	fail "another user deleted $N"
alive "$pid" || fail "holder died when another user tried to delete"

check "delete" as_user "$NETNS" delete "$N"
wait_gone "$pid" || fail "holder $pid still running after delete"
[ ! -e "$state" ] || fail "state file left behind"
expect_eq "list after delete" "" "$(as_user "$NETNS" list)"
as_user "$NETNS" exec "$N" true 2>/dev/null && fail "exec into a deleted namespace"
pass
