#!/bin/bash
# bench_launcher.sh - `run --rm ROOTFS true`, rootless as the test user, in one
# run, rounds interleaved:
#   burrow-slirp   burrow run --rm --network slirp ROOTFS true
#   podman         podman run --rm --rootfs ROOTFS true (its default rootless
#                  network, slirp4netns)                    anchor for burrow-slirp
#   burrow-none    burrow run --rm --network none ROOTFS true
#   crun           crun run on the very config.json burrow wrote  anchor for burrow-none
# Then 100 containers started detached and all removed: no process, record or
# runtime state may be left.  Prints medians in ms and the ratios.
# BENCH_N rounds (30); BENCH_PODMAN=0 leaves podman out.  The timing loop runs
# as the test user in one shell, rounds alternating whether burrow or crun
# goes first; medians, quartiles and the median per-round ratio are printed.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/bench.sh"
N=${BENCH_N:-30}
B="$BIN/burrow"
[ -x "$B" ] || fail "build first: make launcher"
launcher_rootfs
# podman wants /etc/mtab in the rootfs and, rootless, cannot create it itself
[ -e "$ROOTFS/etc/mtab" ] || ln -s /proc/mounts "$ROOTFS/etc/mtab"
# podman also writes /run/.containerenv into it: the rootfs is the user's own,
# as usual rootless (burrow does not mind either way)
chown -R "$TEST_USER:" "$ROOTFS"
sandbox_net
XDG="$T_TMP/xdg-$TEST_USER"
as_user true	# creates $XDG
on_exit "as_user $B system prune"

# podman: private storage, and ulimits under this machine's hard limit
PSTORE="$T_TMP/podman"
mkdir -p "$PSTORE" && chown "$TEST_USER:" "$PSTORE"
cat > "$T_TMP/containers.conf" <<'C'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
C
chmod 0644 "$T_TMP/containers.conf"
podman_run() {
	as_user env CONTAINERS_CONF="$T_TMP/containers.conf" podman --root "$PSTORE/root" \
		--runroot "$PSTORE/run" --tmpdir "$PSTORE/tmp" run --rm --rootfs "$ROOTFS" true
}
on_exit "as_user env CONTAINERS_CONF=$T_TMP/containers.conf podman --root $PSTORE/root --runroot $PSTORE/run system reset -f"
have_podman=1
if [ "${BENCH_PODMAN:-1}" != 1 ]; then
	have_podman=0; echo "  podman left out (BENCH_PODMAN=0)"
elif ! { command -v podman >/dev/null && podman_run >/dev/null 2>"$T_TMP/podman.err"; }; then
	have_podman=0; echo "  podman unusable here: $(tail -1 "$T_TMP/podman.err")"
fi
# make bench builds every program first: a missing one is a broken build
need_bin burrow-slirp
have_slirp=1

# the bundle for crun: the config.json burrow writes for --network none
as_user "$B" run --name tmpl --network none "$ROOTFS" true || fail "template run"
mkdir -p "$T_TMP/bundle"
cp "$XDG/burrow/containers/$(as_user "$B" inspect -f '{{.Id}}' tmpl)/config.json" \
	"$T_TMP/bundle/config.json" || fail "no config.json"
chmod -R a+rX "$T_TMP/bundle"
as_user "$B" rm tmpl >/dev/null

