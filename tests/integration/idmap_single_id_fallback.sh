#!/bin/bash
# A user without subordinate ranges gets a single-ID map (own UID/GID only,
# setgroups denied), written by burrow-idmap itself, with one notice on
# stderr; --no-fallback refuses instead.  /etc/subuid and /etc/subgid are
# replaced by copies without the user's lines in a private mount namespace.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

u=$(test_subid_file subuid "# nobody here but the other test user\n$TEST_USER2:500000:65536\n")
g=$(test_subid_file subgid "$TEST_USER2:500000:65536\n")

out=$(private_etc "$u" "$g" as_user "$IDMAP" -- sh -c \
	'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; id -u' 2>"$T_TMP/err") ||
	fail "burrow-idmap failed: $(cat "$T_TMP/err")"
expect_eq "maps inside" "$(map_line 0 "$TEST_UID" 1)
$(map_line 0 "$TEST_GID" 1)
deny
0" "$out"
expect_eq "notices on stderr" 1 "$(grep -c 'single-ID map' "$T_TMP/err")"
grep -q "no subordinate UIDs and GIDs for $TEST_USER (uid $TEST_UID) in /etc/subuid and /etc/subgid" "$T_TMP/err" ||
	fail "notice does not say why: $(cat "$T_TMP/err")"
[ "$(wc -l < "$T_TMP/err")" = 1 ] || fail "more than the notice on stderr: $(cat "$T_TMP/err")"

# --show tells the same, --quiet silences the notice
expect_eq "--show=uid" "$(map_line 0 "$TEST_UID" 1)" \
	"$(private_etc "$u" "$g" as_user "$IDMAP" --show=uid 2>/dev/null)"
expect_eq "--quiet" "" "$(private_etc "$u" "$g" as_user "$IDMAP" -q true 2>&1)"

# without the fallback: a clear error, exit 125
private_etc "$u" "$g" as_user "$IDMAP" --no-fallback true 2>"$T_TMP/err"
expect_eq "--no-fallback exit status" 125 $?
grep -q "no subordinate UIDs and GIDs for $TEST_USER" "$T_TMP/err" || fail "no reason given: $(cat "$T_TMP/err")"

# only the GID side missing: full UID map, single GID map
g2=$(test_subid_file subgid2 "")
expect_eq "mixed maps" "$(map_line 0 "$TEST_UID" 1)
$(map_line 1 400000 65536)
$(map_line 0 "$TEST_GID" 1)" \
	"$(private_etc /etc/subuid "$g2" as_user "$IDMAP" -q cat /proc/self/uid_map /proc/self/gid_map)"
# the real files were never touched
grep -q "^$TEST_USER:400000:65536\$" /etc/subuid || fail "/etc/subuid changed"
grep -q "^$TEST_USER:400000:65536\$" /etc/subgid || fail "/etc/subgid changed"
pass
