#!/bin/bash
# An image container's root through fuse-overlayfs (BURROW_OVERLAY=fuse), as
# root and as the test user: whiteouts, opaque folders and hard links of the
# layers hold; what the container writes lands in its upper folder, the
# store's layers are unchanged; two containers share the layers, each with its
# own upper folder and fuse-overlayfs; rm leaves no mount and no
# fuse-overlayfs.  kill -9 of the CLI while fuse-overlayfs starts: it exits by
# itself (nothing holds the mount), and prune removes the record; kill -9 of
# the CLI of a running container: rm -f leaves nothing.  An image of 71
# layers (more than one kernel mount's options hold): auto falls back to
# fuse-overlayfs, kernel is refused with the reason, and with no
# fuse-overlayfs the error names both; BURROW_OVERLAY=bogus is refused.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
sandbox_net
launcher_rootfs
images_stores
need_bin burrow-mon
need_cmd skopeo skopeo
need_cmd fuse-overlayfs fuse-overlayfs
[ -c /dev/fuse ] || fail "no /dev/fuse"

python3 "$TOP/tests/lib/mklayer.py" "$T_TMP/overlay.tar" overlay || fail "mklayer overlay"
images_layout "$T_TMP/oci" "$ROOTFS" "$T_TMP/overlay.tar"
ref="oci:$T_TMP/oci:latest"
many=()
for ((i = 1; i <= 70; i++)); do
	mkdir -p "$T_TMP/many/l$i/layers" && echo "$i" > "$T_TMP/many/l$i/layers/f$i"
	many+=("$T_TMP/many/l$i")
done
images_layout "$T_TMP/manyoci" "$ROOTFS" "${many[@]}"
manyref="oci:$T_TMP/manyoci:latest"
# fuse-overlayfs, slowed down: the CLI can be killed while the holder waits
# for its first answer
printf '#!/bin/sh\nsleep 2\nexec fuse-overlayfs "$@"\n' > "$T_TMP/slowfuse"
chmod 0755 "$T_TMP/slowfuse"

# ov WHO "VAR=VALUE..." ARGS...: burrow as WHO with that environment and WHO's store
ov() {
	local who=$1 envs=$2; shift 2
	# shellcheck disable=SC2086
	if [ "$who" = root ]; then
		in_host env $envs BURROW_STORAGE_DIR="$STORE_R" "$BIN/burrow" "$@"
	else
		as_user env $envs BURROW_STORAGE_DIR="$STORE_U" "$BIN/burrow" "$@"
	fi
}
ctrdir() { if [ "$1" = root ]; then echo "${BURROW_STATE_DIR:-/run/burrow}/containers/$2"; else echo "$T_TMP/xdg-$TEST_USER/burrow/containers/$2"; fi; }
# what runs or stays mounted for container ID: its fuse-overlayfs (or the
# slow wrapper), a mount on its merged folder in any mount namespace
fuse_of() { pgrep -f "upperdir=[^,]*/$1/upper"; }
mount_of() { grep -l "/$1/merged" /proc/[0-9]*/mountinfo 2>/dev/null | head -1; }
gone() { [ -z "$(fuse_of "$1")" ] && [ -z "$(mount_of "$1")" ]; }
# the store's layers: names, types, sizes, modes, owners, times
snap() { (cd "$1/layers" && find . -printf '%p %y %s %m %U:%G %T@\n' | sort | sha256sum); }
id_of() { ov "$1" "" ps -a --format json | jq -r ".[] | select(.Names[0] == \"$2\") | .Id"; }
# the file system type of / (the field after the "-" of its mountinfo line)
rootfs_type='awk '"'"'$5 == "/" { for (i = 7; i < NF; i++) if ($i == "-") { print $(i + 1); exit } }'"'"' /proc/self/mountinfo'

probe='test -e /etc/hostname && echo hostname-visible; ls /var/www; cat /srv/b;
 [ "$(stat -c %i /srv/a)" = "$(stat -c %i /srv/b)" ] && echo one-inode; test -x /bin/busybox && echo busybox'
