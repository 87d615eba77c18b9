# shellcheck shell=bash
# killsteps.sh - SIGKILL at every side-effecting system call of a command
# the test user runs (strace -e inject), with a check after each kill.
# Source after sandbox.sh.  burrow-bridge's root-side variant is
# bridge_kill.sh.
#
#   ks_baseline CMD...          trace CMD once; KS_STEPS gets NAME:K for each
#                               of its calls in KS_SIDE (K counts NAME's
#                               calls, as strace does), every 4th first so
#                               that a time budget still spreads the kills
#   ks_run_steps CHECK CMD...   for each step (until KS_BUDGET seconds,
#                               default 45, have passed since sourcing): run
#                               ks_prepare (if defined), CMD killed there,
#                               then CHECK STEP STATUS; prints the tally and
#                               fails if fewer than 3/4 of them killed CMD
# Only the command itself is traced, not what it forks: a namespace holder
# or helper it leaves behind runs on untraced.
need_cmd strace strace

# syscalls whose effect outlives the process, or that wait for a child:
# killing at any other one is the same as killing at the one before it
KS_SIDE='^(mkdir|mkdirat|write|pwrite64|writev|rename|renameat|renameat2|unlink|unlinkat|rmdir|flock|clone|clone3|fork|vfork|wait4|waitid|kill|tgkill|poll|ppoll|read|fsync|connect|bind|sendto|sendmsg|mount|umount2|setns|unshare|symlink|link|fchmod|fchown|ftruncate)[(]|^open(at)?[(].*O_(CREAT|WRONLY|RDWR)'
KS_START=$(date +%s)
KS_BUDGET=${BURROW_ADV_BUDGET:-45}

# ks_traced ARGS...: strace ARGS (options, then the command) as root,
# tracing the test user's command (-u drops to the user, so nothing setuid
# runs under the user's ptrace), in the sandbox's host namespace when there
# is one, with the user's XDG_RUNTIME_DIR; LeakSanitizer cannot run under
# ptrace (make SAN=1)
ks_traced() {
	local pre=()
	[ -e "/run/netns/${HOST_NS:-}" ] && pre=(nsenter --net="/run/netns/$HOST_NS" --)
	"${pre[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp \
		XDG_RUNTIME_DIR="$(_user_xdg "$TEST_USER")" ASAN_OPTIONS=detect_leaks=0 \
		strace -qq -u "$TEST_USER" "$@"
}

ks_baseline() {
	ks_traced -o "$T_TMP/ks_base.trace" "$@" </dev/null >/dev/null 2>"$T_TMP/ks_base.err" ||
		fail "baseline $*: $(cat "$T_TMP/ks_base.err")"
	mapfile -t KS_STEPS < <(grep -E '^[a-z0-9_]+[(]' "$T_TMP/ks_base.trace" |
		awk -v side="$KS_SIDE" '{ name = $0; sub(/[(].*/, "", name); n[name]++
			if ($0 ~ side) print (i++ % 4) " " name ":" n[name] }' |
		sort -s -n -k1,1 | cut -d' ' -f2)
	[ "${#KS_STEPS[@]}" -ge 10 ] ||
		fail "only ${#KS_STEPS[@]} steps in the baseline: $(head -c 600 "$T_TMP/ks_base.trace")"
}

ks_run_steps() {
	local check=$1 step name k rc done_steps=0 killed=0 completed=0
	shift
	for step in "${KS_STEPS[@]}"; do
		if (($(date +%s) - KS_START >= KS_BUDGET)); then
			echo "note: time budget reached after $done_steps of ${#KS_STEPS[@]} steps"
			break
		fi
		name=${step%%:*} k=${step#*:}
		declare -F ks_prepare >/dev/null && ks_prepare
		ks_traced -o /dev/null -e trace="$name" -e inject="$name:signal=SIGKILL:when=$k" \
			"$@" </dev/null >/dev/null 2>"$T_TMP/ks_step.err"
		rc=$?
		done_steps=$((done_steps + 1))
		case $rc in
		137) killed=$((killed + 1)) ;;
		0) completed=$((completed + 1)) ;;
		*) fail "step $step: exit status $rc: $(cat "$T_TMP/ks_step.err")" ;;
		esac
		"$check" "$step" "$rc"
	done
	echo "$done_steps steps of ${#KS_STEPS[@]} side-effecting syscalls injected," \
		"$killed killed, $completed completed (the syscall came later than in the baseline)"
	[ "$killed" -ge $((done_steps * 3 / 4)) ] || fail "only $killed of $done_steps injections killed $1"
	KS_DONE=$done_steps
}
