#!/bin/bash
# burrow-slirp's pasta face on the command line: the face is chosen by the
# program's name or --pasta; --help and --version; every option pasta has and
# burrow-slirp does not implement is refused by name with exit status 1, as
# are a command to run, two targets, "all", mixed modes and bad values;
# nothing is left running after a refusal.
. "$(dirname "$0")/../lib/sandbox.sh"
need_bin burrow-slirp
P="$T_TMP/pasta"
ln -s "$BIN/burrow-slirp" "$P"

out=$("$P" --help) || fail "--help exit $?"
grep -q "^Usage: pasta" <<<"$out" || fail "--help is not pasta's: $out"
out=$("$BIN/burrow-slirp" --pasta --version) || fail "--pasta --version exit $?"
grep -q "^pasta (burrow-slirp" <<<"$out" || fail "--version: $out"
out=$("$BIN/burrow-slirp" --version)
grep -q "^slirp4netns version" <<<"$out" || fail "the slirp4netns face changed: $out"

# refuse PATTERN ARGS...: exit status 1 and a message matching PATTERN
refuse() {
	local pat=$1 out rc; shift
	out=$(timeout 10 "$P" "$@" 2>&1); rc=$?
	[ $rc -eq 1 ] || fail "pasta $*: exit $rc (want 1): $out"
	grep -q -- "$pat" <<<"$out" || fail "pasta $*: message '$out' lacks '$pat'"
}
for o in --pcap=/tmp/x --runas=nobody --log-size=1 --outbound-if4=eth0 \
	--outbound-if6=eth0 --freebind --dhcp-dns --no-dhcp-dns --dhcp-search \
	--no-dhcp-search --host-lo-to-ns-lo --no-copy-routes --no-copy-addrs \
	--print-capabilities --vhost-user --socket=/tmp/s --fd=3 --one-off; do
	n=${o%%=*}
	refuse "option $n is not supported" "$o" --netns /nonexistent
done
refuse "unknown option '--bogus'" --bogus --netns /x
refuse "unknown option '-z'" -z --netns /x
refuse "needs a value" --netns
# pasta's own words for "all" (passt's only) and for mixed modes
for o in -t -u -T -U; do
	refuse "'all' port forwarding is only allowed for passt" $o all --netns /x
	refuse "mode 'auto' conflicts with previous mode" $o 80 $o auto --netns /x
	refuse "Specific ports cannot be specified together with all/none/auto" \
		$o none $o 80 --netns /x
	refuse "mode 'none' conflicts" $o auto $o none --netns /x
done
refuse "invalid -T 127.0.0.1/80: an address only binds -t and -u" -T 127.0.0.1/80 --netns /x
refuse "TCP port forwarding requested but TCP is disabled" --no-tcp -T 80 --netns /x
refuse "TCP port forwarding requested but TCP is disabled" -t auto --no-tcp --netns /x
refuse "UDP port forwarding requested but UDP is disabled" --no-udp -U auto --netns /x
refuse "invalid -U 1-2000: more than 1024 ports" -U 1-2000 --netns /x
refuse "invalid -t 0" -t 0 --netns /x
refuse "invalid -u 80-70" -u 80-70 --netns /x
refuse "running a command in a new namespace" --config-net sh -c true
refuse "both --netns and '42'" --netns /x 42
refuse "no target" --config-net
refuse "invalid address for -a" -a 300.1.1.1 --netns /x
refuse "invalid netmask" -n 255.0.255.0 --netns /x
refuse "bind(198.51.100.250): Cannot assign requested address" -o 198.51.100.250 --netns /x
refuse "expected a number from 1280 to 65520" -m 70000 --netns /x
refuse "invalid MAC" -M zz --netns /x
refuse "handing DNS servers" -D 198.51.100.53 --netns /x
refuse "invalid interface name" -I 0123456789abcdefgh --netns /x
refuse "invalid interface name 'a/b'" -I a/b --netns /x
refuse "invalid interface name" -I 'eth0:1' --netns /x
# a namespace file that does not exist: exit 1 naming it, nothing left behind
refuse "/nonexistent-ns" --config-net --netns /nonexistent-ns
pgrep -f -- "--netns /nonexistent-ns" && fail "left running after a failed start"
pass
