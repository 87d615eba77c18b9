#!/bin/bash
# burrow pull / run IMAGE / images / rmi / image prune against a real registry
# (Debian's docker-registry on the sandbox host's loopback, images pushed with
# skopeo from a busybox root filesystem), as root and as the test user:
# the image's config is honoured, a missing image is pulled by run, --pull
# says when, N containers share one unpacked layer, the upper folder goes
# with rm, rmi refuses an image in use and removes what only it used.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
sandbox_net
launcher_rootfs
images_registry_start
images_stores

# two layers: busybox, then a layer with a user and a file of its own
top="$T_TMP/top"
mkdir -p "$top/etc" "$top/srv"
cp "$ROOTFS/etc/passwd" "$ROOTFS/etc/group" "$top/etc/"
echo "app:x:1234:2345:app:/srv:/bin/sh" >> "$top/etc/passwd"
echo "hello from the image" > "$top/srv/msg"
chown -R 1234:2345 "$top/srv"
images_layout "$T_TMP/oci" "$ROOTFS" "$top" --config '{"Entrypoint":["/bin/sh","-c"],
 "Cmd":["echo $GREETING; pwd; id -u; id -g; cat msg"],"Env":["GREETING=hi-from-env"],
 "WorkingDir":"/srv","User":"app","ExposedPorts":{"8080/tcp":{}}}'
images_push "$T_TMP/oci" busybox

for who in root user; do
	b=b_$who
	store=$STORE_R; [ $who = user ] && store=$STORE_U
	# --pull=never with nothing in the store: a clear refusal
	out=$($b run --rm --pull=never --network none "$REG/busybox" 2>&1) && fail "$who: --pull=never ran"
	echo "$out" | grep -q "not in the store.*--pull=never" || fail "$who: --pull=never said: $out"

	# pull: off a terminal, one line per layer; the ID on stdout
	id=$($b pull --tls-verify=false "$REG/busybox" 2>"$T_TMP/pull.err") || fail "$who: pull: $(cat "$T_TMP/pull.err")"
	expect_eq "$who: layer lines" 2 "$(grep -c '^Unpacked layer' "$T_TMP/pull.err")"
	[ ${#id} = 64 ] || fail "$who: pull printed '$id'"
	$b images | grep -q "^$REG/busybox:latest  *${id:0:12} " || fail "$who: images: $($b images)"
	expect_eq "$who: images -q" "${id:0:12}" "$($b images -q)"
	expect_eq "$who: images --format json" "$id $REG/busybox:latest 2" \
		"$($b images --format json | jq -r '.[] | "\(.Id) \(.Name) \(.Layers)"')"

	# run honours Entrypoint + Cmd, Env, WorkingDir, User (a name from the image)
	out=$($b run --rm --network none "$REG/busybox" 2>&1) || fail "$who: run: $out"
	expect_eq "$who: image config" "hi-from-env
/srv
1234
2345
hello from the image" "$out"
	# a command replaces Cmd (after the Entrypoint); -e, -w, -u win over the image
	out=$($b run --rm --network none -e GREETING=mine -w / -u 0 "$REG/busybox" 'echo $GREETING $(pwd) $(id -u)')
	expect_eq "$who: options over the image" "mine / 0" "$out"
	# the image by ID prefix
	out=$($b run --rm --network none "${id:0:12}" 'echo by-id') || fail "$who: run by ID"
	expect_eq "$who: run by ID" by-id "$out"

	# two containers at once share the one unpacked copy of each layer
	c1=$($b run -d --network none "$REG/busybox" 'echo one > /srv/mine; sleep 30') || fail "$who: run -d 1"
	c2=$($b run -d --network none "$REG/busybox" 'sleep 30') || fail "$who: run -d 2"
	expect_eq "$who: unpacked layers" 2 "$(ls "$store/layers" | wc -l)"
	retry 50 $b exec "$c1" test -s /srv/mine || fail "$who: c1 did not write"
	$b exec "$c2" test -e /srv/mine && fail "$who: c2 sees c1's file"
	# rmi refuses while a container uses the image
	out=$($b rmi "$REG/busybox" 2>&1) && fail "$who: rmi removed an image in use"
	echo "$out" | grep -q "used by container" || fail "$who: rmi said: $out"
	check "$who: rm c1" $b rm -f "$c1" >/dev/null
	check "$who: rm c2" $b rm -f "$c2" >/dev/null
	expect_eq "$who: state folders left" "" "$($b ps -a | tail -n +2)"

	# -P: the image's ExposedPorts (8080/tcp) on a free host port, through slirp
	cp=$($b run -d -P "$REG/busybox" 'exec httpd -f -p 8080 -h /srv') || fail "$who: run -d -P"
	port=$($b ps | grep "^$cp" | grep -o '[0-9]*:8080' | cut -d: -f1)
	[ -n "$port" ] || fail "$who: -P: no port in ps: $($b ps)"
	out=$(retry_out 30 in_host bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; printf 'GET /msg HTTP/1.0\r\n\r\n' >&3; cat <&3")
	echo "$out" | grep -q "hello from the image" || fail "$who: -P: GET /msg on $port: $out"
	check "$who: rm -P" $b rm -f "$cp" >/dev/null
	out=$($b run --rm -P --network none "$ROOTFS" true 2>&1) && fail "$who: -P with a root filesystem ran"
	echo "$out" | grep -q "^burrow: -P publishes an image's ExposedPorts" || fail "$who: -P rootfs: $out"

	# run of a missing image pulls it (--pull=missing, the default)
	check "$who: rmi" $b rmi "$REG/busybox" >/dev/null
	expect_eq "$who: layers after rmi" 0 "$(ls "$store/layers" | wc -l)"
	expect_eq "$who: blobs after rmi" 0 "$(ls "$store/blobs/sha256" | wc -l)"
	out=$($b run --rm --network none --tls-verify=false "$REG/busybox" 'cat /srv/msg' 2>/dev/null) ||
		fail "$who: run did not pull"
	expect_eq "$who: run pulled" "hello from the image" "$out"
	# --pull=always pulls again (the same content: nothing new to unpack)
	$b run --rm --network none --pull=always --tls-verify=false "$REG/busybox" true 2>"$T_TMP/again.err" ||
		fail "$who: --pull=always: $(cat "$T_TMP/again.err")"
	grep -q "Copying config" "$T_TMP/again.err" || fail "$who: --pull=always did not pull"
	grep -q "^Unpacked layer" "$T_TMP/again.err" && fail "$who: --pull=always unpacked again"

	# image prune: a leftover of a killed unpack and an unused blob go
	mkdir -p "$store/layers/$(printf 'a%.0s' {1..64}).partial"
	echo junk > "$store/blobs/sha256/$(printf 'b%.0s' {1..64})"
	[ $who = user ] && chown -R "$TEST_USER:" "$store"
	out=$($b image prune) || fail "$who: image prune"
	expect_eq "$who: image prune" "Removed 1 blobs and 1 layers" "$out"
	expect_eq "$who: image kept" 1 "$($b images -q | wc -l)"
	check "$who: rmi by ID" $b rmi "${id:0:12}" >/dev/null
done
pass
