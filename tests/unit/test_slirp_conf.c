// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_conf.c - --outbound-addr parsing (address, zoned address or
 * interface), the start-up check that it can be bound, and binding outbound
 * sockets to it, except towards the host's loopback */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "slirp/conf.h"

static void test_outbound_parse(void **state)
{
	struct slirp_conf conf;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	conf_defaults(&conf);
	assert_int_equal(conf.out4.sin_family, 0);
	assert_int_equal(conf.out6.sin6_family, 0);
	assert_int_equal(conf.splice, 0);	/* frames unless --splice */
	assert_int_equal(conf_set_outbound(&conf, AF_INET, "198.51.100.7"), 0);
	assert_int_equal(conf.out4.sin_family, AF_INET);
	assert_string_equal(inet_ntop(AF_INET, &conf.out4.sin_addr, buf, sizeof(buf)),
			    "198.51.100.7");
	assert_int_equal(conf_set_outbound(&conf, AF_INET6, "2001:db8::7"), 0);
	assert_int_equal(conf.out6.sin6_family, AF_INET6);
	/* an interface: its address (lo always has 127.0.0.1) */
	assert_int_equal(conf_set_outbound(&conf, AF_INET, "lo"), 0);
	assert_string_equal(inet_ntop(AF_INET, &conf.out4.sin_addr, buf, sizeof(buf)),
			    "127.0.0.1");
	assert_true(conf_set_outbound(&conf, AF_INET, "nosuchif0") < 0);
	assert_true(conf_set_outbound(&conf, AF_INET, "") < 0);
	assert_true(conf_set_outbound(&conf, AF_INET, "an-interface-name-far-too-long") < 0);
	assert_true(conf_set_outbound(&conf, AF_INET6, "198.51.100.7") < 0);
}

static void bound_to(const struct slirp_conf *conf, const char *dst, const char *want)
{
	struct sockaddr_in d = { .sin_family = AF_INET, .sin_port = htons(9) }, l;
	socklen_t ll = sizeof(l);
	char buf[INET_ADDRSTRLEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	inet_pton(AF_INET, dst, &d.sin_addr);
	assert_int_equal(conf_bind_outbound(conf, fd, (struct sockaddr *)&d), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&l, &ll), 0);
	assert_string_equal(inet_ntop(AF_INET, &l.sin_addr, buf, sizeof(buf)), want);
	close(fd);
}

static void test_outbound_bind(void **state)
{
	struct slirp_conf conf;

	(void)state;
	conf_defaults(&conf);
	bound_to(&conf, "198.51.100.2", "0.0.0.0");	/* not set: left alone */
	assert_int_equal(conf_set_outbound(&conf, AF_INET, "127.0.0.1"), 0);
	bound_to(&conf, "198.51.100.2", "127.0.0.1");
	assert_int_equal(conf_set_outbound(&conf, AF_INET, "127.0.0.3"), 0);
	bound_to(&conf, "127.0.0.1", "0.0.0.0");	/* the host's loopback: left alone */
}

static void test_outbound_check(void **state)
{
	struct slirp_conf conf;
	char err[256];

	(void)state;
	conf_defaults(&conf);
	assert_int_equal(conf_check_outbound(&conf, err, sizeof(err)), 0);	/* none set */
	assert_int_equal(conf_set_outbound(&conf, AF_INET, "127.0.0.1"), 0);
	assert_int_equal(conf_check_outbound(&conf, err, sizeof(err)), 0);
	/* a documentation address is no host's: refused by name */
	assert_int_equal(conf_set_outbound(&conf, AF_INET, "198.51.100.7"), 0);
	assert_int_equal(conf_check_outbound(&conf, err, sizeof(err)), -EADDRNOTAVAIL);
	assert_non_null(strstr(err, "--outbound-addr: bind(198.51.100.7): "));
	conf_defaults(&conf);
	assert_int_equal(conf_set_outbound(&conf, AF_INET6, "fe80::1"), 0);
	assert_int_equal(conf_check_outbound(&conf, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "ADDR%IFNAME"));
	/* a zone: the interface's index */
	assert_int_equal(conf_set_outbound(&conf, AF_INET6, "fe80::1%lo"), 0);
	assert_true(conf.out6.sin6_scope_id > 0);
	assert_true(conf_set_outbound(&conf, AF_INET6, "fe80::1%nosuchif0") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbound_parse),
		cmocka_unit_test(test_outbound_bind),
		cmocka_unit_test(test_outbound_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
