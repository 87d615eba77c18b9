#!/bin/bash
# A malformed or overlapping line of the user in /etc/subuid (or subgid) is
# reported with file and line, exit 125; another user's bad line does not
# matter.  The files are replaced in a private mount namespace only.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

g=$(test_subid_file subgid "$TEST_USER:400000:65536\n")

bad=$(test_subid_file bad "# test file\n$TEST_USER2:500000:65536\n\n$TEST_USER:400000:6x5536\n")
private_etc "$bad" "$g" as_user "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, bad count" 125 $?
expect_eq "message" "burrow-idmap: /etc/subuid:4: bad count '6x5536'" "$(cat "$T_TMP/err")"

# by numeric UID, in the gid file
badg=$(test_subid_file badg "$TEST_UID:400000\n")
private_etc /etc/subuid "$badg" as_user "$IDMAP" --show 2>"$T_TMP/err" >/dev/null
expect_eq "exit status, missing count" 125 $?
expect_eq "message" "burrow-idmap: /etc/subgid:1: expected NAME:START:COUNT, missing COUNT" "$(cat "$T_TMP/err")"

over=$(test_subid_file over "$TEST_USER:400000:65536\n$TEST_UID:465000:1000\n")
private_etc "$over" "$g" as_user "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, overlap" 125 $?
expect_eq "message" "burrow-idmap: /etc/subuid:2: range 465000-465999 overlaps range 400000-465535 of line 1" \
	"$(cat "$T_TMP/err")"

huge=$(test_subid_file huge "$TEST_USER:4294967000:1000\n")
private_etc "$huge" "$g" as_user "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, overflow" 125 $?
grep -q "/etc/subuid:1: range 4294967000+1000 goes past ID 4294967294" "$T_TMP/err" ||
	fail "overflow not reported: $(cat "$T_TMP/err")"

# someone else's typo is not our problem
other=$(test_subid_file other "$TEST_USER2:abc:1\n$TEST_USER:400000:65536\n")
expect_eq "other user's bad line ignored" "$(map_line 1 400000 65536)" \
	"$(private_etc "$other" "$g" as_user "$IDMAP" cat /proc/self/uid_map | tail -1)"
pass
