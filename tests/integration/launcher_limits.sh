#!/bin/bash
# run -m/--memory, --cpus, --pids-limit: as root the runtime puts the
# container in a cgroup with exactly those limits (memory limit, CPU quota,
# pids.max) and a burst of processes past the pids limit fails inside the
# container while an unlimited one runs them all; as an unprivileged user
# the run is refused, naming the option and the reason, with nothing left
# behind (never run unlimited); bad values are refused by name.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
B="$BIN/burrow"
export BURROW_STATE_DIR="$T_TMP/state"
on_exit "$B rm -f lim unl >/dev/null 2>&1"
on_exit "as_user $B system prune >/dev/null 2>&1"

# expect_err DESCRIPTION TEXT CMD...: exit 125 with TEXT on stderr
expect_err() {
	local d=$1 want=$2 out rc; shift 2
	out=$("$@" 2>&1 >/dev/null); rc=$?
	expect_eq "$d: exit code" 125 "$rc"
	[[ $out == *"$want"* ]] || fail "$d: message '$out' lacks '$want'"
}
expect_err "-m 1x" "--memory '1x': expected a size" "$B" run --network none -m 1x "$ROOTFS" true
expect_err "-m 1k" "below the minimum of 6m" "$B" run --network none -m 1k "$ROOTFS" true
expect_err "--cpus 0" "--cpus '0': expected a number of CPUs" "$B" run --network none --cpus 0 "$ROOTFS" true
expect_err "--cpus 4096" "more than the" "$B" run --network none --cpus 4096 "$ROOTFS" true
expect_err "--pids-limit -5" "--pids-limit '-5'" "$B" run --network none --pids-limit -5 "$ROOTFS" true
[ -z "$("$B" ps -a -q)" ] || fail "a refused run left a record"

# as root: the limits in the container's own cgroup
"$B" run -d --name lim --network none -m 64m --cpus 0.5 --pids-limit 20 "$ROOTFS" sleep 1000 \
	>/dev/null || fail "run -d with limits"
pid=$("$B" inspect -f '{{.State.Pid}}' lim)
expect_eq "inspect HostConfig" "67108864 500000000 20" \
	"$("$B" inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' lim)"
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
	expect_eq "pids.max" 20 "$(cat "$cg/pids.max")"
	expect_eq "memory.max" 67108864 "$(cat "$cg/memory.max")"
	expect_eq "cpu.max" "50000 100000" "$(cat "$cg/cpu.max")"
else
	v1() { echo "/sys/fs/cgroup/$1$(awk -F: -v c="$1" '$2 == c { print $3 }' "/proc/$pid/cgroup")"; }
	expect_eq "pids.max" 20 "$(cat "$(v1 pids)/pids.max")"
	expect_eq "memory.limit_in_bytes" 67108864 "$(cat "$(v1 memory)/memory.limit_in_bytes")"
	expect_eq "cpu.cfs_quota_us" 50000 "$(cat "$(v1 cpu)/cpu.cfs_quota_us")"
	expect_eq "cpu.cfs_period_us" 100000 "$(cat "$(v1 cpu)/cpu.cfs_period_us")"
	[ "$(v1 pids)" != /sys/fs/cgroup/pids/ ] || fail "the container is in the root pids cgroup"
fi
# a burst of 40 short sleeps: capped at 20 processes in the container
burst="for i in $(seq -s ' ' 1 40); do sleep 2 & done; wait; echo started"
out=$(timeout 30 "$B" exec lim sh -c "$burst" 2>&1)
[[ $out == *"can't fork"* || $out == *"Resource temporarily unavailable"* ]] ||
	fail "40 processes ran under --pids-limit 20: '$out'"
# the same burst without a limit runs them all (the anchor)
"$B" run -d --name unl --network none "$ROOTFS" sleep 1000 >/dev/null || fail "run -d unl"
out=$(timeout 30 "$B" exec unl sh -c "$burst" 2>&1)
expect_eq "unlimited burst" started "$out"
check "rm -f" "$B" rm -f lim unl

# as the test user: refused (without a delegated cgroup v2 there is nowhere
# to put the limits; with one, burrow does not use it yet), never unlimited
for o in "-m 64m:--memory" "--cpus 1:--cpus" "--pids-limit 10:--pids-limit"; do
	opt=${o%%:*} name=${o#*:}
	# shellcheck disable=SC2086
	out=$(as_user "$B" run --rm --network none $opt "$ROOTFS" true 2>&1 >/dev/null)
	expect_eq "rootless $opt: exit code" 125 $?
	[[ $out == "burrow: $name: rootless limits need cgroup v2"* ||
	   $out == "burrow: $name: the "*" controller is not delegated to you"* ||
	   $out == "burrow: $name: a cgroup is delegated to you"* ]] || fail "rootless $opt: '$out'"
done
[ -z "$(as_user "$B" ps -a -q)" ] || fail "a refused rootless run left a record"
[ -z "$(ls "$T_TMP/xdg-$TEST_USER/burrow/containers" 2>/dev/null)" ] ||
	fail "a refused rootless run left a folder"
pass
