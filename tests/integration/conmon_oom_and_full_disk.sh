#!/bin/bash
# A container killed by the OOM killer: exit code 137 and the "oom" file in
# the persist directory (and no oom file for a plain SIGKILL).  A full disk for the log: the container is neither
# blocked nor killed, its exit code is still recorded.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

# full disk: the log lives on a 64 KiB tmpfs, the container writes 2 MB
mkdir -p "$T_TMP/small"
mount -t tmpfs -o size=64k tmpfs "$T_TMP/small" || fail "mount -t tmpfs (the tests run as root)"
on_exit "umount -l $T_TMP/small"
dir="$T_TMP/full"
mon_bundle "$dir" false sh -c 'head -c 2000000 /dev/zero | tr "\\0" y | fold -w 99; echo done; exit 4'
mon_start full "$dir" -l "k8s-file:$T_TMP/small/ctr.log"
rt start full || fail "start"
expect_eq "exit code with a full log disk" 4 "$(mon_wait_exit full "$dir")"
size=$(stat -c %s "$T_TMP/small/ctr.log")
[ "$size" -gt 32768 ] || fail "the log did not fill its filesystem ($size bytes)"

# OOM: pid 1 itself grows past a 32 MiB limit.  Deterministic by
# construction: the container waits until the test has read the limit from
# its own memory cgroup (memory and memory+swap, so it cannot swap its way
# out), then grows a string in user space (page faults in user mode always
# end in the OOM killer; a read() into fresh memory, as the old `tail -c`
# did, can instead fail with EFAULT when the charge fails inside the
# kernel).  Any exit but 137 is a failure, never a skip.
limit=33554432
dir="$T_TMP/oom"
mon_bundle "$dir" false sh -c 'while [ ! -e /tmp/go ]; do usleep 20000; done; exec awk "BEGIN { s = \"x\"; while (1) s = s s }"'
sed -i "s|\"resources\": {|\"resources\": {\n\t\t\t\"memory\": {\"limit\": $limit, \"swap\": $limit},|" "$dir/config.json"
grep -q "\"limit\": $limit" "$dir/config.json" || fail "memory limit not set in the spec"
rm -f "$T_TMP/rootfs/tmp/go"
mon_start oom "$dir" -l "k8s-file:$dir/ctr.log"
rt start oom || fail "start"
# the container's memory cgroup: v1 "N:memory:/path" or v2 "0::/path"
mcg=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print "/sys/fs/cgroup/memory" $3 }' "/proc/$MON_CPID/cgroup")
if [ -n "$mcg" ]; then
	expect_eq "memory.limit_in_bytes of the container" $limit "$(cat "$mcg/memory.limit_in_bytes")"
	if [ -e "$mcg/memory.memsw.limit_in_bytes" ]; then
		expect_eq "memory.memsw.limit_in_bytes" $limit "$(cat "$mcg/memory.memsw.limit_in_bytes")"
	else
		[ -z "$(swapon --show --noheadings)" ] ||
			fail "swap is on but not accounted (no memory.memsw): the container would swap, not be OOM-killed"
	fi
	oom_count() { awk '/^oom_kill / { print $2 }' "$mcg/memory.oom_control"; }
else
	v2=$(awk -F: '$1 == 0 { print $3 }' "/proc/$MON_CPID/cgroup")
	mcg=/sys/fs/cgroup$v2
	[ -e "$mcg/memory.max" ] || mcg=/sys/fs/cgroup/unified$v2
	[ -e "$mcg/memory.max" ] || fail "no memory cgroup for the container (/proc/$MON_CPID/cgroup: $(cat "/proc/$MON_CPID/cgroup"))"
	expect_eq "memory.max of the container" $limit "$(cat "$mcg/memory.max")"
	[ ! -e "$mcg/memory.swap.max" ] || expect_eq "memory.swap.max" 0 "$(cat "$mcg/memory.swap.max")"
	oom_count() { awk '/^oom_kill / { print $2 }' "$mcg/memory.events"; }
fi
before=$(oom_count)
touch "$T_TMP/rootfs/tmp/go"
code=$(mon_wait_exit oom "$dir")
expect_eq "OOM kills counted by the container's memory cgroup" $((before + 1)) "$(oom_count)"
expect_eq "exit code of an OOM-killed container" 137 "$code"
[ -e "$dir/persist/oom" ] || fail "exit 137 after an OOM kill but no oom file"
expect_eq "persist exit" 137 "$(cat "$dir/persist/exit")"
rm -f "$T_TMP/rootfs/tmp/go"

# the same limit, killed by SIGKILL without any OOM: 137 and no oom file
dir="$T_TMP/nooom"
mon_bundle "$dir" false sleep 100
sed -i "s|\"resources\": {|\"resources\": {\n\t\t\t\"memory\": {\"limit\": $limit, \"swap\": $limit},|" "$dir/config.json"
mon_start nooom "$dir" -l none
rt start nooom || fail "start nooom"
rt kill nooom KILL
expect_eq "exit code, SIGKILL under a memory limit" 137 "$(mon_wait_exit nooom "$dir")"
[ ! -e "$dir/persist/oom" ] || fail "oom file for a container killed by SIGKILL, not by the OOM killer"
pass
