#!/bin/bash
# burrow-idmap's exit status is the command's; 126/127 when it cannot be run,
# 125 for burrow-idmap's own errors; --help and --version work.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

as_user "$IDMAP" -- sh -c 'exit 42'
expect_eq "exit status" 42 $?
as_user "$IDMAP" true
expect_eq "exit status of true" 0 $?
as_user "$IDMAP" -- sh -c 'kill -TERM $$' 2>/dev/null
expect_eq "killed by SIGTERM" 143 $?
as_user "$IDMAP" -- burrow-no-such-command 2>"$T_TMP/err"
expect_eq "command not found" 127 $?
grep -q "execvp(burrow-no-such-command): No such file or directory" "$T_TMP/err" ||
	fail "not-found message: $(cat "$T_TMP/err")"
as_user "$IDMAP" -- /etc/passwd 2>/dev/null
expect_eq "not executable" 126 $?
as_user "$IDMAP" --bogus-option 2>/dev/null
expect_eq "bad option" 125 $?
as_user "$IDMAP" --show=both 2>/dev/null
expect_eq "bad --show value" 125 $?
# stdin, stdout and arguments pass through
expect_eq "stdio" "a b|hello" "$(echo hello | as_user "$IDMAP" -- sh -c 'read l; echo "$1 $2|$l"' sh a b)"
# default command: $SHELL
expect_eq "default shell" "0" "$(echo 'id -u' | as_user env SHELL=/bin/sh "$IDMAP")"

as_user "$IDMAP" --help | grep -q -- "--keep-id" || fail "--help"
as_user "$IDMAP" --version | grep -qx "burrow-idmap $(cat "$TOP/VERSION")" || fail "--version"
[ -f "$TOP/doc/burrow-idmap.1" ] || fail "no man page"
pass
