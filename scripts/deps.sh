#!/bin/sh
# deps.sh - install the Debian packages burrow builds and tests with, when missing.
# Root only; as another user it lists what is missing and how to install it.
set -eu
PKGS="build-essential pkg-config libmnl-dev libnftnl-dev libjansson-dev libnl-3-dev
libnl-route-3-dev libseccomp-dev libcmocka-dev clang uidmap iproute2 nftables iperf3
busybox-static crun runc conmon passt slirp4netns podman netavark aardvark-dns
containernetworking-plugins util-linux procps psmisc iputils-ping socat jq rootlesskit wrk strace"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
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
