#!/bin/bash
# The attach socket: a client gets the container's output tagged with the
# stream (2 stdout, 3 stderr), its input reaches the container's stdin, and
# detaching leaves the container running; a second client attaches later.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init
[ -x "$TOOLS/attachc" ] || fail "attachc not built"

dir="$T_TMP/att"
mon_bundle "$dir" false sh -c 'while read -r l; do echo "got:$l"; echo "err:$l" >&2; [ "$l" = quit ] && exit 5; done'
mon_start att "$dir" -i --leave-stdin-open -l "k8s-file:$dir/ctr.log"
[ -S "$dir/attach" ] || fail "no attach socket in the bundle"
rt start att || fail "start"

out=$("$TOOLS/attachc" "$dir/attach" -s hello -u "err:hello" -t 10) || fail "attach 1 ($?): $out"
[[ "$out" == *"[2]got:hello"* ]] || fail "stdout not tagged 2: $out"
[[ "$out" == *"[3]err:hello"* ]] || fail "stderr not tagged 3: $out"
# detached: the container still runs
sleep 0.2
kill -0 "$MON_CPID" || fail "container gone after detach"
[ ! -s "$dir/exits/att" ] || fail "exit file after detach"

# a client that ends its input at once (Podman without -i) still gets output
out=$("$TOOLS/attachc" "$dir/attach" -s again -w -u "got:again" -t 10) || fail "attach 2, half-closed ($?): $out"
out=$("$TOOLS/attachc" "$dir/attach" -s quit -u "got:quit" -t 10) || fail "attach 3 ($?): $out"
expect_eq "exit code" 5 "$(mon_wait_exit att "$dir")"
grep -q 'stdout F got:again' "$dir/ctr.log" || fail "input of the 2nd attach not logged"
pass
