#!/bin/bash
# k8s-file logs: "RFC3339-with-nanoseconds STREAM F|P MESSAGE" lines, P for
# an unterminated tail and for pieces of a very long line, nothing lost; and
# rotation at --log-size-max keeps the file under the limit with the newest
# lines in it, and --log-global-size-max stops logging once all files
# together took that many bytes.  -l passthrough hands the caller's stdio
# to the container.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

dir="$T_TMP/fmt"
# a 200000-byte line (longer than any read buffer), short lines, stderr, no final newline
mon_bundle "$dir" false sh -c 'echo first; head -c 200000 /dev/zero | tr "\\0" x; echo; echo oops >&2; printf tail'
mon_start fmt "$dir" -l "k8s-file:$dir/ctr.log"
rt start fmt || fail "start"
expect_eq "exit" 0 "$(mon_wait_exit fmt "$dir")"
log="$dir/ctr.log"
ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}[+-][0-9]{2}:[0-9]{2}'
bad=$(grep -Evc "^$ts (stdout|stderr) [PF] " "$log")
expect_eq "malformed lines" 0 "$bad"
grep -Eq "^$ts stdout F first\$" "$log" || fail "no 'first' line: $(head -3 "$log")"
grep -Eq "^$ts stderr F oops\$" "$log" || fail "no stderr line"
expect_eq "unterminated tail is partial" "stdout P tail" "$(grep " stdout " "$log" | tail -1 | cut -d" " -f2-)"
# the long line: P pieces then one F, together exactly 200000 x
long=$(grep -E ' stdout [PF] x' "$log" | cut -d' ' -f4- | tr -d '\n' | wc -c)
expect_eq "bytes of the long line" 200000 "$long"
grep -Eq ' stdout P x' "$log" || fail "long line not split into partial pieces"

# rotation: 2000 numbered lines through a 4096-byte limit
dir="$T_TMP/rot"
mon_bundle "$dir" false sh -c 'i=1; while [ $i -le 2000 ]; do echo "line $i"; i=$((i+1)); done'
mon_start rot "$dir" -l "k8s-file:$dir/ctr.log" --log-size-max 4096
rt start rot || fail "start"
expect_eq "exit" 0 "$(mon_wait_exit rot "$dir")"
size=$(stat -c %s "$dir/ctr.log")
[ "$size" -le 4096 ] || fail "log is $size bytes, over --log-size-max 4096"
[ "$size" -gt 0 ] || fail "log is empty after rotation"
expect_eq "newest line kept" "line 2000" "$(tail -1 "$dir/ctr.log" | cut -d' ' -f4-)"
grep -q ' F line 1$' "$dir/ctr.log" && fail "first line still there: no rotation"
# every line in the file is whole and numbered consecutively
first=$(head -1 "$dir/ctr.log" | awk '{print $5}')
expect_eq "consecutive lines" "$((2000 - first + 1))" "$(wc -l < "$dir/ctr.log")"

# --log-global-size-max: 20000 bytes through all rotations, then nothing;
# the line that crosses the limit is the last one logged (as conmon)
dir="$T_TMP/glob"
mon_bundle "$dir" false sh -c 'i=1; while [ $i -le 2000 ]; do echo "line $i"; i=$((i+1)); done'
mon_start glob "$dir" -l "k8s-file:$dir/ctr.log" --log-size-max 4096 --log-global-size-max 20000
rt start glob || fail "start"
expect_eq "exit" 0 "$(mon_wait_exit glob "$dir")"
# a k8s-file line is "TIMESTAMP(35) stdout F line N\n"
last=$(awk 'BEGIN { t = 0; for (i = 1; t < 20000; i++) t += 35 + 10 + length("line " i) + 1; print i - 1 }')
expect_eq "last line logged under --log-global-size-max" "line $last" "$(tail -1 "$dir/ctr.log" | cut -d' ' -f4-)"
size=$(stat -c %s "$dir/ctr.log")
[ "$size" -le 4096 ] || fail "log is $size bytes, over --log-size-max 4096"

# passthrough: the container writes straight to the caller's stdio
dir="$T_TMP/pt"
mon_bundle "$dir" false sh -c 'echo straight through'
mon_start pt "$dir" -l passthrough > "$T_TMP/pt.out"
rt start pt || fail "start"
expect_eq "exit" 0 "$(mon_wait_exit pt "$dir")"
expect_eq "passthrough output" "straight through" "$(cat "$T_TMP/pt.out")"
pass
