#!/bin/bash
# Names given to burrow follow lib/name's one rule (an ASCII letter or digit,
# then letters, digits, '_', '.', '-'; 1 to 63 characters for containers and
# pods, 32 for networks), and container and pod names are never made only of
# hex digits (they would read as an ID or the start of one).  Each bad name is
# refused with exit status 125 and a message that names the rule, before
# anything is made: no record, no forged row in `burrow ps`.  Good names work.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
B="$BIN/burrow"
RULE="an ASCII letter or digit, then letters, digits, '_', '.' or '-'"
on_exit "as_user $B system prune"
on_exit "as_user $B rm -f first web-1.a_b"

# one container whose ID the look-alikes below are cut from
first=$(as_user "$B" run -d --name first --network none "$ROOTFS" sleep 30) || fail "run -d first"
[[ $first =~ ^[0-9a-f]{12}$ ]] || fail "unexpected ID '$first'"
rows() { as_user "$B" ps -a | wc -l; }
before=$(rows)
records() { find "$T_TMP/xdg-$TEST_USER/burrow/containers" -mindepth 1 -maxdepth 1 -type d | wc -l; }
recs=$(records)

# refused NAME WHAT...: run --name NAME fails with 125, the message holds WHAT
refused() {
	local name=$1 out rc w; shift
	out=$(as_user "$B" run --rm --name "$name" --network none "$ROOTFS" true 2>&1)
	rc=$?
	expect_eq "run --name $(printf %q "$name") exit status" 125 "$rc"
	for w in "$@"; do
		[[ $out == *"$w"* ]] || fail "run --name $(printf %q "$name"): '$w' not in: $out"
	done
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "the message is not one line: $out"
}
refused "../x" "container name '../x' starts with '.'" "$RULE"
refused "-rf" "container name '-rf' starts with '-'" "$RULE"
refused "a/b" "'a/b' holds '/'" "$RULE"
refused $'web\nfeedc0ffee01  web  running' "container name 'web\\nfeedc0ffee01  web  running' holds '\\n'"
refused "_x" "starts with '_'" "$RULE"
refused "" "container name '' is empty"
long=$(printf 'n%.0s' {1..64})
refused "$long" "is 64 characters long" "1 to 63 characters"
refused "${first:0:5}" "'${first:0:5}' is made only of hex digits" "read as an ID or the start of one"
refused "$first" "is made only of hex digits"
refused "db" "'db' is made only of hex digits" "e.g. 'db-1'"

expect_eq "no row added to ps -a" "$before" "$(rows)"
expect_eq "no record made" "$recs" "$(records)"
# the ID prefix still finds the first container, and only it
expect_eq "ID prefix" "$first" "$(as_user "$B" inspect "${first:0:5}" | jq -r .[0].Id)"

# pods: the same rule
out=$(as_user "$B" pod create --name ../p --network none 2>&1) && fail "pod create --name ../p accepted"
[[ $out == *"pod name '../p' starts with '.'"*"$RULE"* ]] || fail "pod ../p: $out"
out=$(as_user "$B" pod create --name cafe --network none 2>&1) && fail "pod create --name cafe accepted"
[[ $out == *"pod name 'cafe' is made only of hex digits"* ]] || fail "pod cafe: $out"
# networks (the name check comes before the root check)
out=$(as_user "$B" network create ../n 2>&1) && fail "network create ../n accepted"
[[ $out == *"network name '../n' starts with '.'"*"1 to 32 characters"* ]] || fail "network ../n: $out"
out=$("$B" network rm ../../containers 2>&1) && fail "network rm ../../containers accepted"
[[ $out == *"network name '../../containers' starts with '.'"* ]] || fail "network rm: $out"
out=$("$B" run --rm --network bridge:../../x "$ROOTFS" true 2>&1) && fail "--network bridge:../../x accepted"
[[ $out == *"network name '../../x' starts with '.'"* ]] || fail "--network bridge:../../x: $out"

# nor does a command with a newline forge a row of ps
on_exit "as_user $B rm -f cmdnl"
as_user "$B" run --name cmdnl --network none "$ROOTFS" sh -c $'true\nfeedc0ffee02  forged  running' \
	>/dev/null 2>&1	# 127: the second line is no command
rows_now=$(as_user "$B" ps -a | wc -l)
expect_eq "ps -a: one row for the command with a newline" $((before + 1)) "$rows_now"
as_user "$B" ps -a | grep -q '^feedc0ffee02' && fail "a forged row: $(as_user "$B" ps -a)"
check "rm cmdnl" as_user "$B" rm cmdnl

# good names still work: every allowed character, and the longest
check "run --name web-1.a_b" as_user "$B" run -d --name web-1.a_b --network none "$ROOTFS" sleep 30
as_user "$B" ps | grep -q " web-1.a_b " || fail "web-1.a_b not listed: $(as_user "$B" ps)"
check "rm -f web-1.a_b" as_user "$B" rm -f web-1.a_b
long=${long:1}
out=$(as_user "$B" run --rm --name "$long" --network none "$ROOTFS" echo ok 2>&1)
expect_eq "63-character name" ok "$out"
out=$(as_user "$B" run --rm --name Cafe1 --network none "$ROOTFS" echo ok 2>&1)
expect_eq "capitals: IDs are lowercase, Cafe1 is not one" ok "$out"
pass
