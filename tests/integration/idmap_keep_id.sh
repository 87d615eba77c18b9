#!/bin/bash
# burrow-idmap --keep-id: the user's own UID/GID map to themselves and the
# subordinate range fills the IDs below and above; --show agrees.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

keep() { # own-id subordinate-start
	map_line 0 "$2" "$1"
	map_line "$1" "$1" 1
	map_line $(($1 + 1)) $(($2 + $1)) $((65536 - $1))
}
want_uid=$(keep "$TEST_UID" 400000)
want_gid=$(keep "$TEST_GID" 400000)

expect_eq "--keep-id --show=uid" "$want_uid" "$(as_user "$IDMAP" --keep-id --show=uid)"
expect_eq "--keep-id --show=gid" "$want_gid" "$(as_user "$IDMAP" -k --show=gid)"
expect_eq "uid_map inside" "$want_uid" "$(as_user "$IDMAP" --keep-id -- cat /proc/self/uid_map)"
expect_eq "gid_map inside" "$want_gid" "$(as_user "$IDMAP" --keep-id -- cat /proc/self/gid_map)"
expect_eq "ids inside" "$TEST_UID $TEST_GID" \
	"$(as_user "$IDMAP" --keep-id -- sh -c 'echo $(id -u) $(id -g)')"
# a file the user creates is owned by the user outside too
as_user "$IDMAP" --keep-id -- touch "$T_TMP/xdg-$TEST_USER/f" || fail "touch inside"
expect_eq "owner outside" "$TEST_UID" "$(stat -c %u "$T_TMP/xdg-$TEST_USER/f")"
pass
