#!/bin/bash
# Crash injection at every syscall of `burrow run` with a side effect:
# a rootless `burrow run --rm --network none ROOTFS true` is traced once to
# list its own syscalls (not its children's), then run again once per
# side-effecting syscall with SIGKILL injected there (strace -e
# inject=NAME:signal=SIGKILL:when=K, counters per syscall, so NAME's K-th call
# is that step).  After each kill: `burrow ps -a` reports a sane record (or
# none), `burrow rm -f` and `burrow system prune` remove it, and nothing is
# left: no record folder, no runtime state, no process started from our state
# folder, no mount, no namespace holder or burrow-slirp.  Then a normal run
# still works.  The steps stop after 45 s (under 60 s in all): if the machine
# is too slow for every one, it says how many it covered, spread over the run.  ADV_NET=slirp (set by
# adv_launcher_kill_run_slirp.sh) runs the same with --network slirp;
# ADV_MODE=detach (adv_launcher_kill_run_detach.sh) kills `run -d` and
# ADV_MODE=pod (adv_launcher_kill_pod.sh) `pod create`, whose namespace
# holders outlive the command once it has recorded them, and only then;
# ADV_MODE=rm (adv_launcher_kill_rm.sh) kills `rm -f` of a detached
# container made anew before each step: a second rm -f finishes the job.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/killsteps.sh"
need_cmd jq jq
NET=${ADV_NET:-none}
MODE=${ADV_MODE:-run}
# the command under test
case $MODE in
run) CMD=(run --rm --network "$NET") ;;
detach) CMD=(run -d --network "$NET") ;;
pod) CMD=(pod create --network "$NET") ;;
rm) CMD=(rm -f advrm) ;;
*) fail "ADV_MODE=$MODE: run, detach, pod or rm" ;;
esac
launcher_rootfs
case $MODE in
run) CMD+=("$ROOTFS" true) ;;
detach) CMD+=("$ROOTFS" sleep 600) ;;
esac
if [ "$NET" = slirp ]; then
	need_bin burrow-slirp
	sandbox_net
fi
B="$BIN/burrow"
XDG="$T_TMP/xdg-$TEST_USER"
as_user true	# makes $XDG
on_exit "as_user $B rm -f \$(as_user $B ps -a --format json | jq -r '.[].Id') >/dev/null 2>&1"
on_exit "for p in \$(as_user $B pod ps --format json | jq -r '.[].id'); do as_user $B pod rm -f \$p; done >/dev/null 2>&1"
on_exit "as_user $B system prune >/dev/null 2>&1"

# ks_prepare: what the command acts on (rm: a detached container), before
# the baseline and each step
ks_prepare() {
	[ "$MODE" = rm ] || return 0
	as_user "$B" run -d --name advrm --network "$NET" "$ROOTFS" sleep 600 >/dev/null 2>"$T_TMP/prep.err" ||
		fail "run -d for rm: $(cat "$T_TMP/prep.err")"
}
ks_prepare
ks_baseline "$B" "${CMD[@]}"

# remove_all: every container and pod the user has, as a user would
remove_all() {
	local id
	for id in $(as_user "$B" ps -a --format json | jq -r '.[].Id'); do
		as_user "$B" rm -f "$id" >/dev/null 2>"$T_TMP/rm.err" || { echo "rm -f $id: $(cat "$T_TMP/rm.err")"; return 1; }
	done
	for id in $(as_user "$B" pod ps --format json | jq -r '.[].id'); do
		as_user "$B" pod rm -f "$id" >/dev/null 2>"$T_TMP/rm.err" || { echo "pod rm -f $id: $(cat "$T_TMP/rm.err")"; return 1; }
	done
}

r=$(remove_all) || fail "after the baseline: $r"

# leftovers: what a killed run may still have, after rm -f and prune
leftovers() {
	local d
	for d in "$XDG/burrow/containers" "$XDG/burrow/pods" "$XDG/burrow/runtime/crun"; do
		[ -d "$d" ] || continue
		find "$d" -mindepth 1 -maxdepth 1 ! -name '.*' -printf "$d/%f\n"
	done
	pgrep -a -f "$XDG/" | grep -v pgrep
	pgrep -a -f -- "$ROOTFS" | grep -v pgrep
	# a namespace holder keeps the command line of the burrow that forked it
	pgrep -a -u "$TEST_USER" -f -- "^$B ${CMD[*]:0:2}" | grep -v pgrep
	grep -F "$T_TMP" /proc/self/mountinfo
	orphan_slirps
}

# orphan_slirps: our build's burrow-slirp processes (other checkouts on this
# machine may run theirs) whose namespace holder, the PID before the
# interface name on the command line the launcher gives, is gone
orphan_slirps() {
	local p args holder
	for p in $(pgrep -u "$TEST_USER" -x burrow-slirp); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$BIN/burrow-slirp" ] || continue
		args=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") || continue
		[ -n "$args" ] || continue	# exiting
		holder=$(awk '{ print $(NF - 1) }' <<<"$args")
		[[ $holder =~ ^[0-9]+$ ]] && [ -d "/proc/$holder" ] && continue
		echo "burrow-slirp $p ($args)"
	done
}

# after_kill STEP STATUS: the records are sane, rm -f and prune remove
# everything, and nothing is left
after_kill() {
	local step=$1 rc=$2 json n st r i left
	# ps -a (pod ps): parseable, at most one record, a known status
	json=$(as_user "$B" ps -a --format json) || fail "step $step: ps -a failed"
	n=$(jq length <<<"$json") || fail "step $step: ps -a --format json is not JSON: $json"
	[ "$n" -le 1 ] || fail "step $step: $n records for one run: $json"
	st=$(jq -r '.[].State' <<<"$json")
	case $st in "" | created | running | exited | dead) ;;
	*) fail "step $step: status '$st'" ;; esac
	json=$(as_user "$B" pod ps --format json) || fail "step $step: pod ps failed"
	n=$(jq length <<<"$json") || fail "step $step: pod ps --format json is not JSON: $json"
	[ "$n" -le 1 ] || fail "step $step: $n pods for one pod create: $json"
	r=$(remove_all) || fail "step $step: $r"
	as_user "$B" system prune >/dev/null 2>"$T_TMP/prune.err" ||
		fail "step $step: prune: $(cat "$T_TMP/prune.err")"
	# a runtime or helper that lost us may take a moment to exit
	for ((i = 0; i < 20; i++)); do
		left=$(leftovers)
		[ -z "$left" ] && break
		sleep 0.1
		((i == 5)) && as_user "$B" system prune >/dev/null 2>&1
	done
	[ -z "$left" ] || fail "step $step (run exit $rc): left behind: $left"
}
echo -n "network $NET, $MODE: "
ks_run_steps after_kill "$B" "${CMD[@]}"

# and burrow still works
out=$(as_user "$B" run --rm --network "$NET" "$ROOTFS" echo alive 2>&1)
expect_eq "a run after the crashes" alive "$out"
[ -z "$(leftovers)" ] || fail "left after the last run: $(leftovers)"
pass "$KS_DONE of ${#KS_STEPS[@]} steps"