# The timing loop runs inside one shell of the test user, so that what is
# timed is the command alone (no setpriv/env/nsenter around it), with bash's
# $EPOCHREALTIME (no date process per sample).  Rounds alternate which of a
# pair goes first, against drift of a loaded machine; every sample is kept.
cat > "$T_TMP/timing.sh" <<'T'
#!/bin/bash
# timing.sh N B ROOTFS BUNDLE CRUNROOT SLIRP PODMAN: one line per sample, "KIND MICROSECONDS"
N=$1 B=$2 ROOTFS=$3 BUNDLE=$4 CROOT=$5 SLIRP=$6 PODMAN=$7
us() { local s=$EPOCHREALTIME; "$@" >/dev/null || return 1; local e=$EPOCHREALTIME; echo $((${e/./} - ${s/./})); }
one() { local t; t=$(us "${@:2}") || { echo "FAILED $1" >&2; exit 1; }; echo "$1 $t"; }
none() { one none "$B" run --rm --network none "$ROOTFS" true; }
crun_() { one crun crun --root "$CROOT" --cgroup-manager=disabled run -b "$BUNDLE" "b$1"; }
for ((i = 0; i < N; i++)); do
	if ((i % 2)); then none; crun_ "$i"; else crun_ "$i"; none; fi
	[ "$SLIRP" = 1 ] && one slirp "$B" run --rm --network slirp "$ROOTFS" true
	[ "$PODMAN" = 1 ] && one podman env CONTAINERS_CONF="$T_TMP/containers.conf" podman \
		--root "$T_TMP/podman/root" --runroot "$T_TMP/podman/run" --tmpdir "$T_TMP/podman/tmp" \
		run --rm --rootfs "$ROOTFS" true
done
exit 0
T
chmod 0755 "$T_TMP/timing.sh"
as_user "$T_TMP/timing.sh" "$N" "$B" "$ROOTFS" "$T_TMP/bundle" "$XDG/crun-bench" \
	"$have_slirp" "$have_podman" > "$T_TMP/samples" || fail "timing loop failed"
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
# median of one kind, in ms with one decimal; and its spread (25th-75th percentile)
median() { bench_sample_ms "$1" "$T_TMP/samples"; }
quart() { bench_sample_spread_ms "$1" "$T_TMP/samples"; }
# the ratio within each round (burrow none / crun of the same round), its median
round_ratio() { local r
	r=$(awk '$1 == "none" {n[++a]=$2} $1 == "crun" {c[++b]=$2}
		END {for (i = 1; i <= a && i <= b; i++) print n[i] / c[i]}' "$T_TMP/samples" | bench_median -)
	[ "$r" = - ] && echo - || printf '%.2f\n' "$r"; }
bs=$(median slirp) pd=$(median podman) bn=$(median none) cr=$(median crun)
echo "  run --rm true, rootless, median of $N (ms; 25th-75th percentile):"
if [ $have_slirp = 1 ] && [ $have_podman = 1 ]; then
	echo "    burrow --network slirp $bs ($(quart slirp))   podman $pd ($(quart podman))" \
		"  podman/burrow $(bench_ratio "$pd" "$bs") (goal >= 3)"
elif [ $have_slirp = 1 ]; then
	echo "    burrow --network slirp $bs ($(quart slirp))"
fi
echo "    burrow --network none  $bn ($(quart none))   crun run $cr ($(quart crun))" \
	"  burrow/crun $(bench_ratio "$bn" "$cr"), median of per-round ratios $(round_ratio) (goal <= 1.3)"

# 100 detached, then all removed: nothing may leak
s=$(date +%s%N)
for ((i = 0; i < 100; i++)); do
	as_user "$B" run -d --network none "$ROOTFS" sleep 600 >/dev/null || fail "run -d #$i"
done
up=$(ms "$s")
running=$(as_user "$B" ps | tail -n +2 | grep -c running)
s=$(date +%s%N)
as_user "$B" ps -a | tail -n +2 | awk '{print $1}' | while read -r id; do
	as_user "$B" rm -f "$id" >/dev/null || echo "rm $id failed"
done
down=$(ms "$s")
left_rec=$(ls "$XDG/burrow/containers" | wc -l)
left_rt=$(ls "$XDG/burrow/runtime/crun" 2>/dev/null | wc -l)
left_proc=$(pgrep -u "$TEST_USER" -x sleep -a 2>/dev/null | grep -c 'sleep 600$')
echo "  100 x run -d: $up ms ($running running), 100 x rm -f: $down ms;" \
	"left: $left_rec records, $left_rt runtime states, $left_proc processes"
[ "$running" = 100 ] && [ "$left_rec" = 0 ] && [ "$left_rt" = 0 ] && [ "$left_proc" = 0 ] ||
	fail "leak after 100 containers"
pass
