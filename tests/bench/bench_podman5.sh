#!/bin/bash
# bench_podman5.sh - Podman 5 (built from its Go module, scripts/consumers.sh),
# rootless as the test user: `podman run --rm -p 18790:80 --rootfs ROOTFS true`
# with its default rootless network, pasta, being
#   burrow-slirp   burrow's pasta face (a `pasta` link in helper_binaries_dir)
#   pasta 2025     the pasta of ../shared/anchors (anchor)
# in one run, rounds interleaved, alternating which goes first. The whole
# start-to-exit time of the podman command is measured (its network helper's
# start, the namespace configuration Podman waits for, the helper's exit when
# the namespace goes away). Prints medians, quartiles and the ratio.
# BENCH_N rounds (15).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/podman5.sh"
. "$TOP/tests/lib/bench.sh"
N=${BENCH_N:-15}
need_cmd newuidmap uidmap
need_cmd catatonit catatonit
need_bin burrow-slirp burrow-bridge
ref=$(pasta2025 2>"$T_TMP/build-pasta.log")
[ -x "$ref" ] || fail "no pasta 2025 (../shared/anchors/build-pasta.sh missing or failed): $(tail -3 "$T_TMP/build-pasta.log")"
sandbox_net
pm_setup_rootless
# plain links for both (no recording wrapper): the same exec path for each
for k in burrow pasta2025; do
	mkdir -p "$PM/h-$k"
	ln -s "$BIN/burrow-bridge" "$PM/h-$k/netavark"
	sed "s|$PM/helpers|$PM/h-$k|" "$PM/containers.conf" > "$PM/$k.conf"
done
ln -s "$BIN/burrow-slirp" "$PM/h-burrow/pasta"
ln -s "$ref" "$PM/h-pasta2025/pasta"
chown -R "$TEST_USER:" "$PM"

# the timing loop, in one shell of the test user: bash's $EPOCHREALTIME, no
# process around what is timed but podman itself
cat > "$T_TMP/timing.sh" <<'T'
#!/bin/bash
# timing.sh N PM PODMAN: one line per sample, "KIND MICROSECONDS"
N=$1 PM=$2 P5=$3
run() {
	local s e
	s=$EPOCHREALTIME
	CONTAINERS_CONF="$PM/$1.conf" HOME="$PM/home" PODMAN_IGNORE_CGROUPSV1_WARNING=1 \
		timeout 60 "$P5" --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
		--storage-driver vfs run --rm -p 18790:80 --rootfs "$PM/rootfs" true >/dev/null 2>"$PM/err.$1" ||
		{ echo "FAILED $1: $(tail -1 "$PM/err.$1")" >&2; exit 1; }
	e=$EPOCHREALTIME
	echo "$1 $((${e/./} - ${s/./}))"
}
run burrow >/dev/null; run pasta2025 >/dev/null	# warm caches for both
for ((i = 0; i < N; i++)); do
	if ((i % 2)); then run burrow; run pasta2025; else run pasta2025; run burrow; fi
done
exit 0
T
chmod 0755 "$T_TMP/timing.sh"
as_user "$T_TMP/timing.sh" "$N" "$PM" "$P5" > "$T_TMP/samples" 2>"$T_TMP/timing.err" ||
	fail "timing loop: $(cat "$T_TMP/timing.err")"
median() { bench_sample_ms "$1" "$T_TMP/samples"; }
quart() { bench_sample_spread_ms "$1" "$T_TMP/samples"; }
b=$(median burrow) p=$(median pasta2025)
echo "  podman $P5_VER run --rm -p 18790:80 ROOTFS true, rootless, median of $N (ms; 25th-75th percentile):"
echo "    with burrow-slirp as pasta $b ($(quart burrow))   with pasta 2025 $p ($(quart pasta2025))" \
	"  pasta/burrow $(bench_ratio "$p" "$b")"
[ -z "$(slirp_pids)" ] || fail "burrow-slirp left running: $(slirp_pids)"
pass
