#!/bin/bash
# burrow-bridge's netavark face and the firewall driver an engine asks for,
# by NETAVARK_FW or --firewall-driver (which wins, as in netavark): unset,
# empty or nftables in any case is what burrow-bridge does; iptables,
# firewalld, none and unknown names are refused in netavark's words for an
# unknown driver, naming the value and where it came from, exit 1, with
# nothing set up.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a
NET=$(nv_net fnet bwf0 10.87.0.0/24 10.87.0.1)
A=$(nv_opts aaaa '[]' "$(nv_att fnet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'"

# refused WHERE VALUE ENV [OPTION]: an error JSON naming VALUE and WHERE
refused() {
	local where=$1 v=$2 out rc
	out=$(in_host env "$3" "$BRIDGE" ${4:-} --config "$BR_CFG" setup "$(ctr_path a)" <<<"$A"); rc=$?
	[ $rc -eq 1 ] || fail "$where=$v: exit $rc (want 1): $out"
	[[ "$out" == '{"error":"Must provide a valid firewall backend, got '"$v ($where)"* ]] ||
		fail "$where=$v: $out"
	no_trace
	in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 made for $where=$v"
	return 0
}
for v in iptables firewalld none bogus; do
	refused NETAVARK_FW "$v" NETAVARK_FW="$v"
	refused --firewall-driver "$v" NETAVARK_FW=nftables --firewall-driver="$v"
done
# teardown refuses it too, and changes nothing
out=$(NETAVARK_FW=iptables nv_teardown a "$A") && fail "teardown with NETAVARK_FW=iptables: $out"

# accepted: each sets the container up (the option wins over the variable)
for env in "NETAVARK_FW=nftables" "NETAVARK_FW=NFTables" "NETAVARK_FW=" \
	"NETAVARK_FW=iptables --firewall-driver=nftables"; do
	set -- $env
	out=$(in_host env "$1" "$BRIDGE" --config "$BR_CFG" ${2:-} setup "$(ctr_path a)" <<<"$A") ||
		fail "$env refused: $out"
	in_ctr a ip link show eth0 >/dev/null || fail "$env: no eth0"
	nv_teardown a "$A" >/dev/null || fail "$env: teardown"
	no_trace
done
pass
