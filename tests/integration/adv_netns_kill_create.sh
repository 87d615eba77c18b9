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
need_cmd strace strace
need_bin burrow-netns
NS="$BIN/burrow-netns"
NAME="adv${T_ID}"
XDG=$(_user_xdg "$TEST_USER")
on_exit "as_user $NS delete $NAME --force >/dev/null 2>&1; pkill -KILL -u $TEST_USER -f 'burrow-netns create $NAME' 2>/dev/null"
START=$(date +%s)
BUDGET=${BURROW_ADV_BUDGET:-45}

# traced CMD...: the test user's command under strace (root traces, -u drops
# to the user); only the command itself, not the holder it forks, is traced,
# and LeakSanitizer cannot run under ptrace (make SAN=1)
traced() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp XDG_RUNTIME_DIR="$XDG" \
		ASAN_OPTIONS=detect_leaks=0 strace -qq -u "$TEST_USER" "$@"
}
SIDE='^(mkdir|mkdirat|write|pwrite64|writev|rename|renameat|renameat2|unlink|unlinkat|flock|clone|clone3|fork|vfork|wait4|waitid|kill|poll|ppoll|read|fsync|close|sendto|sendmsg)[(]|^open(at)?[(].*O_(CREAT|WRONLY|RDWR)'

traced -o "$T_TMP/base.trace" "$NS" create "$NAME" </dev/null >/dev/null 2>"$T_TMP/base.err" ||
	fail "baseline create: $(cat "$T_TMP/base.err")"
as_user "$NS" delete "$NAME" || fail "baseline delete"
mapfile -t STEPS < <(grep -E '^[a-z0-9_]+[(]' "$T_TMP/base.trace" |
	awk -v side="$SIDE" '{ name = $0; sub(/[(].*/, "", name); n[name]++
		if ($0 ~ side) print name ":" n[name] }')
[ "${#STEPS[@]}" -ge 10 ] || fail "only ${#STEPS[@]} steps in the baseline: $(head -c 600 "$T_TMP/base.trace")"

# holders: processes of the test user forked by a create of NAME (a holder
# keeps its creator's command line), zombies left out
holders() {
	local p
	for p in $(pgrep -u "$TEST_USER" -f "burrow-netns create $NAME"); do
		[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = Z ] && continue
		[ -d "/proc/$p" ] && echo "$p"
	done
}

done_steps=0 killed=0 completed=0
for step in "${STEPS[@]}"; do
	if (($(date +%s) - START >= BUDGET)); then
		echo "note: time budget reached after $done_steps of ${#STEPS[@]} steps"
		break
	fi
	name=${step%%:*} k=${step#*:}
	traced -o /dev/null -e trace="$name" -e inject="$name:signal=SIGKILL:when=$k" \
		"$NS" create "$NAME" </dev/null >/dev/null 2>"$T_TMP/step.err"
	rc=$?
	done_steps=$((done_steps + 1))
	case $rc in
	137) killed=$((killed + 1)) ;;
	0) completed=$((completed + 1)) ;;
	*) fail "step $step: exit status $rc: $(cat "$T_TMP/step.err")" ;;
	esac
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
done
echo "$done_steps steps of ${#STEPS[@]} side-effecting syscalls injected," \
	"$killed killed, $completed completed"
[ "$killed" -ge $((done_steps * 3 / 4)) ] || fail "only $killed of $done_steps injections killed the command"

# and it still works
as_user "$NS" create "$NAME" || fail "create after the crashes"
out=$(as_user "$NS" exec "$NAME" cat /proc/net/dev | grep -c ':') || fail "exec after the crashes"
expect_eq "interfaces in a new namespace" 1 "$out"
as_user "$NS" delete "$NAME" || fail "delete after the crashes"
[ -z "$(holders)" ] || fail "left after the last delete: $(holders)"
pass "$done_steps of ${#STEPS[@]} steps"
