// SPDX-License-Identifier: GPL-2.0-or-later
/* test_lib_portspec.c - podman -p and pasta -t/-u specs: accepted forms,
 * refused forms with their error text, formatting and overlap */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "portspec.h"

/* parse @spec podman-style and expect it to print as @printed */
static void podman_ok(const char *spec, const char *printed)
{
	struct port_fwd f;
	char err[256] = "", buf[128];

	if (portspec_parse(spec, &f, err, sizeof(err)))
		fail_msg("'%s' refused: %s", spec, err);
	assert_string_equal(portspec_format(&f, buf, sizeof(buf)), printed);
}

/* expect @spec to be refused with an error containing @needle */
static void podman_bad(const char *spec, const char *needle)
{
	struct port_fwd f;
	char err[256] = "";

	if (portspec_parse(spec, &f, err, sizeof(err)) != -EINVAL)
		fail_msg("'%s' accepted", spec);
	if (!strstr(err, needle))
		fail_msg("'%s': error '%s' lacks '%s'", spec, err, needle);
}

static void podman_accepted(void **state)
{
	struct port_fwd f;
	char err[128];

	(void)state;
	podman_ok("80", "80:80/tcp");
	podman_ok("8080:80", "8080:80/tcp");
	podman_ok("8080:80/udp", "8080:80/udp");
	podman_ok("127.0.0.1:8080:80", "127.0.0.1:8080:80/tcp");
	podman_ok("[::1]:8080:80/tcp", "[::1]:8080:80/tcp");
	podman_ok("[2001:db8::1]:1:65535", "[2001:db8::1]:1:65535/tcp");
	podman_ok("8000-8010:9000-9010", "8000-8010:9000-9010/tcp");
	podman_ok("8000-8010", "8000-8010:8000-8010/tcp");
	podman_ok("1-65535:1-65535/udp", "1-65535:1-65535/udp");
	podman_ok("0.0.0.0:53:53/udp", "0.0.0.0:53:53/udp");

	assert_int_equal(portspec_parse("[::1]:8080:80/udp", &f, err, sizeof(err)), 0);
	assert_int_equal(f.proto, IPPROTO_UDP);
	assert_int_equal(f.host_addr.family, AF_INET6);
	assert_int_equal(f.host_port, 8080);
	assert_int_equal(f.guest_port, 80);
	assert_int_equal(f.count, 1);
	assert_int_equal(portspec_parse("1-65535", &f, err, sizeof(err)), 0);
	assert_int_equal(f.count, 65535);
	assert_int_equal(f.host_addr.family, 0);
}

static void podman_refused(void **state)
{
	(void)state;
	podman_bad("", "empty");
	podman_bad("70000", "port 70000 out of range");
	podman_bad("8080:70000", "port 70000 out of range in '8080:70000'");
	podman_bad("0:80", "port 0 out of range");
	podman_bad("99999999999999999999:80", "out of range");
	podman_bad("080:80", "bad port '080'");
	podman_bad("-1:80", "bad port");
	podman_bad("+80", "bad port");
	podman_bad("127.0.0.1::80", "no random host port");
	podman_bad(":8080:80", "empty host address");
	podman_bad(":80", "no random host port");
	podman_bad("8080:", "missing port");
	podman_bad("8080:80/tcp,udp", "protocol 'tcp,udp' not supported");
	podman_bad("8080:80/sctp", "protocol 'sctp'");
	podman_bad("8080:80/TCP", "protocol 'TCP'");
	podman_bad("8080:80/", "protocol ''");
	podman_bad("8080:80/tcp/udp", "protocol");
	podman_bad("::1:8080:80", "brackets");
	podman_bad("[::1]8080:80", "bracketed");
	podman_bad("[::1:8080:80", "bracketed");
	podman_bad("[203.0.113.1]:8080:80", "bad address '[203.0.113.1]'");
	podman_bad("[::1]:80", "missing container port");
	podman_bad("203.0.113.300:8080:80", "bad address '203.0.113.300'");
	podman_bad("localhost:8080:80", "bad address 'localhost'");
	podman_bad("8000-8010:9000-9005", "differ in length");
	podman_bad("8000-8010:80", "differ in length");
	podman_bad("80:9000-9001", "differ in length");
	podman_bad("8010-8000:8010-8000", "reversed port range '8010-8000'");
	podman_bad("80-:80", "bad port");
	podman_bad("8080 :80", "invalid character 0x20");
	podman_bad("8080:80\n", "invalid character 0x0a");
	podman_bad("8080:\x01", "invalid character 0x01");
	podman_bad("1:2:3:4", "too many ':'");
}

