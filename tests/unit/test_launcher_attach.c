// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_attach.c - detach key sequences: parsing (Podman syntax) and
 * scanning across reads */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/attach.h"

/* the scanner set to @spec */
static struct attach_keys keys(const char *spec)
{
	struct attach_keys k;
	char err[512];

	assert_int_equal(attach_parse_keys(spec, &k, err, sizeof(err)), 0);
	return k;
}

static void plain_input_passes(void **state)
{
	struct attach_keys k = keys(ATTACH_DEFAULT_KEYS);
	char out[32];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "ls -l\r", 6, out, &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "ls -l\r", 6);
}

static void detach_in_one_read(void **state)
{
	struct attach_keys k = keys(ATTACH_DEFAULT_KEYS);
	char out[32];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "ab\x10\x11zz", 6, out, &n), 1);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "ab", 2);
}

static void detach_split_across_reads(void **state)
{
	struct attach_keys k = keys(ATTACH_DEFAULT_KEYS);
	char out[32];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "x\x10", 2, out, &n), 0);
	assert_int_equal(n, 1);		/* ctrl-p held back */
	assert_int_equal(attach_scan_keys(&k, "\x11", 1, out, &n), 1);
	assert_int_equal(n, 0);
}

static void ctrl_p_alone_is_passed_on(void **state)
{
	struct attach_keys k = keys(ATTACH_DEFAULT_KEYS);
	char out[32];
	size_t n;

	(void)state;
	/* ctrl-p then another key: both go through, in order */
	assert_int_equal(attach_scan_keys(&k, "\x10", 1, out, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(attach_scan_keys(&k, "c", 1, out, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "\x10" "c", 2);
	/* ctrl-p ctrl-p ctrl-q: the first is passed, the pair detaches */
	assert_int_equal(attach_scan_keys(&k, "\x10\x10\x11", 3, out, &n), 1);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0x10);
}

static void parse_podman_syntax(void **state)
{
	struct attach_keys k;
	char err[512];

	(void)state;
	k = keys("ctrl-p,ctrl-q");
	assert_int_equal(k.len, 2);
	assert_memory_equal(k.seq, "\x10\x11", 2);
	k = keys("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,ctrl-a,ctrl-z,x,Q,~");
	assert_int_equal(k.len, 11);
	assert_memory_equal(k.seq, "\0\x1b\x1c\x1d\x1e\x1f\x01\x1ax" "Q~", 11);
	k = keys("");
	assert_int_equal(k.len, 0);
	/* each bad one says which key is wrong */
	assert_int_equal(attach_parse_keys("ctrl-1", &k, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'ctrl-1'"));
	assert_int_equal(attach_parse_keys("ctrl-p,qq", &k, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'qq'"));
	assert_int_equal(attach_parse_keys("ctrl-P", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(attach_parse_keys("ctrl-", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(attach_parse_keys("a,", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(attach_parse_keys(",a", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(attach_parse_keys("ctrl-p ctrl-q", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(attach_parse_keys("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", &k, err,
					   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "at most 16"));
}

static void custom_sequence_with_overlap(void **state)
{
	struct attach_keys k = keys("a,a,b");
	char out[64];
	size_t n;

	(void)state;
	/* "aaab": the first a goes through, the last three detach */
	assert_int_equal(attach_scan_keys(&k, "xaaab", 5, out, &n), 1);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "xa", 2);
	/* "aa" held across reads, then "c": all three go through */
	assert_int_equal(attach_scan_keys(&k, "aa", 2, out, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(attach_scan_keys(&k, "cab", 3, out, &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "aacab", 5);
}

static void no_sequence_passes_everything(void **state)
{
	struct attach_keys k = keys("");
	char out[32];
	size_t n;

	(void)state;
	assert_int_equal(attach_scan_keys(&k, "\x10\x11\x10", 3, out, &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\x10\x11\x10", 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_input_passes),
		cmocka_unit_test(detach_in_one_read),
		cmocka_unit_test(detach_split_across_reads),
		cmocka_unit_test(ctrl_p_alone_is_passed_on),
		cmocka_unit_test(parse_podman_syntax),
		cmocka_unit_test(custom_sequence_with_overlap),
		cmocka_unit_test(no_sequence_passes_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
