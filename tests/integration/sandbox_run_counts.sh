#!/bin/bash
# The harness itself: tests/run.sh counts what it ran.  In a fake tree with
# the real run.sh: a cmocka test binary with one passed, one failed and one
# skipped test counts 1/1/1 (each failure once, although cmocka lists it
# again at the end; the skip as a skip); a unit test source without its
# binary fails; integration tests exiting 0, 77 and 1 count as passed,
# skipped and failed; the adversarial tier (adv_*) gets its own line just
# before the final "N passed, N failed, N skipped" line, which stays last.
# Also: need_bin and need_cmd fail (never skip) for what is missing.
. "$(dirname "$0")/../lib/sandbox.sh"

F="$T_TMP/tree"
mkdir -p "$F/tests/unit" "$F/tests/integration" "$F/build/tests/unit"
cp "$TOP/tests/run.sh" "$F/tests/run.sh"
printf '#!/bin/sh\nexit 0\n' > "$F/tests/setup.sh"
chmod 0755 "$F/tests/setup.sh"
: > "$F/tests/unit/test_fake_mixed.c"
: > "$F/tests/unit/test_fake_unbuilt.c"
# cmocka 1.1's output for one passed, one failed and one skipped test
cat > "$F/build/tests/unit/test_fake_mixed" <<'EOF'
#!/bin/sh
cat <<'OUT'
[==========] Running 3 test(s).
[ RUN      ] good
[       OK ] good
[ RUN      ] bad
[  ERROR   ] --- 0x1 != 0x2
[   LINE   ] --- t.c:10: error: Failure!
[  FAILED  ] bad
[ RUN      ] later
[  SKIPPED ] later
[==========] 3 test(s) run.
[  PASSED  ] 1 test(s).
[  FAILED  ] 1 test(s), listed below:
[  FAILED  ] bad
[  SKIPPED ] 1 test(s), listed below:
[  SKIPPED ] later

 1 FAILED TEST(S)
OUT
exit 1
EOF
chmod 0755 "$F/build/tests/unit/test_fake_mixed"
printf 'exit 0\n' > "$F/tests/integration/adv_fake_ok.sh"
printf 'echo "SKIP: adv_fake_skip: no reason"; exit 77\n' > "$F/tests/integration/adv_fake_skip.sh"
printf 'exit 1\n' > "$F/tests/integration/adv_fake_bad.sh"
printf 'exit 0\n' > "$F/tests/integration/plain_fake_ok.sh"
printf 'echo "SKIP: plain_fake_skip: no reason"; exit 77\n' > "$F/tests/integration/plain_fake_skip.sh"

out=$(BUILD=build "$F/tests/run.sh" 2>&1)
rc=$?
[ $rc -ne 0 ] || fail "run.sh exited 0 with failures: $out"
grep -q '^FAIL unit test_fake_mixed (1 ok, 1 failed, 1 skipped)' <<<"$out" ||
	fail "cmocka counts: $out"
grep -q '^FAIL unit test_fake_unbuilt (not built' <<<"$out" || fail "unbuilt unit test not failed: $out"
expect_eq "last line" "3 passed, 3 failed, 3 skipped" "$(tail -n1 <<<"$out")"
expect_eq "adversarial line" "adversarial tier: 1 passed, 1 failed, 1 skipped" \
	"$(tail -n2 <<<"$out" | head -n1)"

# T=adv_ runs the tier alone (what make adversarial does)
out=$(BUILD=build "$F/tests/run.sh" adv_ 2>&1)
expect_eq "adv_ only, last line" "1 passed, 1 failed, 1 skipped" "$(tail -n1 <<<"$out")"
grep -q plain_fake <<<"$out" && fail "adv_ ran a test outside the tier: $out"

# need_bin: a program that is not built fails the test
cat > "$F/needbin.sh" <<'EOF'
. "$TOP/tests/lib/sandbox.sh"
need_bin burrow-no-such-program
pass
EOF
out=$(bash "$F/needbin.sh" 2>&1)
expect_eq "need_bin exit status ($out)" 1 $?
[[ $out == *"burrow-no-such-program is not built"* ]] || fail "need_bin message: $out"
# need_cmd: a package's command missing fails; a command or a path present passes
cat > "$F/needcmd.sh" <<'EOF'
. "$TOP/tests/lib/sandbox.sh"
need_cmd bash bash
need_cmd /bin/sh dash
need_cmd burrow-no-such-command some-package
pass
EOF
out=$(bash "$F/needcmd.sh" 2>&1)
expect_eq "need_cmd exit status ($out)" 1 $?
[[ $out == *"burrow-no-such-command is missing: Debian package some-package"* ]] ||
	fail "need_cmd message: $out"
pass