want="new.html
linked
one-inode
busybox"
for who in root user; do
	store=$STORE_R; [ $who = user ] && store=$STORE_U
	ov $who "" pull -q "$ref" >/dev/null 2>"$T_TMP/err" || fail "$who: pull: $(cat "$T_TMP/err")"
	before=$(snap "$store")
	nlayers=$(ls "$store/layers" | wc -l)

	# the layers seen through fuse-overlayfs; auto and kernel take the kernel's here
	out=$(ov $who BURROW_OVERLAY=fuse run --rm --network none "$ref" sh -c "$probe; $rootfs_type" 2>&1) ||
		fail "$who: run with fuse: $out"
	expect_eq "$who: layers through fuse-overlayfs" "$want
fuse.fuse-overlayfs" "$out"
	for m in auto kernel; do
		out=$(ov $who BURROW_OVERLAY=$m run --rm --network none "$ref" sh -c "$rootfs_type" 2>&1)
		expect_eq "$who: BURROW_OVERLAY=$m" overlay "$out"
	done

	# writes go to the container's upper folder, never to the layers
	id=$(ov $who BURROW_OVERLAY=fuse run -d --network none "$ref" sh -c \
		'echo mine > /written; echo changed > /var/www/new.html; rm /srv/a; exec sleep 60') ||
		fail "$who: run -d with fuse"
	check "$who: the write is seen" retry 50 ov $who "" exec "$id" test -e /written
	expect_eq "$who: changed in the container" changed "$(ov $who "" exec "$id" cat /var/www/new.html)"
	expect_eq "$who: removed in the container" no "$(ov $who "" exec "$id" sh -c 'test -e /srv/a && echo yes || echo no')"
	expect_eq "$who: the upper folder has it" mine "$(cat "$(ctrdir $who "$id")/upper/written")"
	expect_eq "$who: layers unchanged by the writes" "$before" "$(snap "$store")"

	# a second container shares the layers, with its own upper and fuse-overlayfs
	id2=$(ov $who BURROW_OVERLAY=fuse run -d --network none "$ref" sh -c 'echo two > /written; exec sleep 60') ||
		fail "$who: second run -d with fuse"
	check "$who: the second write is seen" retry 50 ov $who "" exec "$id2" test -e /written
	expect_eq "$who: first keeps its file" mine "$(ov $who "" exec "$id" cat /written)"
	expect_eq "$who: second has its own" two "$(ov $who "" exec "$id2" cat /written)"
	expect_eq "$who: second sees the layer's file" new.html "$(ov $who "" exec "$id2" ls /var/www)"
	[ -n "$(fuse_of "$id")" ] && [ -n "$(fuse_of "$id2")" ] ||
		fail "$who: one fuse-overlayfs per container expected: '$(fuse_of "$id")' '$(fuse_of "$id2")'"
	grep -q "/$id/merged" /proc/self/mountinfo && fail "$who: the root is mounted in our mount namespace"
	expect_eq "$who: layers unpacked once" "$nlayers" "$(ls "$store/layers" | wc -l)"
	expect_eq "$who: layers unchanged by two containers" "$before" "$(snap "$store")"
	check "$who: rm -f" ov $who "" rm -f "$id" "$id2" >/dev/null
	gone "$id" || fail "$who: after rm: fuse-overlayfs '$(fuse_of "$id")', mount '$(mount_of "$id")'"
	gone "$id2" || fail "$who: after rm: fuse-overlayfs '$(fuse_of "$id2")', mount '$(mount_of "$id2")'"
	[ -e "$(ctrdir $who "$id")" ] && fail "$who: the container's folder stays after rm"

	# kill -9 of the CLI while the holder waits for fuse-overlayfs's first
	# answer: the holder dies with it, the mount namespace goes, and so does
	# fuse-overlayfs, with no command; prune removes the record
	name=fk1_$who
	ov $who "BURROW_OVERLAY=fuse BURROW_FUSE_OVERLAYFS=$T_TMP/slowfuse" \
		run --name $name --network none "$ref" true >/dev/null 2>&1 &
	id=""
	for ((i = 0; i < 100; i++)); do
		[ -n "$id" ] || id=$(id_of $who $name)
		[ -n "$id" ] && [ -n "$(fuse_of "$id")" ] && break
		sleep 0.05
	done
	[ -n "$id" ] && [ -n "$(fuse_of "$id")" ] || fail "$who: the slow fuse-overlayfs did not start"
	cli=$(pgrep -o -f "burrow run --name $name ")
	[ -n "$cli" ] || fail "$who: no CLI to kill"
	kill -9 $cli
	wait
	check "$who: fuse-overlayfs ends with its CLI" retry 50 gone "$id"
	ov $who "" system prune >/dev/null 2>&1
	expect_eq "$who: pruned" "" "$(id_of $who $name)"

	# kill -9 of the CLI of a running container: rm -f ends it and its
	# fuse-overlayfs
	name=fk2_$who
	ov $who BURROW_OVERLAY=fuse run --name $name --network none "$ref" sleep 60 >/dev/null 2>&1 &
	id=""
	for ((i = 0; i < 100; i++)); do
		[ -n "$id" ] || id=$(id_of $who $name)
		[ -n "$id" ] && [ -n "$(fuse_of "$id")" ] && ov $who "" exec "$id" true 2>/dev/null && break
		sleep 0.1
	done
	[ -n "$id" ] && [ -n "$(fuse_of "$id")" ] || fail "$who: the container did not start"
	kill -9 "$(pgrep -o -f "burrow run --name $name ")"
	wait
	ov $who "" ps -a >/dev/null || fail "$who: ps after the kill"
	check "$who: rm -f after the kill" ov $who "" rm -f $name >/dev/null
	gone "$id" || fail "$who: after kill -9 and rm: fuse-overlayfs '$(fuse_of "$id")', mount '$(mount_of "$id")'"
	expect_eq "$who: layers unchanged at the end" "$before" "$(snap "$store")"

	# 71 layers: more than one kernel mount's options hold
	ov $who "" pull -q "$manyref" >/dev/null 2>"$T_TMP/err" || fail "$who: pull many: $(cat "$T_TMP/err")"
	out=$(ov $who "" run --rm --network none "$manyref" sh -c "ls /layers | wc -l; $rootfs_type" 2>&1)
	expect_eq "$who: 71 layers, auto" "70
