#!/bin/bash
# burrow-bridge refuses bad input with netavark's error JSON naming the field,
# a non-zero exit, and no change: malformed JSON, wrong types, a bad prefix,
# a subnet over a host route, a static address outside the subnet, a missing
# namespace, a forward from ::1.  --help and --version work.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a
"$BRIDGE" --help | grep -q "setup|teardown NETNS" || fail "--help"
"$BRIDGE" --version | grep -q "^burrow-bridge " || fail "--version"
"$BRIDGE" version | grep -q '"version":' || fail "version command"

NET=$(nv_net enet bw8 10.86.0.0/24 10.86.0.1)
GOOD=$(nv_opts aaaa '[]' "$(nv_att enet eth0 '')" "$NET")
# refused INPUT EXPECTED-SUBSTRING [NETNS]
refused() {
	local out rc
	out=$(in_host "$BRIDGE" --config "$BR_CFG" setup "${3:-$(ctr_path a)}" <<<"$1")
	rc=$?
	[ $rc -ne 0 ] || fail "accepted: $1"
	[[ "$out" == '{"error":"'*'"}' ]] || fail "not an error JSON: $out"
	[[ "$out" == *"$2"* ]] || fail "error does not say '$2': $out"
	no_trace
	in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "eth0 made for: $1"
	return 0
}
refused '{"container_id": "aaaa", ' 'invalid JSON'
refused '[1,2]' 'options: expected object, got array'
refused "${GOOD/'"port_mappings":[]'/'"port_mappings":"80:80"'}" 'options.port_mappings: expected array, got string'
refused "${GOOD/'"port_mappings":[]'/'"port_mappings":[{"container_port":"80","host_port":8080}]'}" \
	'port_mappings[0].container_port: expected integer, got string'
refused "${GOOD/'"port_mappings":[]'/'"port_mappings":[{"container_port":80,"host_port":70000}]'}" \
	'port_mappings[0].host_port: 70000 out of range'
refused "${GOOD/'"port_mappings":[]'/'"port_mappings":[{"container_port":80,"protocol":"icmp"}]'}" \
	"port_mappings[0].protocol: unknown protocol 'icmp'"
# IPv6 has no route_localnet: a forward from ::1 could never work
refused "${GOOD/'"port_mappings":[]'/'"port_mappings":[{"host_ip":"::1","container_port":80,"host_port":8080}]'}" \
	'port_mappings[0].host_ip: ::1 cannot be forwarded to a container'
refused "${GOOD/'"interface_name":"eth0"'/'"interface_name":7'}" 'networks.enet.interface_name: expected string, got integer'
refused "${GOOD/10.86.0.0\/24/10.86.0.0/33}" "network_info.enet.subnets[0].subnet: bad prefix '10.86.0.0/33'"
refused "${GOOD/'"static_ips":[]'/'"static_ips":["10.99.0.2"]'}" 'networks.enet.static_ips[0]: not in any subnet'
refused "${GOOD/'"container_id":"aaaa"'/'"container_id":"../../etc"'}" "container_id: bad container ID"
refused "$(nv_opts aaaa '[]' "$(nv_att hnet eth0 '')" "$(nv_net hnet bw9 198.51.100.0/25 198.51.100.126)")" \
	'network_info.hnet.subnets[0].subnet: 198.51.100.0/25 overlaps a host route on eth0'
refused "$GOOD" "netns: open(/run/netns/${T_ID}nope): No such file or directory" "/run/netns/${T_ID}nope"
out=$(in_host "$BRIDGE" --config "$BR_CFG" frobnicate x </dev/null) && fail "unknown command accepted"
[[ "$out" == *"unknown command 'frobnicate'"* ]] || fail "unknown command: $out"

# and the good input works
out=$(nv_setup a "$GOOD") || fail "good input refused: $out"
nv_teardown a "$GOOD" >/dev/null || fail "teardown"
no_trace
pass
