#!/bin/bash
# bench_dns.sh - burrow-dns against aardvark-dns 1.4 (Debian), in one run, in
# the sandbox: both serve the same network (one container name, the client's
# own address among the containers, as aardvark requires) on their own
# address of the sandbox host; UDP queries for a local name answered per
# second with 1 and with 32 queries in flight, and forwarded ones through the
# sandbox's stub resolver: one name asked again and again, and 32 names in
# turn.  burrow-dns caches forwarded answers (aardvark-dns has no cache), so
# a third daemon, burrow-dns --no-cache, shows what forwarding alone costs;
# the cache's hit rate is the share of burrow-dns's forwarded queries that
# never reached the stub.  BENCH_ROUNDS (3) interleaved rounds, the best of
# each.  BENCH_QUERIES (20000) per local round.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bench.sh"
AV=/usr/lib/podman/aardvark-dns
need_cmd "$AV" aardvark-dns
DNSD="$BIN/burrow-dns"
[ -x "$DNSD" ] && [ -x "$TOOLS/dnsload" ] || fail "burrow-dns / dnsload not built"
ROUNDS=${BENCH_ROUNDS:-3}
Q=${BENCH_QUERIES:-20000}
NAMES=()
for i in $(seq 0 31); do NAMES+=("n$i.test"); done
sandbox_net
sandbox_dns "peer.test=$REMOTE_FAR4" $(for n in "${NAMES[@]}"; do echo "$n=203.0.113.${#n}"; done)
STUBLOG="$T_TMP/stubdns.log"
# addresses on the sandbox host's loopback: .1 burrow-dns, .2 aardvark,
# .3 burrow-dns --no-cache, .5 the client
for a in 1 2 3 5; do in_host ip addr add 10.95.0.$a/24 dev lo; done

BD="$T_TMP/bdns"; AD="$T_TMP/adns"; ND="$T_TMP/ndns"
mkdir -p "$BD" "$AD" "$ND"
# records NAME LISTEN
records() {
	cat <<R
listen $1/24
internal 0
upstream 127.0.0.1
search dns.podman
ctr c1 10.95.0.5 - client -
ctr c2 10.95.0.9 - web,alias -
R
}
records 10.95.0.1 > "$BD/bench.net"
records 10.95.0.3 > "$ND/bench.net"
# aardvark 1.4: first line the listen addresses, then "ID IPV4 IPV6 NAMES"
printf '10.95.0.2\nc1 10.95.0.5  client\nc2 10.95.0.9  web,alias\n' > "$AD/bench"

in_host "$DNSD" --dir "$BD" 2>/dev/null &
on_exit "kill \$(cat $BD/burrow-dns.pid 2>/dev/null) 2>/dev/null"
in_host "$DNSD" --dir "$ND" --no-cache 2>/dev/null &
on_exit "kill \$(cat $ND/burrow-dns.pid 2>/dev/null) 2>/dev/null"
# aardvark forwards to the host's resolv.conf; inside the sandbox host that
# is the stub only through a private mount namespace
cat > "$T_TMP/resolv.av" <<R
nameserver 127.0.0.1
R
nsenter --net="/run/netns/$HOST_NS" -- unshare -m sh -c \
	"mount --bind '$T_TMP/resolv.av' /etc/resolv.conf && exec '$AV' --config '$AD' -p 53 run" \
	>/dev/null 2>&1 &
# (and the sandbox kills whatever else is left in its namespace)
on_exit "kill \$(cat $AD/aardvark.pid 2>/dev/null) 2>/dev/null"
for who in 1 2 3; do
	retry 100 in_host "$TOOLS/dnsq" 10.95.0.$who web >/dev/null 2>&1 || fail "10.95.0.$who not answering"
	expect_eq "answer of 10.95.0.$who" "10.95.0.9" "$(in_host "$TOOLS/dnsq" 10.95.0.$who web)"
done

