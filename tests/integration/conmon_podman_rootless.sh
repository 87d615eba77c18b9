#!/bin/bash
# Podman rootless (the unprivileged test user, newuidmap, vfs storage in the
# test's directory) with conmon_path = burrow-mon: run -d, logs, exec,
# stop, rm, and an attached run returning the container's exit code.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
need_cmd podman podman
need_cmd crun crun
need_cmd newuidmap uidmap
mon_init

# Podman refuses a runroot longer than 50 characters: a short directory
PM=$(mktemp -d /tmp/bwpm.XXXXXX)
on_exit "rm -rf $PM"
mkdir -p "$PM/tmp" "$PM/home"
cp -a "$T_TMP/rootfs" "$PM/rootfs"
cat > "$PM/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
conmon_path = ["$BIN/burrow-mon"]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "crun"
EOC
chown -R "$TEST_USER:" "$PM"
chmod 0755 "$PM"
pm() {
	as_user env CONTAINERS_CONF="$PM/containers.conf" HOME="$PM/home" \
		timeout 60 podman --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
		--storage-driver vfs --events-backend file --cgroup-manager cgroupfs "$@"
}
_pm_cleanup() {
	pm rm -af -t 0
	pm unshare rm -rf "$PM/storage" "$PM/run"
	# the rootless pause process holding Podman's user namespace, and
	# late exit commands ("podman container cleanup") that may start a new
	# one: kill the test user's processes with our config until none is left
	local p i found
	for ((i = 0; i < 30; i++)); do
		found=0
		for p in $(pgrep -u "$TEST_USER"); do
			tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null |
				grep -qx "CONTAINERS_CONF=$PM/containers.conf" && { kill -9 "$p"; found=1; }
		done
		[ $found = 0 ] && [ "$i" -ge 2 ] && break
		sleep 0.2
	done
}
on_exit _pm_cleanup

pm run -d --name r1 --network none --rootfs "$PM/rootfs" \
	sh -c 'echo hello rootless; echo uid=$(id -u); sleep 100' > "$T_TMP/cid" 2>&1 ||
	fail "podman run -d: $(cat "$T_TMP/cid")"
cid=$(tail -1 "$T_TMP/cid")
# shellcheck disable=SC2009
mon=$(ps -eo pid,user:32,args | grep "[b]urrow-mon .*-c $cid" | awk '{print $1 " " $2}')
[ -n "$mon" ] || fail "no burrow-mon supervising $cid"
expect_eq "supervisor runs as" "$TEST_USER" "${mon#* }"
logs_have() { pm logs r1 2>&1 | grep -q "$1"; }
retry 100 logs_have 'hello rootless' ||
	fail "podman logs: $(pm logs r1 2>&1)"
out=$(pm exec r1 sh -c 'echo exec ok; exit 2'); rc=$?
expect_eq "exec output" "exec ok" "$out"
expect_eq "exec exit code" 2 "$rc"
pm stop -t 1 r1 >/dev/null 2>&1 || fail "podman stop"
expect_eq "state after stop" exited "$(pm inspect -f '{{.State.Status}}' r1)"
pm rm r1 >/dev/null || fail "podman rm"
retry 100 mon_gone "${mon% *}" || fail "burrow-mon still running after rm"

out=$(pm run --name r2 --network none --rootfs "$PM/rootfs" sh -c 'echo attached rootless; exit 9' 2>&1); rc=$?
expect_eq "attached run exit code" 9 "$rc"
[[ "$out" == *"attached rootless"* ]] || fail "attached output: $out"
pm rm r2 >/dev/null || fail "podman rm r2"
pass
