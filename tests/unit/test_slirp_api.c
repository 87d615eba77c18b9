// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_api.c - the API's request handling: malformed requests get error
 * replies, never a crash; refused arguments never reach a socket; a client
 * that sends half a request never blocks the loop and gets a timeout reply */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "slirp/api.h"
#include "slirp/conf.h"

static struct ctx c;

static json_t *ask(const char *req)
{
	return api_handle(&c, req, strlen(req));
}

static void expect_error(const char *req, const char *words)
{
	json_t *r = ask(req);
	json_t *e = json_object_get(r, "error");
	const char *desc = json_string_value(json_object_get(e, "desc"));

	assert_non_null(desc);
	if (words && !strstr(desc, words))
		fail_msg("'%s': '%s' does not mention '%s'", req, desc, words);
	json_decref(r);
}

static void test_malformed(void **state)
{
	static const char *bad[] = {
		"", "{", "not json", "[]", "42", "null", "{\"execute\":42}",
		"{\"execute\":\"add_hostfwd\"}",
		"{\"execute\":\"add_hostfwd\",\"arguments\":[]}",
		"{\"execute\":\"add_hostfwd\",\"arguments\":{\"host_port\":\"80\",\"guest_port\":80}}",
		"{\"execute\":\"add_hostfwd\",\"arguments\":{\"host_port\":70000,\"guest_port\":80}}",
		"{\"execute\":\"add_hostfwd\",\"arguments\":{\"host_port\":8080}}",
		"{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":\"1\"}}",
		"{\"execute\":\"remove_hostfwd\"}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(bad[i], NULL);
	expect_error("{\"execute\":\"frobnicate\"}", "frobnicate");
	expect_error("{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"sctp\","
		     "\"host_port\":8080,\"guest_port\":80}}", "sctp");
	expect_error("{\"execute\":\"add_hostfwd\",\"arguments\":{\"host_addr\":\"1.2.3\","
		     "\"host_port\":8080,\"guest_port\":80}}", "host_addr");
	expect_error("{\"execute\":\"add_hostfwd\",\"arguments\":{\"guest_addr\":\"10.0.2.99\","
		     "\"host_port\":8080,\"guest_port\":80}}", "guest_addr");
	expect_error("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":7}}", "7");
}

static void test_list_empty(void **state)
{
	json_t *r = ask("{\"execute\":\"list_hostfwd\"}");
	json_t *ent = json_object_get(json_object_get(r, "return"), "entries");

	(void)state;
	assert_true(json_is_array(ent));
	assert_int_equal(json_array_size(ent), 0);
	json_decref(r);
}

static void test_binary_garbage(void **state)
{
	char buf[API_REQ_MAX];
	size_t i;
	json_t *r;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 37 + 11);
	r = api_handle(&c, buf, sizeof(buf));
	assert_non_null(json_object_get(r, "error"));
	json_decref(r);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Dispatch what epoll reports for up to @ms, like the loop does */
static void run_loop(int ms)
{
	uint64_t end = clock_ms() + (uint64_t)ms;

	while (clock_ms() < end) {
		struct epoll_event evs[16];
		int n = epoll_wait(c.epoll_fd, evs, 16, 10), i;

		c.now_ms = clock_ms();
		for (i = 0; i < n; i++) {
			uint64_t ref = evs[i].data.u64;

			if ((ref >> 32) == EP_API)
				api_event(&c);
			else if ((ref >> 32) == EP_API_CLIENT)
				api_client_event(&c, (int)(uint32_t)ref, evs[i].events);
		}
		api_timer(&c);
	}
}

static void test_stuck_client(void **state)
{
	char dir[] = "/tmp/test_slirp_api.XXXXXX", path[64], buf[512];
	int stuck, ok, i;
	uint64_t t0;
	ssize_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/api.sock", dir);
	c.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	assert_true(c.epoll_fd >= 0);
	c.now_ms = clock_ms();
	assert_int_equal(api_init(&c, path), 0);

	stuck = connect_to(path);
	assert_int_equal(write(stuck, "{\"execute\":\"list_", 17), 17);
	ok = connect_to(path);
	assert_int_equal(write(ok, "{\"execute\":\"list_hostfwd\"}", 26), 26);
	shutdown(ok, SHUT_WR);
	t0 = clock_ms();
	run_loop(100);		/* served although the first client waits */
	n = read(ok, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = 0;
	assert_non_null(strstr(buf, "\"entries\""));
	assert_true(clock_ms() - t0 < 1000);
	close(ok);

	for (i = 0; i < 30 && (n = recv(stuck, buf, sizeof(buf) - 1, MSG_DONTWAIT)) < 0; i++)
		run_loop(100);	/* the stuck client's deadline: about a second */
	assert_true(n > 0);
	buf[n] = 0;
	assert_non_null(strstr(buf, "timeout"));
	close(stuck);
	api_cleanup();
	close(c.epoll_fd);
	c.epoll_fd = -1;
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_list_empty),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_stuck_client),
	};

	conf_defaults(&c.conf);
	c.epoll_fd = -1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
