#!/bin/sh
# mkrootfs.sh DIR - make a minimal root filesystem from Debian's busybox-static:
# /bin/busybox with its applets linked, /etc/passwd, /etc/group, mount points.
# Idempotent: an existing complete DIR is left alone.
set -eu
dir=${1:?usage: mkrootfs.sh DIR}
bb=/bin/busybox
[ -x "$bb" ] || { echo "mkrootfs: $bb missing (apt-get install busybox-static)" >&2; exit 1; }
file -L "$bb" 2>/dev/null | grep -q 'dynamically linked' &&
	{ echo "mkrootfs: $bb is not static (install busybox-static)" >&2; exit 1; }
[ -x "$dir/bin/busybox" ] && [ -f "$dir/.burrow-rootfs" ] && exit 0
mkdir -p "$dir"
cd "$dir"
mkdir -p bin sbin usr/bin usr/sbin etc dev proc sys tmp root var/www run home
chmod 1777 tmp
cp "$bb" bin/busybox
for app in $(bin/busybox --list-full); do
	[ -e "$app" ] || ln -s /bin/busybox "$app"
done
cat > etc/passwd <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > etc/group <<'G'
root:x:0:
nogroup:x:65534:
G
echo "hello from a burrow container" > var/www/index.html
: > etc/resolv.conf
: > etc/hosts
echo burrow > etc/hostname
touch .burrow-rootfs
