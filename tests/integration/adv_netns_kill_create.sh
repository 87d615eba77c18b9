#!/bin/bash
# Crash injection at every side-effecting syscall of a rootless
# `burrow-netns create NAME`: traced once to list its own syscalls, then run
# once per such syscall with SIGKILL injected there (strace -e
# inject=NAME:signal=SIGKILL:when=K).  The namespace is held by a detached
# process that outlives the command; a command killed before it recorded
# that holder must not leave it running with no record naming it (it did:
# a kill at the record's rename left a holder that `list` never showed and
# `delete` could not reach).  After each kill: `list` parses, names NAME at
# most once, `delete --force` of it works, and no holder of NAME is left.
# Then create, exec and delete still work.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/killsteps.sh"
need_bin burrow-netns
NS="$BIN/burrow-netns"
NAME="adv${T_ID}"
on_exit "as_user $NS delete $NAME --force >/dev/null 2>&1; pkill -KILL -u $TEST_USER -f 'burrow-netns create $NAME' 2>/dev/null"

ks_baseline "$NS" create "$NAME"
as_user "$NS" delete "$NAME" || fail "baseline delete"

# holders: processes of the test user forked by a create of NAME (a holder
# keeps its creator's command line), zombies left out
holders() {
	local p
	for p in $(pgrep -u "$TEST_USER" -f "burrow-netns create $NAME"); do
		[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = Z ] && continue
		[ -d "/proc/$p" ] && echo "$p"
	done
}

# after_kill STEP STATUS: list names NAME at most once, delete --force
# removes it, and no holder of NAME is left
after_kill() {
	local step=$1 rc=$2 list n i left
	list=$(as_user "$NS" list) || fail "step $step: list failed"
	n=$(grep -c "^$NAME " <<<"$list")
	[ "$n" -le 1 ] || fail "step $step: $NAME listed $n times: $list"
	if [ "$n" = 1 ]; then
		as_user "$NS" delete "$NAME" --force >/dev/null 2>"$T_TMP/del.err" ||
			fail "step $step: delete --force: $(cat "$T_TMP/del.err")"
	fi
	# a holder that lost its creator may take a moment to exit
	for ((i = 0; i < 50; i++)); do
		left=$(holders)
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || fail "step $step (exit $rc, listed: $n): holder left with no record: $left"
}
ks_run_steps after_kill "$NS" create "$NAME"

# and it still works
as_user "$NS" create "$NAME" || fail "create after the crashes"
out=$(as_user "$NS" exec "$NAME" cat /proc/net/dev | grep -c ':') || fail "exec after the crashes"
expect_eq "interfaces in a new namespace" 1 "$out"
as_user "$NS" delete "$NAME" || fail "delete after the crashes"
[ -z "$(holders)" ] || fail "left after the last delete: $(holders)"
pass "$KS_DONE of ${#KS_STEPS[@]} steps"
