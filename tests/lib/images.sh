# shellcheck shell=bash
# images.sh - helpers for the image tests (source after sandbox.sh and launcher.sh)
#   images_registry_start    Debian's docker-registry on 127.0.0.1:$REG_PORT in the
#                            sandbox host namespace, storage in $T_TMP/registry, http
#   images_layout DIR ARGS   an OCI layout (tests/lib/mkoci.py DIR ARGS...)
#   images_push LAYOUT NAME  push it to the registry as NAME:latest (skopeo)
#   STORE_R, STORE_U         per-test stores for root and the test user
MKOCI="$TOP/tests/lib/mkoci.py"
STORE_R="$T_TMP/store-root"
STORE_U="$T_TMP/store-user"
REG_PORT=5000

images_registry_start() {
	need_cmd docker-registry docker-registry
	need_cmd skopeo skopeo
	mkdir -p "$T_TMP/registry"
	cat > "$T_TMP/registry.yml" <<EOC
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $T_TMP/registry
http:
  addr: 127.0.0.1:$REG_PORT
EOC
	in_host docker-registry serve "$T_TMP/registry.yml" >"$T_TMP/registry.log" 2>&1 &
	REG_PID=$!
	on_exit "kill $REG_PID 2>/dev/null; wait $REG_PID 2>/dev/null"
	wait_port in_host 127.0.0.1 "$REG_PORT" || fail "docker-registry did not start: $(cat "$T_TMP/registry.log")"
	REG="127.0.0.1:$REG_PORT"
}

images_layout() {
	local out=$1; shift
	python3 "$MKOCI" "$out" "$@" >/dev/null || fail "mkoci.py $out $* failed"
	chmod -R a+rX "$out"
}

images_push() {
	in_host skopeo copy -q --dest-tls-verify=false "oci:$1:latest" "docker://$REG/$2:latest" ||
		fail "skopeo push of $1 to $REG/$2 failed"
}

# b_root ARGS / b_user ARGS: burrow as root / as the test user, each with its store
b_root() { in_host env BURROW_STORAGE_DIR="$STORE_R" "$BIN/burrow" "$@"; }
b_user() { as_user env BURROW_STORAGE_DIR="$STORE_U" "$BIN/burrow" "$@"; }
images_stores() {
	mkdir -p "$STORE_R" "$STORE_U"
	chown "$TEST_USER:" "$STORE_U"
	on_exit "b_root system prune >/dev/null 2>&1; b_user system prune >/dev/null 2>&1; b_user image prune >/dev/null 2>&1"
}
