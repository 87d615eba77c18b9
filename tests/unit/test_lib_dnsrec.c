// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_dnsrec.c - burrow-dns network records: parse, format round trip,
 * malformed files refused, save/load/remove in a folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dnsrec.h"

static const char sample[] =
	"# comment\n"
	"listen 10.77.0.1/24\n"
	"listen fd00:77::1/64\n"
	"internal 1\n"
	"upstream 203.0.113.53\n"
	"search dns.podman\n"
	"ctr aaaa 10.77.0.2 fd00:77::2 web,web.alias,aaaa1234 -\n"
	"ctr bbbb 10.77.0.3,10.77.0.4 - db 203.0.113.1,2001:db8::53\n";

static void parse_sample(void **state)
{
	struct dnsrec_net n;
	char err[128] = "", buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(dnsrec_init(&n, "wnet"), 0);
	assert_int_equal(dnsrec_parse(sample, strlen(sample), &n, err, sizeof(err)), 0);
	assert_int_equal(n.nlisten, 2);
	assert_int_equal(n.listen[0].prefix, 24);
	assert_int_equal(n.internal, 1);
	assert_int_equal(n.nup, 1);
	assert_string_equal(n.search, "dns.podman");
	assert_int_equal(n.nctr, 2);
	assert_string_equal(n.ctr[0].id, "aaaa");
	assert_int_equal(n.ctr[0].nnames, 3);
	assert_string_equal(n.ctr[0].names[1], "web.alias");
	assert_int_equal(n.ctr[0].n6, 1);
	assert_int_equal(n.ctr[0].nup, 0);
	assert_int_equal(n.ctr[1].n4, 2);
	assert_int_equal(n.ctr[1].n6, 0);
	assert_int_equal(n.ctr[1].nup, 2);
	assert_string_equal(addr_format(&n.ctr[1].ip4[1], buf, sizeof(buf)), "10.77.0.4");
	dnsrec_free(&n);
}

static void format_round_trip(void **state)
{
	struct dnsrec_net a, b;
	char *t1, *t2;
	size_t l1, l2;

	(void)state;
	dnsrec_init(&a, "wnet");
	dnsrec_init(&b, "wnet");
	assert_int_equal(dnsrec_parse(sample, strlen(sample), &a, NULL, 0), 0);
	t1 = dnsrec_format(&a, &l1);
	assert_non_null(t1);
	assert_int_equal(dnsrec_parse(t1, l1, &b, NULL, 0), 0);
	t2 = dnsrec_format(&b, &l2);
	assert_non_null(t2);
	assert_string_equal(t1, t2);
	free(t1);
	free(t2);
	dnsrec_free(&a);
	dnsrec_free(&b);
}

static void malformed_refused(void **state)
{
	static const char *bad[] = {
		"listen 10.77.0/24\n", "internal 2\n", "bogus 1\n", "listen\n",
		"ctr a 10.0.0.1\n", "ctr a fd00::1 - x -\n", "ctr a - - bad..name -\n",
		"ctr a - - x - extra\n", "search .x\n", "ctr - - - x -\n",
		"listen 1.2.3.4/24\nlisten 1.2.3.4/24\nlisten 1.2.3.4/24\nlisten 1.2.3.4/24\nlisten 1.2.3.4/24\n",
		"ctr a 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5 - x -\n",
		"upstream 1.2.3.4,5.6.7.8\n",
	};
	struct dnsrec_net n;
	char err[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dnsrec_init(&n, "x");
		err[0] = '\0';
		assert_int_equal(dnsrec_parse(bad[i], strlen(bad[i]), &n, err, sizeof(err)), -EINVAL);
		assert_true(strstr(err, "line") != NULL);
		dnsrec_free(&n);
	}
	dnsrec_init(&n, "x");
	assert_int_equal(dnsrec_parse("search a\0b\n", 11, &n, NULL, 0), -EINVAL);
	dnsrec_free(&n);
}

static void names_checked(void **state)
{
	struct dnsrec_net n;
	char longlabel[80];

	(void)state;
	assert_true(dnsrec_valid_host("web"));
	assert_true(dnsrec_valid_host("a.b-c.d_e"));
	assert_false(dnsrec_valid_host(""));
	assert_false(dnsrec_valid_host("a."));
	assert_false(dnsrec_valid_host(".a"));
	assert_false(dnsrec_valid_host("a b"));
	memset(longlabel, 'x', 64);
	longlabel[64] = '\0';
	assert_false(dnsrec_valid_host(longlabel));
	assert_true(dnsrec_valid_net("podman-1.x"));
	assert_false(dnsrec_valid_net("../x"));
	assert_false(dnsrec_valid_net(".x"));
	assert_false(dnsrec_valid_net("a/b"));
	assert_false(dnsrec_valid_net("-x"));	/* never an option word */
	assert_false(dnsrec_valid_net("--help"));
	assert_int_equal(dnsrec_init(&n, "-x"), -EINVAL);
}

static int count_cb(const struct dnsrec_net *n, void *data)
{
	*(size_t *)data += n->nctr;
	return 0;
}

static void folder_lifecycle(void **state)
{
	char dir[] = "/tmp/test_lib_dnsrec.XXXXXX", path[PATH_MAX];
	struct dnsrec_net n;
	struct dnsrec_ctr c;
	size_t total = 0;
	int left = -1, lk;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("BURROW_DNS_DIR", dir, 1);
	assert_int_equal(dnsrec_dir(path, sizeof(path)), 0);
	assert_string_equal(path, dir);
	lk = dnsrec_lock(dir, 1);
	assert_true(lk >= 0);
	assert_int_equal(dnsrec_load(dir, "n1", &n), -ENOENT);
	dnsrec_init(&n, "n1");
	cidr_parse("10.1.0.1/24", &n.listen[n.nlisten++]);
	memset(&c, 0, sizeof(c));
	strcpy(c.id, "c1");
	addr_parse("10.1.0.2", &c.ip4[c.n4++]);
	strcpy(c.names[c.nnames++], "one");
	assert_int_equal(dnsrec_ctr_put(&n, &c), 0);
	strcpy(c.id, "c2");
	assert_int_equal(dnsrec_ctr_put(&n, &c), 0);
	assert_int_equal(dnsrec_ctr_put(&n, &c), 0);	/* replaced, not added */
	assert_int_equal(n.nctr, 2);
	assert_int_equal(dnsrec_save(dir, &n), 0);
	dnsrec_free(&n);
	dnsrec_init(&n, "n2");
	assert_int_equal(dnsrec_ctr_put(&n, &c), 0);
	assert_int_equal(dnsrec_save(dir, &n), 0);
	dnsrec_free(&n);

	assert_int_equal(dnsrec_for_each(dir, count_cb, &total), 0);
	assert_int_equal(total, 3);
	assert_int_equal(dnsrec_remove_ctr(dir, "c2", &left), 2);
	assert_int_equal(left, 1);			/* n2 went with its only member */
	snprintf(path, sizeof(path), "%s/n2.net", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(dnsrec_remove_ctr(dir, "c1", &left), 1);
	assert_int_equal(left, 0);
	assert_int_equal(dnsrec_remove_ctr(dir, "c1", &left), 0);
	close(lk);
	snprintf(path, sizeof(path), "%s/.lock", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	unsetenv("BURROW_DNS_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_sample),
		cmocka_unit_test(format_round_trip),
		cmocka_unit_test(malformed_refused),
		cmocka_unit_test(names_checked),
		cmocka_unit_test(folder_lifecycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