# load SERVER N WINDOW NAME...: queries per second (0 when answers were lost);
# for the caching burrow-dns (.1) also counts answers and stub queries in
# FWD_ANSWERED / FWD_UPSTREAM when FWD_COUNT is set
FWD_ANSWERED=0; FWD_UPSTREAM=0
load() {
	local out s0 s1 srv=$1 n=$2 w=$3; shift 3
	s0=$(wc -l < "$STUBLOG")
	out=$(in_host timeout 120 "$TOOLS/dnsload" -u -n "$n" -w "$w" -b 10.95.0.5 "$srv" "$@") || { echo 0; return; }
	s1=$(wc -l < "$STUBLOG")
	if [ -n "${FWD_COUNT:-}" ] && [ "$srv" = 10.95.0.1 ]; then
		FWD_ANSWERED=$((FWD_ANSWERED + $(awk '{print $2}' <<<"$out")))
		FWD_UPSTREAM=$((FWD_UPSTREAM + s1 - s0))
	fi
	awk '{print $6}' <<<"$out"
}
best() { tr ' ' '\n' | grep . | sort -n | tail -1; }
declare -A R
for ((r = 0; r < ROUNDS; r++)); do
	for who in 1 2 3; do
		# --no-cache answers local names as burrow-dns does: not measured twice
		if [ $who != 3 ]; then
			R[$who.w1]+="$(load 10.95.0.$who $((Q / 4)) 1 web) "
			R[$who.w32]+="$(load 10.95.0.$who "$Q" 32 web) "
		fi
		FWD_COUNT=1
		load 10.95.0.$who $((Q / 4)) 32 peer.test > "$T_TMP/v"
		R[$who.fwd]+="$(cat "$T_TMP/v") "
		load 10.95.0.$who $((Q / 4)) 32 "${NAMES[@]}" > "$T_TMP/v"
		R[$who.fwd32]+="$(cat "$T_TMP/v") "
		FWD_COUNT=
	done
done
# ratio ANCHOR BURROW: how many times the anchor's figure burrow's is
ratio() { bench_ratio "$2" "$1"; }
echo "DNS queries/s over UDP, best of $ROUNDS rounds (sandbox host, 2 cores shared with client and stub):"
printf '%-44s %12s %12s %8s %12s %8s\n' "what" "aardvark-dns" "burrow-dns" "ratio" "--no-cache" "ratio"
for k in w1 w32 fwd fwd32; do
	a=$(best <<<"${R[2.$k]}"); b=$(best <<<"${R[1.$k]}"); n=$(best <<<"${R[3.$k]:-}")
	case $k in
	w1) d="local name, 1 in flight" ;;
	w32) d="local name, 32 in flight" ;;
	fwd) d="forwarded to the stub, 32 in flight" ;;
	fwd32) d="forwarded, 32 names in turn, 32 in flight" ;;
	esac
	printf '%-44s %12s %12s %8s %12s %8s\n' "$d" "$a" "$b" "$(ratio "$a" "$b")" "${n:--}" \
		"$([ -n "$n" ] && ratio "$a" "$n" || echo -)"
	echo "  rounds: aardvark ${R[2.$k]} / burrow ${R[1.$k]}${n:+ / --no-cache ${R[3.$k]}}"
done
# every load pulled the stub's log with it; the cached daemon's share
awk -v a="$FWD_ANSWERED" -v u="$FWD_UPSTREAM" 'BEGIN {
	if (a > 0) printf "burrow-dns cache: %d forwarded queries answered, %d reached the stub, hit rate %.2f%%\n", a, u, 100 * (a - u) / a }'
rss() { [ -n "$1" ] && bench_proc_kb "$1" VmRSS; }
ap=$(cat "$AD/aardvark.pid" 2>/dev/null); bp=$(cat "$BD/burrow-dns.pid" 2>/dev/null)
np=$(cat "$ND/burrow-dns.pid" 2>/dev/null)
a=$(rss "$ap"); b=$(rss "$bp"); n=$(rss "$np")
printf '%-44s %12s %12s %8s %12s %8s\n' "RSS after the load (kB)" "${a:--}" "${b:--}" \
	"$(ratio "${a:-0}" "${b:-0}")" "${n:--}" "$(ratio "${a:-0}" "${n:-0}")"
pass
