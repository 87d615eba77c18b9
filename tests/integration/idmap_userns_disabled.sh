#!/bin/bash
# When user namespaces are disabled, the error says so and names the sysctl.
# The limit is set to 0 only inside a user namespace of the test user's own
# (the limit is per user namespace), never on the machine.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

as_user unshare -Ur -- sh -c 'echo 0 > /proc/sys/user/max_user_namespaces' 2>/dev/null ||
	skip "cannot set user.max_user_namespaces inside a user namespace"
as_user unshare -Ur -- sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" -q true' \
	"$IDMAP" 2>"$T_TMP/err"
expect_eq "exit status" 125 $?
grep -q "user namespaces disabled (/proc/sys/user/max_user_namespaces = 0)" "$T_TMP/err" ||
	fail "cause not named: $(cat "$T_TMP/err")"
pass
