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

# name  module@version  package inside the module  build tags  [version
# variable set with -X, for --version]  [prep: a function run in a writable
# copy of the module before the build]
# Podman: no btrfs/devicemapper graph drivers and no gpgme (Debian's -dev
# packages are enough: libseccomp-dev); "seccomp" for its seccomp support.
# rootlessport: Podman's port forwarder into a rootless network namespace
# (published ports of rootless custom networks), from the same module.
# nerdctl 2: the proxy serves the module github.com/containerd/nerdctl/v2 at a
# given version (only its version list is refused), but its go.mod requires
# the nested module mod/tigron through a replace to ./mod/tigron, a folder
# that module zips leave out.  tigron is nerdctl's test framework: outside
# _test.go files only pkg/testutil/... imports it, and outside pkg/testutil
# only cmd/nerdctl/helpers/testing_linux.go imports pkg/testutil; that file and
# testing.go beside it hold helpers of nerdctl's own tests (CreateBuildContext,
# ExtractDockerArchive, ExtractTarFile, NewCosignKeyPair, ComposeUp) that no
# file of the binary calls.  So nerdctl 2 is built from a copy of the module
# without them and without the tigron requirement (prep_nerdctl2 checks that
# claim with grep and stops if a new version breaks it; the build itself then
# proves nothing else used them).  Its version goes in with -ldflags: built
# inside the module's folder, Go records "(devel)" and nerdctl would say
# "<unknown>".
# nerdctl 1.7 (module github.com/containerd/nerdctl) stays as nerdctl1.
CONSUMERS='
podman       github.com/containers/podman/v5@v5.7.1              cmd/podman         seccomp,exclude_graphdriver_btrfs,exclude_graphdriver_devicemapper,containers_image_openpgp
rootlessport github.com/containers/podman/v5@v5.7.1              cmd/rootlessport   -
rootlesskit  github.com/rootless-containers/rootlesskit/v2@v2.3.6 cmd/rootlesskit   -
rootlessctl  github.com/rootless-containers/rootlesskit/v2@v2.3.6 cmd/rootlessctl   -
nerdctl      github.com/containerd/nerdctl/v2@v2.2.0             cmd/nerdctl        no_ipfs github.com/containerd/nerdctl/v2/pkg/version.Version prep_nerdctl2
nerdctl1     github.com/containerd/nerdctl@v1.7.7                cmd/nerdctl        no_ipfs github.com/containerd/nerdctl/pkg/version.Version
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

# prep_nerdctl2: in a copy of nerdctl 2's module, drop its test-only
# helpers and the tigron requirement they pull in (see above); stop if a
# file of the binary (not _test.go, not pkg/testutil, not the two helpers)
# imports tigron or pkg/testutil
prep_nerdctl2() {
	h=cmd/nerdctl/helpers
	users=$(grep -rlE --include='*.go' '"github.com/containerd/nerdctl/(mod/tigron|v2/pkg/testutil)' . |
		grep -v -e '_test\.go$' -e '^\./pkg/testutil/' -e "^\./$h/testing\.go\$" -e "^\./$h/testing_linux\.go\$")
	if [ -n "$users" ]; then
		echo "prep_nerdctl2: files of the binary import tigron or pkg/testutil:" $users
		return 1
	fi
	"$GO" mod edit -droprequire=github.com/containerd/nerdctl/mod/tigron \
		-dropreplace=github.com/containerd/nerdctl/mod/tigron@v0.0.0 &&
		rm "$h/testing.go" "$h/testing_linux.go"
}

build_one() { # NAME MODULE@VERSION PACKAGE TAGS [VERSION-VAR [PREP]]
	name=$1 modver=$2 pkg=$3 tags=$4 verv=${5:-} prep=${6:-}
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
	if [ -n "$prep" ]; then
		# the module cache is read-only: a copy, removed after the build
		src="$CACHE/src/$name-$ver"
		rm -rf "$src" && mkdir -p "$CACHE/src" && cp -r "$dir" "$src" && chmod -R u+w "$src" &&
			(cd "$src" && "$prep") >>"$CACHE/$name.log" 2>&1 || {
			echo "consumers: preparing $name $ver failed (log: $CACHE/$name.log):"
			tail -3 "$CACHE/$name.log"
			rm -rf "$src"
			return 1
		}
		dir=$src
	fi
	[ "$tags" = - ] && tags=""
	# built inside the module's own folder with its go.mod and go.sum (module
	# zips hold no vendor/ folder, so -mod=mod; replace directives honoured)
	if ! (cd "$dir" && nice -n 10 "$GO" build -mod=mod -trimpath ${tags:+-tags "$tags"} \
			${verv:+-ldflags "-X $verv=$ver"} -o "$out.tmp" "./$pkg") >>"$CACHE/$name.log" 2>&1; then
		echo "consumers: building $name $ver failed (log: $CACHE/$name.log):"
		tail -8 "$CACHE/$name.log"
		rm -f "$out.tmp"
		[ -n "$prep" ] && rm -rf "$dir"
		return 1
	fi
	[ -n "$prep" ] && rm -rf "$dir"
	mv "$out.tmp" "$out" && ln -sf "$out" "$BIN/$name"
}

rc=0
echo "$CONSUMERS" | while read -r name modver pkg tags verv prep; do
	[ -n "$name" ] || continue
	build_one "$name" "$modver" "$pkg" "$tags" "$verv" "$prep"
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
