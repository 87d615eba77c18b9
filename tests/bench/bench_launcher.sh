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
# BENCH_N rounds (20).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
N=${BENCH_N:-20}
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
command -v podman >/dev/null && podman_run >/dev/null 2>"$T_TMP/podman.err" || {
	have_podman=0; echo "  podman unusable here: $(tail -1 "$T_TMP/podman.err")"; }
have_slirp=1
[ -x "$BIN/burrow-slirp" ] || { have_slirp=0; echo "  burrow-slirp not built: slirp rows skipped"; }

# the bundle for crun: the config.json burrow writes for --network none
as_user "$B" run --name tmpl --network none "$ROOTFS" true || fail "template run"
mkdir -p "$T_TMP/bundle"
cp "$XDG/burrow/containers/$(as_user "$B" inspect tmpl | sed -n 's/^  "id": "\(.*\)",/\1/p')/config.json" \
	"$T_TMP/bundle/config.json" || fail "no config.json"
chmod -R a+rX "$T_TMP/bundle"
as_user "$B" rm tmpl >/dev/null
crun_run() {
	as_user crun --root "$XDG/crun-bench" --cgroup-manager=disabled run -b "$T_TMP/bundle" "b$1"
}

ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
declare -a t_bs t_pd t_bn t_cr
for ((i = 0; i < N; i++)); do
	if [ $have_slirp = 1 ]; then
		s=$(date +%s%N); as_user "$B" run --rm --network slirp "$ROOTFS" true || fail "burrow slirp"
		t_bs+=("$(ms "$s")")
	fi
	if [ $have_podman = 1 ]; then
		s=$(date +%s%N); podman_run || fail "podman"; t_pd+=("$(ms "$s")")
	fi
	s=$(date +%s%N); as_user "$B" run --rm --network none "$ROOTFS" true || fail "burrow none"
	t_bn+=("$(ms "$s")")
	s=$(date +%s%N); crun_run "$i" || fail "crun"; t_cr+=("$(ms "$s")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
bs=$(median "${t_bs[@]}") pd=$(median "${t_pd[@]}") bn=$(median "${t_bn[@]}") cr=$(median "${t_cr[@]}")
echo "  run --rm true, rootless, median of $N (ms):"
[ $have_slirp = 1 ] && [ $have_podman = 1 ] &&
	echo "    burrow --network slirp $bs   podman $pd   podman/burrow $(ratio "$pd" "$bs") (goal >= 3)"
echo "    burrow --network none  $bn   crun run $cr   burrow/crun $(ratio "$bn" "$cr") (goal <= 1.3)"

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
