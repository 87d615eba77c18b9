#!/bin/bash
# burrow pull from an OCI layout folder, an oci-archive and a docker-archive
# tarball, with gzip and zstd layers; an upper layer's whiteout hides a file,
# its opaque folder hides the lower folder's content, and its hard link is one
# inode -- as root and as the test user (userxattr overlay in the user namespace).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
sandbox_net
launcher_rootfs
images_stores
need_cmd skopeo skopeo
need_cmd zstd zstd

python3 "$TOP/tests/lib/mklayer.py" "$T_TMP/overlay.tar" overlay || fail "mklayer overlay"
images_layout "$T_TMP/oci" "$ROOTFS" "$T_TMP/overlay.tar"
images_layout "$T_TMP/ocizst" "$ROOTFS" "$T_TMP/overlay.tar" --zstd
skopeo copy -q "oci:$T_TMP/oci:latest" "oci-archive:$T_TMP/img.oci.tar" || fail "make oci-archive"
skopeo copy -q "oci:$T_TMP/oci:latest" "docker-archive:$T_TMP/img.docker.tar:arch/busybox:1" ||
	fail "make docker-archive"
chmod a+r "$T_TMP"/*.tar

probe='test -e /etc/hostname && echo hostname-visible; ls /var/www; cat /srv/b;
 [ "$(stat -c %i /srv/a)" = "$(stat -c %i /srv/b)" ] && echo one-inode; test -x /bin/busybox && echo busybox'
want="new.html
linked
one-inode
busybox"
for who in root user; do
	b=b_$who
	for ref in "oci:$T_TMP/oci:latest" "oci:$T_TMP/ocizst:latest" "oci-archive:$T_TMP/img.oci.tar" \
		   "docker-archive:$T_TMP/img.docker.tar"; do
		$b pull -q "$ref" >/dev/null 2>"$T_TMP/err" || fail "$who: pull $ref: $(cat "$T_TMP/err")"
		out=$($b run --rm --network none "$ref" sh -c "$probe" 2>&1) || fail "$who: run $ref: $out"
		expect_eq "$who: $ref" "$want" "$out"
	done
	expect_eq "$who: images" 4 "$($b images -q | wc -l)"
	# the oci folder and the oci-archive have the same two gzip blobs: one
	# copy each; the zstd image and the docker-archive (uncompressed layers)
	# have blobs of their own
	store=$STORE_R; [ $who = user ] && store=$STORE_U
	expect_eq "$who: layers unpacked" 6 "$(ls "$store/layers" | wc -l)"
done
pass
