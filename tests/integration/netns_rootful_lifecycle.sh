#!/bin/bash
# Rootful burrow-netns: create, list, path, exec, configure and delete a
# namespace that `ip netns` sees as its own, and leave nothing behind.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/netns.sh"

N="${T_ID}a"
IPN="${T_ID}ip"
netns_cleanup_rootful "$N"
netns_cleanup_rootful "$IPN"

check "create" timeout 20 "$NETNS" create "$N"
out=$("$NETNS" create "$N" 2>&1) && fail "second create of $N succeeded"
[[ "$out" == *"already exists"* ]] || fail "duplicate create message: $out"
[ -f "/run/netns/$N" ] || fail "/run/netns/$N missing"
findmnt -n -o PROPAGATION /run/netns | grep -q shared || fail "/run/netns is not a shared mount"

# interop with iproute2 both ways
ip netns list | grep -qx "$N\( (id: [0-9]*)\)\?" || fail "ip netns list does not show $N"
check "ip netns add" ip netns add "$IPN"
"$NETNS" list | grep -qx "$IPN rootful /run/netns/$IPN" || fail "burrow-netns list misses ip's $IPN"
"$NETNS" list | grep -qx "$N rootful /run/netns/$N" || fail "list: $("$NETNS" list)"
expect_eq "path" "/run/netns/$N" "$("$NETNS" path "$N")"

# loopback is up from the start; exec keeps our mount namespace (no /sys remount)
"$NETNS" exec "$N" -- ip -o link show lo | grep -q 'LOOPBACK,UP' || fail "lo not up in $N"
expect_eq "exec keeps mount namespace" "$(readlink /proc/self/ns/mnt)" \
	"$("$NETNS" exec "$N" readlink /proc/self/ns/mnt)"
[ "$("$NETNS" exec "$N" readlink /proc/self/ns/net)" != "$(readlink /proc/self/ns/net)" ] ||
	fail "exec did not change the network namespace"
expect_eq "same namespace via ip netns exec" "$("$NETNS" exec "$N" readlink /proc/self/ns/net)" \
	"$(ip netns exec "$N" readlink /proc/self/ns/net)"
"$NETNS" exec "$N" sh -c 'exit 7'; expect_eq "exit status passes through" 7 $?
"$NETNS" exec "$N" /nonexistent/cmd 2>/dev/null; expect_eq "missing command" 127 $?

# link names take lib/name's rule (the same as burrow-bridge's), refused
# before the kernel is asked: no DEL, no ':' or '/'
for bad in "lo$(printf '\177')" 'lo:1' 'a/b'; do
	out=$("$NETNS" link "$N" up "$bad" 2>&1) && fail "link up '$bad' succeeded"
	[[ $out == *"bad link name"* ]] || fail "link up '$bad': $out"
done

# configuration through netconf
check "addr add" "$NETNS" addr "$N" add lo 203.0.113.7/32
check "addr add v6" "$NETNS" addr "$N" add lo 2001:db8:7::7/128
ip -n "$N" -o addr show lo | grep -q 'inet 203.0.113.7/32' || fail "address not set"
out=$("$NETNS" addr "$N" add lo 203.0.113.7/32 2>&1) && fail "duplicate addr add succeeded"
[[ "$out" == *"netconf_addr_add(lo, 203.0.113.7/32) in $N: File exists"* ]] || fail "message: $out"
check "sysctl set" "$NETNS" sysctl "$N" net.ipv4.ip_forward=1
expect_eq "sysctl get" 1 "$("$NETNS" sysctl "$N" net/ipv4/ip_forward)"
expect_eq "sysctl in ns only" 1 "$(ip netns exec "$N" cat /proc/sys/net/ipv4/ip_forward)"
"$NETNS" link "$N" set-mtu 2>/dev/null; expect_eq "bad grammar exit status" 2 $?
"$NETNS" sysctl "$N" kernel.hostname=x 2>/dev/null; expect_eq "non-net sysctl refused" 2 $?

# delete: the name goes, ip netns agrees, nothing is left
check "delete" "$NETNS" delete "$N"
[ ! -e "/run/netns/$N" ] || fail "/run/netns/$N left behind"
ip netns list | grep -q "^$N\b" && fail "ip netns still lists $N"
"$NETNS" path "$N" 2>/dev/null && fail "path of a deleted namespace"
out=$("$NETNS" delete "$N" 2>&1) && fail "second delete succeeded"
[[ "$out" == *"no such network namespace"* ]] || fail "message: $out"
check "delete ip's namespace" "$NETNS" delete "$IPN"
[ ! -e "/run/netns/$IPN" ] || fail "/run/netns/$IPN left behind"

# what a create killed between making the mount point and mounting on it
# leaves: a plain file, listed as stale, refused by exec, removed by delete
: > "/run/netns/$N"
on_exit "rm -f /run/netns/$N"
"$NETNS" list | grep -qx "$N rootful /run/netns/$N stale" || fail "a plain file not stale: $("$NETNS" list)"
out=$("$NETNS" exec "$N" true 2>&1) && fail "exec in a plain file succeeded"
[[ $out == *"no namespace is mounted on /run/netns/$N"* ]] || fail "exec message: $out"
out=$("$NETNS" create "$N" 2>&1) && fail "create over a stale file succeeded"
[[ $out == *"already exists"* ]] || fail "create message: $out"
check "delete a stale file" "$NETNS" delete "$N"
[ ! -e "/run/netns/$N" ] || fail "/run/netns/$N left behind"
pass
