#!/bin/bash
# bench_images.sh - images, rootless as the test user, in one run against the
# same local registry (Debian's docker-registry on the sandbox host's loopback):
#   run     burrow run --rm IMAGE true  vs  podman run --rm IMAGE true, image
#           present, both with their default rootless network (burrow-slirp,
#           slirp4netns), rounds interleaved                       goal: >= 3x
#   none    the same with --network none on both
#   pull    burrow pull  vs  podman pull of the same image (store emptied
#           before each: download, verify, unpack), rounds interleaved
# BENCH_N rounds (20), BENCH_PULL_N pull rounds (5).  Medians in ms with the
# 25th-75th percentile.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/images.sh"
. "$TOP/tests/lib/bench.sh"
N=${BENCH_N:-20}
NP=${BENCH_PULL_N:-5}
B="$BIN/burrow"
[ -x "$B" ] || fail "build first: make launcher"
need_bin burrow-slirp
need_cmd podman podman
sandbox_net
launcher_rootfs
# podman wants /etc/mtab in the image
[ -e "$ROOTFS/etc/mtab" ] || ln -s /proc/mounts "$ROOTFS/etc/mtab"
images_registry_start
images_stores
images_layout "$T_TMP/oci" "$ROOTFS"
images_push "$T_TMP/oci" busybox
IMG="$REG/busybox:latest"
XDG="$T_TMP/xdg-$TEST_USER"
as_user true

PSTORE="$T_TMP/podman"
mkdir -p "$PSTORE" && chown "$TEST_USER:" "$PSTORE"
cat > "$T_TMP/containers.conf" <<'C'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
C
chmod 0644 "$T_TMP/containers.conf"
on_exit "as_user env CONTAINERS_CONF=$T_TMP/containers.conf podman --root $PSTORE/root --runroot $PSTORE/run system reset -f >/dev/null 2>&1"

cat > "$T_TMP/timing.sh" <<'T'
#!/bin/bash
# timing.sh N NP B IMG STORE TMP: one line per sample, "KIND MICROSECONDS"
N=$1 NP=$2 B=$3 IMG=$4 STORE=$5 TMP=$6
export BURROW_STORAGE_DIR=$STORE CONTAINERS_CONF=$TMP/containers.conf
P=(podman --root "$TMP/podman/root" --runroot "$TMP/podman/run" --tmpdir "$TMP/podman/tmp")
us() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || return 1; local e=$EPOCHREALTIME; echo $((${e/./} - ${s/./})); }
one() { local t; t=$(us "${@:2}") || { echo "FAILED $*" >&2; exit 1; }; echo "$1 $t"; }
bpull() { "$B" rmi "$IMG" >/dev/null 2>&1; "$B" image prune >/dev/null; one bpull "$B" pull -q --tls-verify=false "$IMG"; }
ppull() { "${P[@]}" rmi -f "$IMG" >/dev/null 2>&1; one ppull "${P[@]}" pull -q --tls-verify=false "$IMG"; }
for ((i = 0; i < NP; i++)); do
	if ((i % 2)); then bpull; ppull; else ppull; bpull; fi
done
br() { one burrow "$B" run --rm "$IMG" true; }
pr() { one podman "${P[@]}" run --rm "$IMG" true; }
bn() { one bnone "$B" run --rm --network none "$IMG" true; }
pn() { one pnone "${P[@]}" run --rm --network none "$IMG" true; }
br >/dev/null; pr >/dev/null	# warm
for ((i = 0; i < N; i++)); do
	if ((i % 2)); then br; pr; bn; pn; else pr; br; pn; bn; fi
done
exit 0
T
chmod 0755 "$T_TMP/timing.sh"
as_user "$T_TMP/timing.sh" "$N" "$NP" "$B" "$IMG" "$STORE_U" "$T_TMP" > "$T_TMP/samples" ||
	fail "timing loop failed"
median() { bench_sample_ms "$1" "$T_TMP/samples"; }
quart() { bench_sample_spread_ms "$1" "$T_TMP/samples"; }
echo "  images, rootless, local registry, median (ms; 25th-75th percentile):"
echo "    run --rm IMAGE true     burrow $(median burrow) ($(quart burrow))   podman $(median podman) ($(quart podman))" \
	"  podman/burrow $(bench_ratio "$(median podman)" "$(median burrow)") (goal >= 3)"
echo "    ... --network none      burrow $(median bnone) ($(quart bnone))   podman $(median pnone) ($(quart pnone))" \
	"  podman/burrow $(bench_ratio "$(median pnone)" "$(median bnone)")"
echo "    pull (empty store)      burrow $(median bpull) ($(quart bpull))   podman $(median ppull) ($(quart ppull))" \
	"  podman/burrow $(bench_ratio "$(median ppull)" "$(median bpull)")"
pass
