#!/bin/sh
# consumers.sh - build the current engines burrow is tested under, from their Go
# modules at pinned versions, into a cache outside the repository.
#
#   scripts/consumers.sh            build what is missing, print every version
#   scripts/consumers.sh --check    build nothing; exit 0 when all are built
#   scripts/consumers.sh --path     print the folder holding the binaries
#
# Cache: $BURROW_CONSUMERS (default /var/cache/burrow/consumers), holding bin/,
# its own GOPATH and GOCACHE.  Each tool is built once per machine; a version
# change below rebuilds it (the binary's name carries the version).
# Where the Go module proxy cannot be reached, one line says so and the script
# exits 77: tests that need a consumer then skip, never pass.
set -u

CACHE=${BURROW_CONSUMERS:-/var/cache/burrow/consumers}
BIN="$CACHE/bin"
GO=${GO:-/usr/local/go/bin/go}

# name  module@version  package inside the module  build tags
# Podman: no btrfs/devicemapper graph drivers and no gpgme (Debian's -dev
# packages are enough: libseccomp-dev); "seccomp" for its seccomp support.
# rootlessport: Podman's port forwarder into a rootless network namespace
# (published ports of rootless custom networks), from the same module.
# nerdctl 2 cannot be built from the module proxy: its non-test package
# cmd/nerdctl/helpers imports the nested module mod/tigron, which module zips
# leave out and the proxy does not serve; nerdctl 1.7 (same CLI for run -p,
# network create, compose) is the newest that builds here.
CONSUMERS='
podman       github.com/containers/podman/v5@v5.7.1              cmd/podman         seccomp,exclude_graphdriver_btrfs,exclude_graphdriver_devicemapper,containers_image_openpgp
rootlessport github.com/containers/podman/v5@v5.7.1              cmd/rootlessport   -
rootlesskit  github.com/rootless-containers/rootlesskit/v2@v2.3.6 cmd/rootlesskit   -
rootlessctl  github.com/rootless-containers/rootlesskit/v2@v2.3.6 cmd/rootlessctl   -
nerdctl      github.com/containerd/nerdctl@v1.7.7                cmd/nerdctl        no_ipfs
containerd   github.com/containerd/containerd/v2@v2.2.1          cmd/containerd     no_btrfs,no_devmapper,no_zfs
containerd-shim-runc-v2 github.com/containerd/containerd/v2@v2.2.1 cmd/containerd-shim-runc-v2 -
ctr          github.com/containerd/containerd/v2@v2.2.1          cmd/ctr            -
cnitool      github.com/containernetworking/cni@v1.3.0           cnitool            -
crictl       sigs.k8s.io/cri-tools@v1.34.0                       cmd/crictl         -
bypass4netns github.com/rootless-containers/bypass4netns@v0.4.2  cmd/bypass4netns   -
'

mode=${1:-build}
case $mode in
--path) echo "$BIN"; exit 0 ;;
--check|build) ;;
-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "consumers.sh: unknown argument '$mode' (try --help)" >&2; exit 2 ;;
esac

[ -x "$GO" ] || { echo "consumers: no Go toolchain at $GO: consumers not built"; exit 77; }
mkdir -p "$BIN" "$CACHE/gopath" "$CACHE/gocache" || exit 1
export GOPATH="$CACHE/gopath" GOCACHE="$CACHE/gocache" GOFLAGS=-buildvcs=false CGO_ENABLED=1

# versioned NAME VERSION: the cached binary for that version
versioned() { echo "$BIN/.$1-$2"; }

build_one() { # NAME MODULE@VERSION PACKAGE TAGS
	name=$1 modver=$2 pkg=$3 tags=$4
	mod=${modver%@*} ver=${modver#*@}
	out=$(versioned "$name" "$ver")
	if [ -x "$out" ]; then ln -sf "$out" "$BIN/$name"; return 0; fi
	[ "$mode" = --check ] && return 1
	echo "consumers: building $name $ver ($mod/$pkg)"
	if ! "$GO" mod download "$modver" >"$CACHE/$name.log" 2>&1; then
		if grep -qiE 'dial tcp|no such host|connection refused|i/o timeout|TLS handshake' "$CACHE/$name.log"; then
			echo "consumers: the Go module proxy cannot be reached: $name not built"
			return 77
		fi
		echo "consumers: go mod download $modver failed:"; tail -5 "$CACHE/$name.log"
		return 1
	fi
	dir=$("$GO" env GOMODCACHE)/$mod@$ver
	[ "$tags" = - ] && tags=""
	# built inside the module's own folder with its go.mod and go.sum (module
	# zips hold no vendor/ folder, so -mod=mod; replace directives honoured)
	if ! (cd "$dir" && nice -n 10 "$GO" build -mod=mod -trimpath ${tags:+-tags "$tags"} \
			-o "$out.tmp" "./$pkg") >>"$CACHE/$name.log" 2>&1; then
		echo "consumers: building $name $ver failed (log: $CACHE/$name.log):"
		tail -8 "$CACHE/$name.log"
		rm -f "$out.tmp"
		return 1
	fi
	mv "$out.tmp" "$out" && ln -sf "$out" "$BIN/$name"
}

rc=0
echo "$CONSUMERS" | while read -r name modver pkg tags; do
	[ -n "$name" ] || continue
	build_one "$name" "$modver" "$pkg" "$tags"
	r=$?
	[ $r -eq 0 ] && printf 'consumers: %-24s %s\n' "$name" "${modver#*@}"
	[ $r -ne 0 ] && echo "$name $r" >>"$CACHE/.failed.$$"
done
if [ -f "$CACHE/.failed.$$" ]; then
	grep -q ' 77$' "$CACHE/.failed.$$" && rc=77 || rc=1
	grep -q ' 1$' "$CACHE/.failed.$$" && rc=1
	echo "consumers: not built: $(cut -d' ' -f1 "$CACHE/.failed.$$" | tr '\n' ' ')"
	rm -f "$CACHE/.failed.$$"
fi
exit $rc
