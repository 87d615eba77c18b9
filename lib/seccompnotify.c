// SPDX-License-Identifier: GPL-2.0-or-later
/* seccompnotify.c - the seccomp rules of burrow-bypass in an OCI profile */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "seccompnotify.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *const notified[] = { "connect", "bind", "sendmsg", "sendmmsg", "sendto" };
static const char *const refused[] = { "io_uring_setup", "io_uring_enter", "io_uring_register" };

/* 1 (and its bit in @seen) for a notified call, 2 for a refused one, else 0 */
static int is_ours(const char *name, unsigned *seen)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(notified); i++)
		if (!strcmp(name, notified[i])) {
			*seen |= 1u << i;
			return 1;
		}
	for (i = 0; i < ARRAY_LEN(refused); i++)
		if (!strcmp(name, refused[i]))
			return 2;
	return 0;
}

/* an empty array or object, or absent */
static int empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_array(v) && !json_array_size(v)) ||
	       (json_is_object(v) && !json_object_size(v));
}

/* whether rule @r allows its calls whatever their arguments and capabilities */
static int allows_always(json_t *r)
{
	const char *a = json_string_value(json_object_get(r, "action"));

	return a && !strcmp(a, "SCMP_ACT_ALLOW") && empty(json_object_get(r, "args")) &&
	       empty(json_object_get(r, "includes")) && empty(json_object_get(r, "excludes"));
}

/*
 * take our names out of rule @r (its "names" array, or an old-style "name");
 * a notified call in a rule that does not always allow it is an error.
 * Return: names left in the rule, or -EINVAL
 */
static int rule_strip(json_t *r, size_t idx, unsigned *allowed, char *err, size_t errlen)
{
	json_t *names = json_object_get(r, "names"), *one = json_object_get(r, "name");
	size_t i, left = 0;

	for (i = json_array_size(names); i-- > 0;) {
		const char *n = json_string_value(json_array_get(names, i));
		unsigned seen = 0;
		int k = n ? is_ours(n, &seen) : 0;

		if (k == 1 && !allows_always(r)) {
			snprintf(err, errlen, "seccomp profile: syscalls[%zu] does not simply allow "
				 "%s: bypass would override it", idx, n);
			return -EINVAL;
		}
		*allowed |= seen;
		if (k)
			json_array_remove(names, i);
		else
			left++;
	}
	if (json_is_string(one)) {
		unsigned seen = 0;
		int k = is_ours(json_string_value(one), &seen);

		if (k == 1 && !allows_always(r)) {
			snprintf(err, errlen, "seccomp profile: syscalls[%zu] does not simply allow "
				 "%s: bypass would override it", idx, json_string_value(one));
			return -EINVAL;
		}
		*allowed |= seen;
		if (k)
			json_object_del(r, "name");
		else
			left++;
	}
	return (int)left;
}

/* the rules we add, in profile syntax */
static json_t *our_rules(void)
{
	json_t *rules = json_array();
	size_t i;

	for (i = 0; rules && i < ARRAY_LEN(notified) - 1; i++)	/* all but sendto */
		if (json_array_append_new(rules, json_pack("{s:[s],s:s}", "names", notified[i],
							   "action", "SCMP_ACT_NOTIFY")) < 0)
			break;
	if (!rules || i < ARRAY_LEN(notified) - 1)
		goto fail;
	/* sendto without a destination (send() on a connected socket, the
	 * bulk of TCP) never stops at the agent */
	if (rules && json_array_append_new(rules, json_pack("{s:[s],s:s,s:[{s:i,s:i,s:s}]}",
			"names", "sendto", "action", "SCMP_ACT_NOTIFY",
			"args", "index", 4, "value", 0, "op", "SCMP_CMP_NE")) == 0 &&
	    json_array_append_new(rules, json_pack("{s:[s,s,s],s:s,s:i}", "names",
			"io_uring_setup", "io_uring_enter", "io_uring_register",
			"action", "SCMP_ACT_ERRNO", "errnoRet", ENOSYS)) == 0)
		return rules;
fail:
	json_decref(rules);
	return NULL;
}

int seccompnotify_apply(json_t *sc, const char *listener, char *err, size_t errlen)
{
	json_t *rules = json_object_get(sc, "syscalls"), *add;
	const char *def = json_string_value(json_object_get(sc, "defaultAction"));
	unsigned allowed = 0;
	int r;
	size_t i;

	if (!json_is_object(sc) || (rules && !json_is_array(rules))) {
		snprintf(err, errlen, "seccomp profile: not an object with a \"syscalls\" array");
		return -EINVAL;
	}
	if (!rules) {
		rules = json_array();
		if (!rules || json_object_set_new(sc, "syscalls", rules) < 0)
			goto nomem;
	}
	for (i = json_array_size(rules); i-- > 0;) {
		r = rule_strip(json_array_get(rules, i), i, &allowed, err, errlen);
		if (r < 0)
			return r;
		if (r == 0)
			json_array_remove(rules, i);
	}
	if (!def) {
		def = "SCMP_ACT_ALLOW";
		if (json_object_set_new(sc, "defaultAction", json_string(def)) < 0)
			goto nomem;
	}
	/* a call named by no rule gets the default: it must allow */
	if (allowed != (1u << ARRAY_LEN(notified)) - 1 && strcmp(def, "SCMP_ACT_ALLOW")) {
		snprintf(err, errlen, "seccomp profile: its default %s applies to a socket call "
			 "bypass would allow (connect, bind, sendmsg, sendmmsg and sendto must "
			 "each be allowed by a rule without conditions)", def);
		return -EINVAL;
	}
	if (!json_object_get(sc, "architectures") && !json_object_get(sc, "archMap") &&
	    json_object_set_new(sc, "architectures", json_pack("[s]", "SCMP_ARCH_X86_64")) < 0)
		goto nomem;
	add = our_rules();
	if (!add || json_array_extend(rules, add) < 0) {
		json_decref(add);
		goto nomem;
	}
	json_decref(add);
	if (listener && json_object_set_new(sc, "listenerPath", json_string(listener)) < 0)
		goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "seccomp profile: out of memory");
	return -ENOMEM;
}
