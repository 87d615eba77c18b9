#!/bin/bash
# bench_dns.sh - burrow-dns against aardvark-dns 1.4 (Debian), in one run, in
# the sandbox: both serve the same network (one container name, the client's
# own address among the containers, as aardvark requires) on their own
# address of the sandbox host; UDP queries for a local name answered per
# second with 1 and with 32 queries in flight, and forwarded ones through the
# sandbox's stub resolver; BENCH_ROUNDS (3) interleaved rounds, the best of each.
# BENCH_QUERIES (20000) per local round.
. "$(dirname "$0")/../lib/sandbox.sh"
AV=/usr/lib/podman/aardvark-dns
[ -x "$AV" ] || skip "aardvark-dns missing (Debian package aardvark-dns)"
DNSD="$BIN/burrow-dns"
[ -x "$DNSD" ] && [ -x "$TOOLS/dnsload" ] || fail "burrow-dns / dnsload not built"
ROUNDS=${BENCH_ROUNDS:-3}
Q=${BENCH_QUERIES:-20000}
sandbox_net
sandbox_dns "peer.test=$REMOTE_FAR4"
# addresses on the sandbox host's loopback: .1 burrow-dns, .2 aardvark, .5 the client
for a in 1 2 5; do in_host ip addr add 10.95.0.$a/24 dev lo; done

BD="$T_TMP/bdns"; AD="$T_TMP/adns"
mkdir -p "$BD" "$AD"
cat > "$BD/bench.net" <<R
listen 10.95.0.1/24
internal 0
upstream 127.0.0.1
search dns.podman
ctr c1 10.95.0.5 - client -
ctr c2 10.95.0.9 - web,alias -
R
# aardvark 1.4: first line the listen addresses, then "ID IPV4 IPV6 NAMES"
printf '10.95.0.2\nc1 10.95.0.5  client\nc2 10.95.0.9  web,alias\n' > "$AD/bench"

in_host "$DNSD" --dir "$BD" 2>/dev/null &
on_exit "kill \$(cat $BD/burrow-dns.pid 2>/dev/null) 2>/dev/null"
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
retry 100 in_host "$TOOLS/dnsq" 10.95.0.1 web >/dev/null 2>&1 || fail "burrow-dns not answering"
retry 100 in_host "$TOOLS/dnsq" 10.95.0.2 web >/dev/null 2>&1 || fail "aardvark-dns not answering"
expect_eq "burrow-dns answer" "10.95.0.9" "$(in_host "$TOOLS/dnsq" 10.95.0.1 web)"
expect_eq "aardvark-dns answer" "10.95.0.9" "$(in_host "$TOOLS/dnsq" 10.95.0.2 web)"

# load SERVER N WINDOW NAME: queries per second (0 when answers were lost)
load() {
	local out
	out=$(in_host timeout 120 "$TOOLS/dnsload" -u -n "$2" -w "$3" -b 10.95.0.5 "$1" "$4") || { echo 0; return; }
	awk '{print $6}' <<<"$out"
}
best() { tr ' ' '\n' | grep . | sort -n | tail -1; }
declare -A R
for ((r = 0; r < ROUNDS; r++)); do
	for who in 1 2; do
		R[$who.w1]+="$(load 10.95.0.$who $((Q / 4)) 1 web) "
		R[$who.w32]+="$(load 10.95.0.$who "$Q" 32 web) "
		R[$who.fwd]+="$(load 10.95.0.$who $((Q / 4)) 32 peer.test) "
	done
done
echo "DNS queries/s over UDP, best of $ROUNDS rounds (sandbox host, 2 cores shared with client and stub):"
printf '%-40s %12s %12s %8s\n' "what" "aardvark-dns" "burrow-dns" "ratio"
for k in w1 w32 fwd; do
	a=$(best <<<"${R[2.$k]}"); b=$(best <<<"${R[1.$k]}")
	case $k in
	w1) d="local name, 1 in flight" ;;
	w32) d="local name, 32 in flight" ;;
	fwd) d="forwarded to the stub, 32 in flight" ;;
	esac
	printf '%-40s %12s %12s %8s\n' "$d" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')"
	echo "  rounds: aardvark ${R[2.$k]} / burrow ${R[1.$k]}"
done
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }
ap=$(cat "$AD/aardvark.pid" 2>/dev/null); bp=$(cat "$BD/burrow-dns.pid" 2>/dev/null)
a=$(rss "$ap"); b=$(rss "$bp")
printf '%-40s %12s %12s %8s\n' "RSS after the load (kB)" "${a:--}" "${b:--}" \
	"$(awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')"
pass