static void error_text_is_bounded_and_printable(void **state)
{
	char spec[6000], err[512], small[8];
	struct port_fwd f;
	size_t i;

	(void)state;
	memset(spec, '9', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	assert_int_equal(portspec_parse(spec, &f, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "longer than"));
	assert_true(strlen(err) < 200);
	spec[100] = '\0';
	assert_int_equal(portspec_parse(spec, &f, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "...'"));
	assert_int_equal(portspec_parse("8080:\x7f", &f, err, sizeof(err)), -EINVAL);
	for (i = 0; err[i]; i++)
		assert_true(err[i] >= 0x20 && err[i] < 0x7f);
	/* tiny and absent error buffers are fine */
	assert_int_equal(portspec_parse("x", &f, small, sizeof(small)), -EINVAL);
	assert_true(strlen(small) < sizeof(small));
	assert_int_equal(portspec_parse("x", &f, NULL, 0), -EINVAL);
}

/* parse @spec pasta-style (TCP) and expect the forwards printed in @want */
static void pasta_ok(const char *spec, int n, const char *const *want)
{
	struct port_fwd f[16];
	char err[256] = "", buf[128];
	int i, rc = portspec_parse_pasta(spec, IPPROTO_TCP, f, 16, err, sizeof(err));

	if (rc != n)
		fail_msg("'%s': %d forwards, expected %d (%s)", spec, rc, n, err);
	for (i = 0; i < n; i++)
		assert_string_equal(portspec_format(&f[i], buf, sizeof(buf)), want[i]);
}

static void pasta_bad(const char *spec, const char *needle)
{
	struct port_fwd f[16];
	char err[256] = "";

	if (portspec_parse_pasta(spec, IPPROTO_TCP, f, 16, err, sizeof(err)) != -EINVAL)
		fail_msg("'%s' accepted", spec);
	if (!strstr(err, needle))
		fail_msg("'%s': error '%s' lacks '%s'", spec, err, needle);
}

static void pasta_accepted(void **state)
{
	(void)state;
	pasta_ok("none", 0, NULL);
	pasta_ok("22", 1, (const char *const[]){ "22:22/tcp" });
	pasta_ok("22:23", 1, (const char *const[]){ "22:23/tcp" });
	pasta_ok("22,25", 2, (const char *const[]){ "22:22/tcp", "25:25/tcp" });
	pasta_ok("22-80", 1, (const char *const[]){ "22-80:22-80/tcp" });
	pasta_ok("22-80:32-90", 1, (const char *const[]){ "22-80:32-90/tcp" });
	pasta_ok("203.0.113.1/22", 1, (const char *const[]){ "203.0.113.1:22:22/tcp" });
	pasta_ok("2001:db8::1/22", 1, (const char *const[]){ "[2001:db8::1]:22:22/tcp" });
	pasta_ok("[::1]/22", 1, (const char *const[]){ "[::1]:22:22/tcp" });
	pasta_ok("2000-5000,~3000-3010", 2,
		 (const char *const[]){ "2000-2999:2000-2999/tcp", "3011-5000:3011-5000/tcp" });
	/* exclusions may come first and apply to every item; the address too */
	pasta_ok("203.0.113.1/~25,20-30", 2,
		 (const char *const[]){ "203.0.113.1:20-24:20-24/tcp", "203.0.113.1:26-30:26-30/tcp" });
	/* a mapped range keeps its offset across the hole */
	pasta_ok("100-110:200-210,~100,~105,~110", 2,
		 (const char *const[]){ "101-104:201-204/tcp", "106-109:206-209/tcp" });
	pasta_ok("65535,1", 2, (const char *const[]){ "65535:65535/tcp", "1:1/tcp" });
}

static void pasta_refused(void **state)
{
	struct port_fwd f[2];
	char err[256];

	(void)state;
	pasta_bad("all", "'all' not supported");
	pasta_bad("auto", "'auto' not supported");
	pasta_bad("~20000-20010", "only exclusions");
	pasta_bad("", "empty");
	pasta_bad("22,", "empty item");
	pasta_bad(",22", "missing port");
	pasta_bad("22,,25", "missing port");
	pasta_bad("~", "missing port");
	pasta_bad("0", "port 0 out of range");
	pasta_bad("65536", "port 65536 out of range in '65536'");
	pasta_bad("22-80:32-91", "differ in length");
	pasta_bad("22:", "missing port");
	pasta_bad("80-22", "reversed");
	pasta_bad("22,22", "port 22 given twice");
	pasta_bad("20-30,25", "port 25 given twice");
	pasta_bad("20-30,~25,~25", "overlapping exclusions at port 25");
	pasta_bad("22,~22", "every listed port is excluded");
	pasta_bad("203.0.113.1%eth0/22", "interface");
	pasta_bad("%eth0/22", "interface");
	pasta_bad("/22", "bad address ''");
	pasta_bad("203.0.113.1/22,203.0.113.2/23", "only one address");
	pasta_bad("host/22", "bad address 'host'");
	pasta_bad("22 ", "invalid character");
	pasta_bad("22;25", "bad port '22;25'");
	pasta_bad("22:23:24", "bad port '23:24'");
	pasta_bad("none,22", "bad port 'none'");

	assert_int_equal(portspec_parse_pasta("22", 132, f, 2, err, sizeof(err)), -EINVAL);
	/* table too small */
	assert_int_equal(portspec_parse_pasta("1,2,3", IPPROTO_UDP, f, 2, err, sizeof(err)),
			 -ENOSPC);
	assert_non_null(strstr(err, "more than 2 forwards"));
	assert_int_equal(portspec_parse_pasta("1-10,~5", IPPROTO_UDP, f, 1, err, sizeof(err)),
			 -ENOSPC);
	assert_int_equal(portspec_parse_pasta("1-10,~5", IPPROTO_UDP, f, 2, err, sizeof(err)), 2);
	assert_int_equal(f[1].proto, IPPROTO_UDP);
	assert_int_equal(f[1].count, 5);
}

/* parse a podman spec, for the overlap table */
static struct port_fwd fwd(const char *spec)
{
	struct port_fwd f;
	char err[128];

	if (portspec_parse(spec, &f, err, sizeof(err)))
		fail_msg("%s", err);
	return f;
}

static void overlap(void **state)
{
	static const struct {
		const char *a, *b;
		int overlap;
	} cases[] = {
		{ "8080:80", "8080:81", 1 },
		{ "8080:80", "8081:80", 0 },
		{ "8080:80", "8080:80/udp", 0 },
		{ "8000-8010:8000-8010", "8010-8020:1-11", 1 },
		{ "8000-8010:8000-8010", "8011-8020:1-10", 0 },
		{ "127.0.0.1:8080:80", "127.0.0.2:8080:80", 0 },
		{ "127.0.0.1:8080:80", "127.0.0.1:8080:90", 1 },
		{ "127.0.0.1:8080:80", "8080:80", 1 },
		{ "0.0.0.0:8080:80", "127.0.0.1:8080:80", 1 },
		{ "0.0.0.0:8080:80", "[::1]:8080:80", 0 },
		{ "[::]:8080:80", "127.0.0.1:8080:80", 1 },
		{ "[::1]:8080:80", "127.0.0.1:8080:80", 0 },
		{ "[::1]:8080:80", "[::1]:8080:80", 1 },
		{ "[::1]:1-65535:1-65535", "65535:1", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct port_fwd a = fwd(cases[i].a), b = fwd(cases[i].b);

		if (!!portspec_overlap(&a, &b) != cases[i].overlap ||
		    !!portspec_overlap(&b, &a) != cases[i].overlap)
			fail_msg("%s vs %s: expected overlap=%d", cases[i].a, cases[i].b,
				 cases[i].overlap);
	}
}

static void format_reparses(void **state)
{
	static const char *const specs[] = {
		"80", "[2001:db8::7]:1-100:1001-1100/udp", "198.51.100.1:53:5353/udp",
	};
	struct port_fwd a, b;
	char err[128], buf[128], tiny[5];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		assert_int_equal(portspec_parse(specs[i], &a, err, sizeof(err)), 0);
		assert_int_equal(portspec_parse(portspec_format(&a, buf, sizeof(buf)), &b,
						err, sizeof(err)), 0);
		assert_int_equal(a.proto, b.proto);
		assert_true(addr_equal(&a.host_addr, &b.host_addr));
		assert_int_equal(a.host_port, b.host_port);
		assert_int_equal(a.guest_port, b.guest_port);
		assert_int_equal(a.count, b.count);
	}
	portspec_format(&a, tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(podman_accepted),
		cmocka_unit_test(podman_refused),
		cmocka_unit_test(error_text_is_bounded_and_printable),
		cmocka_unit_test(pasta_accepted),
		cmocka_unit_test(pasta_refused),
		cmocka_unit_test(overlap),
		cmocka_unit_test(format_reparses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
