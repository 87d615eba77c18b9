#!/bin/bash
# The library's detached holder (what burrow-netns and the launcher use)
# keeps a fully mapped user namespace alive after its creator exits, holds
# none of its fds (a $(...) capture returns at once), and the user can end
# it with SIGTERM.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/idmap.sh"

[ -x "$TOOLS/idmap_bench" ] || fail "idmap_bench not built"
pid=$(timeout 20 bash -c 'as_user "$TOOLS/idmap_bench" hold') || fail "hold failed (or its output was held open)"
[ -n "$pid" ] || fail "no holder PID"
on_exit "kill -9 $pid"
[ -d "/proc/$pid" ] || fail "holder $pid gone after its creator exited"
expect_eq "holder owner" "$TEST_UID" "$(stat -c %u "/proc/$pid")"
expect_eq "holder maps" "$(map_line 0 "$TEST_UID" 1)
$(map_line 1 400000 65536)" "$(cat "/proc/$pid/uid_map")"
no_fds() { [ "$(ls "/proc/$pid/fd" | wc -l)" = 0 ]; }
retry 100 no_fds || fail "holder keeps fds open: $(ls -l "/proc/$pid/fd")"
[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] || fail "same user namespace"
# the namespace is usable: enter it as the user
expect_eq "enter" "0 $(map_line 1 400000 65536)" "$(as_user nsenter -U -t "$pid" sh -c 'echo $(id -u) "$(tail -1 /proc/self/uid_map)"')"
as_user kill -TERM "$pid" || fail "user cannot kill the holder"
gone() { [ ! -d "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; }
retry 100 gone || fail "holder still alive after SIGTERM"
pass
