#!/bin/bash
# burrow-idmap as an unprivileged user: the full subordinate maps (own ID at 0,
# 400000:65536 from tests/setup.sh at 1..) are what the command sees in
# /proc/self/uid_map and gid_map, and exactly what --show printed.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

want_uid="$(map_line 0 "$TEST_UID" 1)
$(map_line 1 400000 65536)"
want_gid="$(map_line 0 "$TEST_GID" 1)
$(map_line 1 400000 65536)"

expect_eq "--show=uid" "$want_uid" "$(as_user "$IDMAP" --show=uid)"
expect_eq "--show=gid" "$want_gid" "$(as_user "$IDMAP" --show=gid)"
expect_eq "--show" "uid_map:
$want_uid
gid_map:
$want_gid" "$(as_user "$IDMAP" --show)"

out=$(as_user "$IDMAP" -- cat /proc/self/uid_map 2>"$T_TMP/err") || fail "burrow-idmap failed: $(cat "$T_TMP/err")"
expect_eq "uid_map inside" "$want_uid" "$out"
[ ! -s "$T_TMP/err" ] || fail "unexpected stderr: $(cat "$T_TMP/err")"
expect_eq "gid_map inside" "$want_gid" "$(as_user "$IDMAP" cat /proc/self/gid_map)"
expect_eq "uid inside" "0 0" "$(as_user "$IDMAP" sh -c 'echo $(id -u) $(id -g)')"
# newgidmap leaves setgroups allowed when it maps subordinate GIDs
expect_eq "setgroups inside" "allow" "$(as_user "$IDMAP" cat /proc/self/setgroups)"
# the whole range is usable: root inside can become the last mapped ID
expect_eq "setpriv to the top of the range" "65536" \
	"$(as_user "$IDMAP" setpriv --reuid=65536 --regid=65536 --clear-groups id -u)"
# a new user namespace, not the caller's
[ "$(as_user readlink /proc/self/ns/user)" != "$(as_user "$IDMAP" readlink /proc/self/ns/user)" ] ||
	fail "command ran in the caller's user namespace"
pass
