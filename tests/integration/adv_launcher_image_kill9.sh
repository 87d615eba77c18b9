#!/bin/bash
# kill -9 of `burrow pull` while it unpacks a layer of many files: its
# unpacking child dies with it (nothing goes on writing into the store), the
# image is not in the index, the next pull unpacks the layer again and the
# image runs; image prune leaves nothing behind -- as root and as the test
# user.  Bounded: two pulls of a 12000-file layer per user.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
sandbox_net
launcher_rootfs
images_stores
need_cmd skopeo skopeo

MANY=12000 python3 "$TOP/tests/lib/mklayer.py" "$T_TMP/many.tar" many || fail "mklayer many"
images_layout "$T_TMP/many" "$ROOTFS" "$T_TMP/many.tar"
ref="oci:$T_TMP/many:latest"

for who in root user; do
	b=b_$who
	store=$STORE_R; [ $who = user ] && store=$STORE_U
	$b pull -q "$ref" >/dev/null 2>&1 &
	# wait for the unpacking of the big layer to begin, then kill the CLI
	for ((i = 0; i < 300; i++)); do
		ls "$store/layers" 2>/dev/null | grep -q '\.partial$' &&
			[ "$(find "$store/layers" -maxdepth 3 -path '*partial/many/*' | head -1)" ] && break
		sleep 0.05
	done
	pid=$(pgrep -f "burrow pull -q $ref" | head -1)
	[ -n "$pid" ] || fail "$who: no pull to kill (it finished before: make the layer bigger)"
	kill -9 "$pid"
	wait
	# the child unpacking in the user namespace died with it
	for ((i = 0; i < 50; i++)); do
		[ -z "$(pgrep -f "burrow pull -q $ref")" ] && break
		sleep 0.1
	done
	[ -z "$(pgrep -f "burrow pull -q $ref")" ] || fail "$who: the unpacking goes on after kill -9"
	expect_eq "$who: images after the kill" 0 "$($b images -q | wc -l)"
	ls "$store/layers" | grep -q '\.partial$' || echo "$who: note: killed before the big layer's folder was made"

	$b pull -q "$ref" >/dev/null || fail "$who: pull after the kill"
	ls "$store/layers" | grep -q '\.partial$' && fail "$who: a partial layer after a good pull"
	out=$($b run --rm --network none "$ref" sh -c 'ls /many | wc -l')
	expect_eq "$who: the layer is whole" 12000 "$(echo $out)"
	check "$who: rmi" $b rmi "$ref" >/dev/null
	expect_eq "$who: layers left" 0 "$(ls "$store/layers" | wc -l)"
	expect_eq "$who: blobs left" 0 "$(ls "$store/blobs/sha256" | wc -l)"
done
pass
