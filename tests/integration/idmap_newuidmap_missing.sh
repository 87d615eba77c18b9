#!/bin/bash
# Without a usable newuidmap, burrow-idmap says so clearly (exit 125): not
# found anywhere, found but neither setuid root nor with file capabilities,
# or failing with its own message, which is passed on.  Done with a PATH entry and a bind mount over
# /usr/bin/newuidmap in a private mount namespace: the real file is untouched.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

[ -u /usr/bin/newuidmap ] || skip "/usr/bin/newuidmap is not setuid here"
mkdir "$T_TMP/bin"
cp /usr/bin/newuidmap "$T_TMP/bin/newuidmap"	# a copy loses the setuid bit
chmod 0755 "$T_TMP/bin" "$T_TMP/bin/newuidmap"

# missing: /dev/null over it (no execute permission), nothing in PATH
private_bind /dev/null /usr/bin/newuidmap -- as_user "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, missing" 125 $?
grep -q "newuidmap not found in PATH or /usr/bin" "$T_TMP/err" ||
	fail "missing newuidmap not reported: $(cat "$T_TMP/err")"
grep -q "uidmap package" "$T_TMP/err" || fail "no hint which package: $(cat "$T_TMP/err")"

# not setuid: the copy first in PATH
as_user env PATH="$T_TMP/bin:/usr/bin:/bin" "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, not setuid" 125 $?
grep -q "$T_TMP/bin/newuidmap is not setuid root and has no file capabilities (mode 0755" "$T_TMP/err" ||
	fail "non-setuid newuidmap not reported: $(cat "$T_TMP/err")"

# the same copy over /usr/bin/newuidmap
private_bind "$T_TMP/bin/newuidmap" /usr/bin/newuidmap -- as_user "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, not setuid in /usr/bin" 125 $?
grep -q "/usr/bin/newuidmap is not setuid root" "$T_TMP/err" ||
	fail "non-setuid /usr/bin/newuidmap not reported: $(cat "$T_TMP/err")"

# newuidmap's own complaint is passed on (a setuid-moded script: the kernel
# ignores setuid on scripts, our check only reads the mode)
mkdir "$T_TMP/fake"
printf '#!/bin/sh\necho "newuidmap: uid range [1-65537) -> [400000-465536) not allowed" >&2\nexit 1\n' \
	> "$T_TMP/fake/newuidmap"
chmod 4755 "$T_TMP/fake/newuidmap"; chmod 0755 "$T_TMP/fake"
as_user env PATH="$T_TMP/fake:/usr/bin:/bin" "$IDMAP" true 2>"$T_TMP/err"
expect_eq "exit status, newuidmap failed" 125 $?
grep -Eq "^burrow-idmap: newuidmap [0-9]+ 0 $TEST_UID 1 1 400000 65536 failed: newuidmap: uid range \[1-65537\) -> \[400000-465536\) not allowed\$" \
	"$T_TMP/err" || fail "newuidmap's message not passed on: $(cat "$T_TMP/err")"

# --show needs no newuidmap, and the single-ID fallback neither
private_bind /dev/null /usr/bin/newuidmap -- as_user "$IDMAP" --show >/dev/null ||
	fail "--show needs newuidmap"
pass
