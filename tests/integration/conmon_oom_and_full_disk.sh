#!/bin/bash
# A container killed by the OOM killer: exit code 137 and the "oom" file in
# the persist directory.  A full disk for the log: the container is neither
# blocked nor killed, its exit code is still recorded.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

# full disk: the log lives on a 64 KiB tmpfs, the container writes 2 MB
mkdir -p "$T_TMP/small"
mount -t tmpfs -o size=64k tmpfs "$T_TMP/small" || skip "cannot mount a tmpfs"
on_exit "umount -l $T_TMP/small"
dir="$T_TMP/full"
mon_bundle "$dir" false sh -c 'head -c 2000000 /dev/zero | tr "\\0" y | fold -w 99; echo done; exit 4'
mon_start full "$dir" -l "k8s-file:$T_TMP/small/ctr.log"
rt start full || fail "start"
expect_eq "exit code with a full log disk" 4 "$(mon_wait_exit full "$dir")"
size=$(stat -c %s "$T_TMP/small/ctr.log")
[ "$size" -gt 32768 ] || fail "the log did not fill its filesystem ($size bytes)"

# OOM: pid 1 itself grows past a 32 MiB limit
dir="$T_TMP/oom"
mon_bundle "$dir" false tail -c 100000000 /dev/zero
sed -i 's|"resources": {|"resources": {\n\t\t\t"memory": {"limit": 33554432, "swap": 33554432},|' "$dir/config.json"
grep -q '"limit": 33554432' "$dir/config.json" || fail "memory limit not set in the spec"
mon_start oom "$dir" -l none
rt start oom || fail "start"
code=$(mon_wait_exit oom "$dir")
[ "$code" = 137 ] || skip "memory limit not enforced here (exit $code)"
[ -e "$dir/persist/oom" ] || fail "exit 137 under a memory limit but no oom file"
expect_eq "persist exit" 137 "$(cat "$dir/persist/exit")"
pass
