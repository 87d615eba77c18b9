#!/bin/sh
# deps.sh - install the Debian packages burrow builds and tests with, when missing.
# Root only; as another user it lists what is missing and how to install it.
set -eu
PKGS="build-essential pkg-config libmnl-dev libnftnl-dev libjansson-dev libnl-3-dev
libnl-route-3-dev libseccomp-dev libcmocka-dev clang libclang-rt-14-dev uidmap iproute2 nftables iperf3
busybox-static crun runc conmon passt slirp4netns podman netavark aardvark-dns catatonit
containernetworking-plugins util-linux procps psmisc iputils-ping socat jq rootlesskit wrk
dbus-daemon python3-dbus python3-gi gir1.2-glib-2.0 libnftables1 strace iptables
skopeo docker-registry libarchive-dev libzstd-dev liblz4-dev libacl1-dev libssl-dev zstd
fuse-overlayfs zsh fish"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# firewalld for tests/integration/bridge_firewall_firewalld.sh: unpacked into
# FIREWALLD_ROOT, never installed (installing would start it in the machine's
# own network namespace); the test runs it in its sandbox on a private D-Bus
FIREWALLD_ROOT=/var/cache/burrow-test/firewalld
firewalld_unpack() {
	[ -x "$FIREWALLD_ROOT/usr/sbin/firewalld" ] && return 0
	[ "$(id -u)" = 0 ] || { echo "deps: run as root to unpack firewalld for the tests" >&2; return 1; }
	d=$(mktemp -d)
	(cd "$d" && apt-get download -q firewalld python3-firewall python3-nftables >/dev/null 2>&1) ||
		{ apt-get update -q >/dev/null; (cd "$d" && apt-get download -q firewalld python3-firewall python3-nftables >/dev/null); }
	mkdir -p "$FIREWALLD_ROOT"
	for f in "$d"/*.deb; do dpkg-deb -x "$f" "$FIREWALLD_ROOT"; done
	rm -rf "$d"
}
if [ -z "$missing" ]; then
	firewalld_unpack
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root: apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
# docker-registry's package enables a registry on :5000 of the machine's own
# network: the image tests start their own on the sandbox's loopback instead
if command -v systemctl >/dev/null && systemctl is-enabled docker-registry >/dev/null 2>&1; then
	systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
firewalld_unpack
