#!/bin/bash
# burrow-netns takes lib/name's rule, the one every burrow program uses: an
# ASCII letter or digit, then letters, digits, '_', '.' or '-', 1 to 64
# characters.  Each bad name (create, path, exec, delete) is refused with a
# one-line message that names the rule, a newline in it printed as "\n"; no
# record is made.  Its old rule let a name start with '_'; 64 characters work.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/netns.sh"

need_userns
RULE="an ASCII letter or digit, then letters, digits, '_', '.' or '-'"
long=$(printf 'n%.0s' {1..64})
netns_cleanup_rootless "$long"
netns_cleanup_rootless "_x"
statedir="$T_TMP/xdg-$TEST_USER/burrow/netns"

# refused CMD NAME WHAT: CMD NAME fails, its one-line message holds WHAT and the rule
refused() {
	local cmd=$1 name=$2 what=$3 out args=()
	[ "$cmd" = exec ] && args=(true)
	out=$(as_user "$NETNS" "$cmd" "$name" "${args[@]}" 2>&1) &&
		fail "$cmd $(printf %q "$name") accepted"
	[[ $out == *"$what"* && $out == *"$RULE"* ]] ||
		fail "$cmd $(printf %q "$name"): '$what' or the rule not in: $out"
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "$cmd: the message is not one line: $out"
}
for cmd in create path exec delete; do
	refused "$cmd" "../x" "namespace name '../x' starts with '.'"
	refused "$cmd" $'a\nb' "namespace name 'a\\nb' holds '\\n'"
	refused "$cmd" "_x" "namespace name '_x' starts with '_'"
	refused "$cmd" "a/b" "holds '/'"
	refused "$cmd" "${long}x" "is 65 characters long"
done
out=$(as_user "$NETNS" create -- 2>&1) && fail "create -- accepted"
[ -z "$(ls -A "$statedir" 2>/dev/null | grep -v '^\.')" ] ||
	fail "records made: $(ls -A "$statedir")"

# the longest good name works, list shows it as typed
check "create (64 characters)" as_user "$NETNS" create "$long"
as_user "$NETNS" list | grep -q "^$long rootless " || fail "list: $(as_user "$NETNS" list)"
check "delete" as_user "$NETNS" delete "$long"
pass