fuse.fuse-overlayfs" "$out"
	out=$(ov $who BURROW_OVERLAY=kernel run --rm --network none "$manyref" true 2>&1) &&
		fail "$who: 71 layers with the kernel's overlayfs ran"
	expect_eq "$who: kernel refused" "burrow: overlay root: the kernel's overlayfs: 71 layers do not fit in one mount's options (one page) (BURROW_OVERLAY=kernel: fuse-overlayfs not tried)" "$out"
	out=$(ov $who BURROW_FUSE_OVERLAYFS=/nonexistent run --rm --network none "$manyref" true 2>&1) &&
		fail "$who: ran with no fuse-overlayfs"
	expect_eq "$who: neither" "burrow: overlay root: neither the kernel's overlayfs nor fuse-overlayfs works here: the kernel's overlayfs: 71 layers do not fit in one mount's options (one page); fuse-overlayfs: BURROW_FUSE_OVERLAYFS=/nonexistent: No such file or directory" "$out"
	out=$(ov $who BURROW_OVERLAY=bogus run --rm --network none "$ref" true 2>&1) &&
		fail "$who: BURROW_OVERLAY=bogus ran"
	expect_eq "$who: bogus" "burrow: BURROW_OVERLAY=bogus: not one of kernel, fuse, auto" "$out"
	expect_eq "$who: no container left" "" "$(ov $who "" ps -a --format json | jq -r '.[].Id')"
done
pass
