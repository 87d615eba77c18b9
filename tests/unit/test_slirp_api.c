// SPDX-License-Identifier: GPL-2.0-or-later
/* test_slirp_api.c - the API's request handling: malformed requests get error
 * replies, never a crash; refused arguments never reach a socket */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_list_empty),
		cmocka_unit_test(test_binary_garbage),
	};

	conf_defaults(&c.conf);
	c.epoll_fd = -1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
