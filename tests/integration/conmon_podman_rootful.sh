#!/bin/bash
# Podman (rootful) with conmon_path = burrow-mon: run -d, logs, exec, stop,
# rm, an attached run that returns the container's exit code, podman attach
# and leaving, run -t.
# Isolated storage (--root/--runroot/--tmpdir in the test's directory), the
# busybox rootfs through --rootfs, no network.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
need_cmd podman podman
need_cmd crun crun
mon_init

cat > "$T_TMP/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"
netns = "none"
[engine]
conmon_path = ["$BIN/burrow-mon"]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
EOC
export CONTAINERS_CONF="$T_TMP/containers.conf"
# Podman refuses a runroot longer than 50 characters: a short directory
PM=$(mktemp -d /tmp/bwpm.XXXXXX)
on_exit "rm -rf $PM"
mkdir -p "$PM/tmp"
pm() {
	timeout 60 podman --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
		--storage-driver vfs --events-backend file "$@"
}
_unmount_all() {
	local m
	for m in $(awk -v p="$PM" -v q="$T_TMP" 'index($2, p) == 1 || index($2, q) == 1 {print $2}' /proc/mounts | sort -r); do
		umount -l "$m"
	done
}
on_exit _unmount_all
on_exit "pm rm -af -t 0"

pm run -d --name w1 --network none --rootfs "$T_TMP/rootfs" \
	sh -c 'echo hello from w1; echo to stderr >&2; sleep 100' > "$T_TMP/cid" ||
	fail "podman run -d: $(cat "$T_TMP/cid")"
cid=$(tail -1 "$T_TMP/cid")
retry 100 pm logs w1 2>&1 | grep -q 'hello from w1' 
# shellcheck disable=SC2009
mon=$(ps -eo pid,args | grep "[b]urrow-mon .*-c $cid" | awk '{print $1}')
[ -n "$mon" ] || fail "no burrow-mon supervising $cid"
out=$(pm logs w1 2>&1)
[[ "$out" == *"hello from w1"* ]] || fail "podman logs: $out"
[[ "$out" == *"to stderr"* ]] || fail "podman logs misses stderr: $out"
out=$(pm exec w1 sh -c 'echo exec says hi; exit 4'); rc=$?
expect_eq "exec output" "exec says hi" "$out"
expect_eq "exec exit code" 4 "$rc"
expect_eq "state" running "$(pm inspect -f '{{.State.Status}}' w1)"
pm stop -t 1 w1 >/dev/null || fail "podman stop"
expect_eq "state after stop" exited "$(pm inspect -f '{{.State.Status}}' w1)"
code=$(pm inspect -f '{{.State.ExitCode}}' w1)
[ "$code" = 137 ] || [ "$code" = 143 ] || fail "exit code after stop: $code"
pm rm w1 >/dev/null || fail "podman rm"
retry 100 mon_gone "$mon" || fail "burrow-mon $mon still running after rm"

# attached run: output through the attach socket, exit code through the exit
# file.  (Not --rm: Podman 4.3 then waits 20 s for its own clean-up here, with
# Debian's conmon as well.)
out=$(pm run --name a1 --network none --rootfs "$T_TMP/rootfs" sh -c 'echo attached out; echo attached err >&2; exit 3' 2>&1); rc=$?
expect_eq "attached run exit code" 3 "$rc"
[[ "$out" == *"attached out"* ]] || fail "attached output: $out"
[[ "$out" == *"attached err"* ]] || fail "attached stderr: $out"
out=$(pm start -a a1 2>&1); rc=$?
expect_eq "start -a exit code" 3 "$rc"
[[ "$out" == *"attached out"* ]] || fail "start -a output: $out"
pm rm a1 >/dev/null || fail "podman rm a1"

# podman attach to a running container, then leave: it keeps running
pm run -d --name at --network none --rootfs "$T_TMP/rootfs" \
	sh -c 'i=0; while [ $i -lt 600 ]; do echo tick $i; sleep 0.1; i=$((i+1)); done' >/dev/null ||
	fail "podman run -d at"
out=$(timeout -s INT 5 podman --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
	--storage-driver vfs --events-backend file attach --no-stdin --sig-proxy=false at 2>&1)
[[ "$out" == *"tick "* ]] || fail "podman attach output: $out"
expect_eq "state after the attach ended" running "$(pm inspect -f '{{.State.Status}}' at)"
pm rm -f -t 0 at >/dev/null || fail "podman rm -f at"

# terminal: the pty comes through burrow-mon's console socket
out=$(pm run -t --name t1 --network none --rootfs "$T_TMP/rootfs" sh -c 'tty; exit 5' </dev/null 2>&1); rc=$?
expect_eq "run -t exit code" 5 "$rc"
[[ "$out" == *"/dev/pts/"* ]] || fail "run -t output: $out"
[[ "$(pm logs t1 2>&1)" == *"/dev/pts/"* ]] || fail "run -t not logged"
pm rm t1 >/dev/null || fail "podman rm t1"
pass
