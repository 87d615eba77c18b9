#!/bin/bash
# setup.sh - prepare this machine for burrow's tests (idempotent, root only):
# the unprivileged test users with subordinate ranges, and the machine quirks
# DESIGN.md lists (tun and fuse device modes, hugetlb v1 hierarchy for crun).
set -eu
[ "$(id -u)" = 0 ] || { echo "tests/setup.sh: must run as root" >&2; exit 1; }

exec 9>/run/burrow-test-setup.lock
flock 9

# test users: burrowtest (main), burrowtest2 (a second user on the same host)
add_user() { # name subuid-start
	local u=$1 start=$2
	if ! getent passwd "$u" >/dev/null; then
		useradd -m -s /bin/sh "$u"
	fi
	# exactly one range per test user, ours
	for f in /etc/subuid /etc/subgid; do
		touch "$f"
		if ! grep -q "^$u:$start:65536\$" "$f"; then
			sed -i "/^$u:/d" "$f"
			echo "$u:$start:65536" >> "$f"
		fi
	done
}
add_user burrowtest 400000
add_user burrowtest2 500000

# quirk: /dev/net/tun is 0600 on our CI machines; distributions ship 0666
[ -c /dev/net/tun ] && chmod 0666 /dev/net/tun
# quirk: /dev/fuse is 0600 too; distributions ship 0666 (fuse-overlayfs rootless)
[ -c /dev/fuse ] && chmod 0666 /dev/fuse

# quirk: hybrid cgroups with hugetlb on v2 make crun 1.8 refuse every container
if [ -d /sys/fs/cgroup/unified ] && ! mountpoint -q /sys/fs/cgroup/hugetlb 2>/dev/null; then
	if grep -qw hugetlb /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null ||
	   ! grep -qw hugetlb /proc/self/cgroup; then
		mkdir -p /sys/fs/cgroup/hugetlb 2>/dev/null || true
		mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb 2>/dev/null || true
	fi
fi
exit 0
