#!/bin/bash
# hostile images: a layer whose content does not match its digest, entries
# with ../ or an absolute path, a symlink written through and a hard link that
# leave the layer, a device node, a truncated archive.  Each pull fails with a
# message naming the problem; nothing is written outside the store; the store
# stays consistent (no partial layer, the index unchanged, the good image still
# runs) -- as root and as the test user.  Bounded: 7 kinds x 2 users.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
sandbox_net
launcher_rootfs
images_stores
need_cmd skopeo skopeo

canary="$T_TMP/canary"
mkdir -p "$canary" && chmod 0777 "$canary"
images_layout "$T_TMP/good" "$ROOTFS"
for k in dotdot abs symlink hardlink device truncated; do
	TARGET_DIR=$canary python3 "$TOP/tests/lib/mklayer.py" "$T_TMP/$k.tar" $k || fail "mklayer $k"
	images_layout "$T_TMP/$k" "$T_TMP/$k.tar"
done
mkdir -p "$T_TMP/unique/srv" && echo "only here" > "$T_TMP/unique/srv/u"
python3 "$TOP/tests/lib/mklayer.py" "$T_TMP/highuid.tar" highuid || fail "mklayer highuid"
images_layout "$T_TMP/highuid" "$T_TMP/highuid.tar"
images_layout "$T_TMP/digest" "$T_TMP/unique" --lie-digest
images_layout "$T_TMP/uniq" "$T_TMP/unique"
ulayer=$(jq -r '.layers[0].digest' "$T_TMP/uniq/blobs/sha256/$(jq -r '.manifests[0].digest' "$T_TMP/uniq/index.json" | cut -d: -f2)")

declare -A want=(
	[dotdot]="entry '../escaped': path with '..'"
	[abs]="entry '/abs-escaped': absolute path"
	[symlink]="entry 'out/escaped': .*symlink"
	[hardlink]="entry 'pw': hard link to a path outside the layer"
	[device]="entry 'dev/evil': device node"
	[truncated]="runcated"
	[digest]="[Dd]igest"
)
for who in root user; do
	b=b_$who
	store=$STORE_R; [ $who = user ] && store=$STORE_U
	$b pull -q "oci:$T_TMP/good:latest" >/dev/null || fail "$who: pull of the good image"
	layers=$(ls "$store/layers")
	for k in dotdot abs symlink hardlink device truncated digest; do
		out=$($b pull -q "oci:$T_TMP/$k:latest" 2>&1)
		rc=$?
		expect_eq "$who: $k: exit status" 125 "$rc"
		echo "$out" | grep -q "${want[$k]}" || fail "$who: $k: the message was: $out"
		[ -z "$(ls -A "$canary")" ] || fail "$who: $k: wrote outside the store: $(ls -A "$canary")"
		esc=$(find "$T_TMP" -path "$T_TMP/$k.tar" -prune -o \( -name escaped -o -name abs-escaped -o -name evil \) -print)
		[ -z "$esc" ] || fail "$who: $k: $esc"
		ls "$store/layers" | grep -q partial && fail "$who: $k: a partial layer is left"
		expect_eq "$who: $k: layers" "$layers" "$(ls "$store/layers")"
		expect_eq "$who: $k: images" 1 "$($b images -q | wc -l)"
		echo "$who: $k: $(echo "$out" | tail -n 1)"
	done
	# a blob already in the store whose content does not match its name (a
	# damaged disk, a hand edit): skopeo trusts the shared folder and skips
	# it, our own check refuses it; image prune removes it, then the pull works
	blob="$store/blobs/sha256/${ulayer#sha256:}"
	echo "not the layer" > "$blob"
	[ $who = user ] && chown "$TEST_USER:" "$blob"
	out=$($b pull -q "oci:$T_TMP/uniq:latest" 2>&1) && fail "$who: a damaged blob in the store was used"
	echo "$out" | grep -q "blob $ulayer: its content has digest sha256:.*corrupt" ||
		fail "$who: damaged blob: $out"
	expect_eq "$who: damaged blob: images" 1 "$($b images -q | wc -l)"
	check "$who: image prune" $b image prune >/dev/null
	[ -e "$blob" ] && fail "$who: image prune left the damaged blob"
	check "$who: pull after prune" $b pull -q "oci:$T_TMP/uniq:latest" >/dev/null
	check "$who: rmi" $b rmi "oci:$T_TMP/uniq:latest" >/dev/null

	# an owner the test user's 65536 subordinate IDs cannot hold: refused
	# rootless (as podman), kept as root
	out=$($b pull -q "oci:$T_TMP/highuid:latest" 2>&1)
	if [ $who = user ]; then
		echo "$out" | grep -q "entry 'high' belongs to 70000:70000, outside the IDs" ||
			fail "user: high UID: $out"
		expect_eq "user: high UID: images" 1 "$($b images -q | wc -l)"
	else
		[ ${#out} = 64 ] || fail "root: high UID: $out"
		expect_eq "root: high UID kept" 70000 "$(stat -c %u "$store/layers/"*/high)"
		check "root: rmi high UID" $b rmi "oci:$T_TMP/highuid:latest" >/dev/null
	fi

	out=$($b run --rm --network none "oci:$T_TMP/good:latest" echo still-fine 2>&1)
	expect_eq "$who: the good image after all that" still-fine "$out"
done
pass
