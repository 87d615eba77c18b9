# shellcheck shell=bash
# consumers.sh - helpers for tests that drive the current engines built from
# their Go modules by scripts/consumers.sh (source after sandbox.sh)
#
#   need_consumer NAME...   the engine binaries the test runs; builds what is
#                           missing; skips when the Go module proxy cannot be
#                           reached (exit 77), fails when a build fails
#   $CONSUMERS_BIN          the folder holding them
#   cni_conflist FILE NAME BRIDGE SUBNET [portmap] [SUBNET6]
#                           write a conflist: burrow-bridge with its own IPAM
#                           and port mappings, CNI 1.1; with "portmap", CNI 1.0
#                           (Debian's plugins stop at 1.0.0) and Debian's
#                           portmap chained after burrow-bridge
#   cni_plugin_dir DIR      a CNI bin folder: burrow-bridge + Debian's plugins
#   nft_elements            count of elements in burrow's nft sets/maps (host ns)
#   tool_time LABEL CMD...  run CMD, print "LABEL: N ms" to $T_TMP/times
CONSUMERS_BIN=$("$TOP/scripts/consumers.sh" --path)
export CONSUMERS_BIN

need_consumer() {
	local n missing=()
	for n; do [ -x "$CONSUMERS_BIN/$n" ] || missing+=("$n"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	"$TOP/scripts/consumers.sh" >"$T_TMP/consumers.log" 2>&1
	local rc=$?
	for n in "${missing[@]}"; do
		[ -x "$CONSUMERS_BIN/$n" ] && continue
		[ $rc -eq 77 ] && skip "$n not built: the Go module proxy cannot be reached"
		fail "$n could not be built by scripts/consumers.sh: $(tail -3 "$T_TMP/consumers.log")"
	done
}

cni_plugin_dir() {
	mkdir -p "$1" || fail "mkdir $1"
	ln -sf /usr/lib/cni/* "$1/"
	ln -sf "$BIN/burrow-bridge" "$1/burrow-bridge"
}

cni_conflist() {
	local file=$1 name=$2 br=$3 subnet=$4 pm=${5:-} sub6=${6:-} r6=""
	[ -n "$sub6" ] && r6=',[{"subnet":"'$sub6'","gateway":"'${sub6%/*}'1"}]'
	local ver=1.1.0
	[ "$pm" = portmap ] && ver=1.0.0
	{
		printf '{"cniVersion":"%s","name":"%s","plugins":[' "$ver" "$name"
		printf '{"type":"burrow-bridge","bridge":"%s","isGateway":true,"ipMasq":true,"hairpinMode":true,' "$br"
		if [ "$pm" != portmap ]; then printf '"capabilities":{"portMappings":true},'; fi
		printf '"ipam":{"type":"burrow-bridge","ranges":[[{"subnet":"%s","gateway":"%s"}]%s],"routes":[{"dst":"0.0.0.0/0"}]}}' \
			"$subnet" "${subnet%.*}.1" "$r6"
		[ "$pm" = portmap ] && printf ',{"type":"portmap","capabilities":{"portMappings":true}}'
		printf ']}\n'
	} >"$file"
}

# nft_elements: elements in every set and map of burrow's table in the sandbox host
nft_elements() {
	in_host nft list table inet burrow 2>/dev/null | tr -d '\n' |
		grep -o 'elements = {[^}]*}' | tr -c -d ',{' | wc -c
}

tool_time() {
	local label=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	"$@"
	rc=$?
	t1=$(date +%s%N)
	echo "$label: $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
	return $rc
}
# print_times: the measured times, on the test's output
print_times() { [ -f "$T_TMP/times" ] && sed 's/^/  time /' "$T_TMP/times"; return 0; }
