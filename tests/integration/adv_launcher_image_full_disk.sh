#!/bin/bash
# a full disk while a layer is unpacked: the store is a 1.1 MB tmpfs (in a
# mount namespace of the test's own), the busybox layer's 1 MB blob fits,
# its 2 MB of files do not.  The pull fails naming the layer, the entry and
# the disk (libarchive alone would leave a hole in the file and go on),
# no partial layer stays, the index holds nothing; with room again the same
# pull works -- as root and as the test user.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
sandbox_net
launcher_rootfs
need_cmd skopeo skopeo
images_layout "$T_TMP/oci" "$ROOTFS"
ref="oci:$T_TMP/oci:latest"
store="$T_TMP/small"
mkdir -p "$store"

# run_small WHO SCRIPT: SCRIPT (sh) with $B on a store that is a 1.5 MB tmpfs
run_small() {
	local who=$1 script=$2 as=()
	[ "$who" = user ] && as=(setpriv --reuid="$TEST_USER" --regid="$TEST_GID" --init-groups
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/nonexistent XDG_RUNTIME_DIR="$T_TMP/xdg-$TEST_USER")
	as_user true	# makes the user's XDG_RUNTIME_DIR
	unshare -m sh -c "mount --make-rprivate / && mount -t tmpfs -o size=1100k,mode=0755 tmpfs '$store' &&
		chown $([ "$who" = user ] && echo "$TEST_USER:" || echo root:) '$store' &&
		${as[*]} env BURROW_STORAGE_DIR='$store' B='$BIN/burrow' sh -c '$script'"
}
for who in root user; do
	out=$(run_small $who '
		$B pull -q '"$ref"' 2>&1; echo "rc=$?"
		ls $BURROW_STORAGE_DIR/layers; echo "images=$($B images -q | wc -l)"')
	echo "$who: $out" | head -3
	echo "$out" | grep -q "^burrow: layer sha256:[0-9a-f]*: entry '[^']*': .*No space left on device" ||
		fail "$who: the message: $out"
	echo "$out" | grep -q "^rc=125$" || fail "$who: exit status: $out"
	echo "$out" | grep -q partial && fail "$who: a partial layer stayed: $out"
	echo "$out" | grep -q "^images=0$" || fail "$who: the index: $out"
done
# with room (the same store folder, not a tmpfs) the same pull works
mkdir -p "$STORE_R"
BURROW_STORAGE_DIR="$STORE_R" "$BIN/burrow" pull -q "$ref" >/dev/null || fail "pull with room"
pass
