// SPDX-License-Identifier: GPL-2.0-or-later
/* json.c - jansson helpers: bounded reads and typed field access whose
 * errors name the field path and the expected and actual type */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "json.h"

/* Format @e->msg */
static void json_errf(struct json_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void json_errf(struct json_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/**
 * json_type_name() - name of @j's type for messages
 * @j:		value
 *
 * Return: "object", "array", "string", "integer", "number", "boolean" or "null"
 */
const char *json_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:	return "object";
	case JSON_ARRAY:	return "array";
	case JSON_STRING:	return "string";
	case JSON_INTEGER:	return "integer";
	case JSON_REAL:		return "number";
	case JSON_TRUE:
	case JSON_FALSE:	return "boolean";
	case JSON_NULL:		return "null";
	}
	return "unknown";
}

/**
 * json_parse_buf() - parse a buffer of @len bytes
 * @buf:	text, need not be NUL-terminated
 * @len:	length
 * @e:		error out ("line 3 column 7: ...")
 *
 * Duplicate keys and NUL characters in strings are refused.
 *
 * Return: new reference, or NULL with @e set
 */
json_t *json_parse_buf(const char *buf, size_t len, struct json_err *e)
{
	json_error_t je;
	json_t *j;

	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		json_errf(e, "line %d column %d: %s", je.line, je.column, je.text);
	return j;
}

/**
 * json_read_fd() - read and parse at most @max bytes of JSON from @fd
 * @fd:		input (read to end of file)
 * @max:	refuse input longer than this
 * @e:		error out ("stdin: input larger than 1048576 bytes", "line 3: ...")
 *
 * Return: new reference, or NULL with @e set
 */
json_t *json_read_fd(int fd, size_t max, struct json_err *e)
{
	char name[32];
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;

	if (fd == 0)
		snprintf(name, sizeof(name), "stdin");
	else
		snprintf(name, sizeof(name), "fd %d", fd);
	buf = file_read_fd(fd, max, &len);
	if (!buf) {
		if (errno == EFBIG)
			json_errf(e, "%s: input larger than %zu bytes", name, max);
		else if (errno == ENOMEM)
			json_errf(e, "%s: out of memory", name);
		else
			json_errf(e, "read(%s): %s", name, strerror(errno));
		return NULL;
	}
	return json_parse_buf(buf, len, e);
}

/* "path.key", or "key" at the top level, for messages */
static const char *field(char *buf, size_t len, const char *path, const char *key)
{
	if (path && *path)
		snprintf(buf, len, "%s.%s", path, key);
	else
		snprintf(buf, len, "%s", key);
	return buf;
}

/* Look up @key in @obj; 1 found (in *@out), 0 absent, -EINVAL with @e set */
static int get(json_t *obj, const char *key, const char *path, int required,
	       json_type type, json_t **out, struct json_err *e)
{
	static const char *const want[] = {
		[JSON_OBJECT] = "object", [JSON_ARRAY] = "array",
		[JSON_STRING] = "string", [JSON_INTEGER] = "integer",
		[JSON_TRUE] = "boolean",
	};
	char f[128];
	json_t *v;

	if (!json_is_object(obj)) {
		json_errf(e, "%s: expected object, got %s", path && *path ? path : "(top)",
			  obj ? json_type_name(obj) : "nothing");
		return -EINVAL;
	}
	v = json_object_get(obj, key);
	if (!v) {
		if (!required)
			return 0;
		json_errf(e, "%s: missing", field(f, sizeof(f), path, key));
		return -EINVAL;
	}
	if (json_typeof(v) != type && !(type == JSON_TRUE && json_is_boolean(v))) {
		json_errf(e, "%s: expected %s, got %s", field(f, sizeof(f), path, key),
			  want[type], json_type_name(v));
		return -EINVAL;
	}
	*out = v;
	return 1;
}

/**
 * json_get_str() - a string member
 * @obj:	object
 * @key:	member name
 * @path:	name of @obj for messages (NULL or "" for the top level)
 * @required:	a missing member is an error
 * @out:	borrowed string, valid as long as @obj is
 * @e:		error out
 *
 * Return: 1 found, 0 absent (and not required), -EINVAL on error with @e set
 */
int json_get_str(json_t *obj, const char *key, const char *path, int required,
		 const char **out, struct json_err *e)
{
	json_t *v;
	int rc = get(obj, key, path, required, JSON_STRING, &v, e);

	if (rc == 1)
		*out = json_string_value(v);
	return rc;
}

/**
 * json_get_int() - an integer member within [@min, @max]
 * @obj:	object
 * @key:	member name
 * @path:	name of @obj for messages
 * @required:	a missing member is an error
 * @min:	smallest value accepted
 * @max:	largest value accepted
 * @out:	value
 * @e:		error out ("a.mtu: 70000 out of range 68..65535")
 *
 * Return: 1 found, 0 absent (and not required), -EINVAL on error with @e set
 */
int json_get_int(json_t *obj, const char *key, const char *path, int required,
		 int64_t min, int64_t max, int64_t *out, struct json_err *e)
{
	json_t *v;
	int rc = get(obj, key, path, required, JSON_INTEGER, &v, e);
	json_int_t n;
	char f[128];

	if (rc != 1)
		return rc;
	n = json_integer_value(v);
	if (n < min || n > max) {
		json_errf(e, "%s: %" PRId64 " out of range %" PRId64 "..%" PRId64,
			  field(f, sizeof(f), path, key), (int64_t)n, min, max);
		return -EINVAL;
	}
	*out = n;
	return 1;
}

/**
 * json_get_bool() - a boolean member
 * @obj:	object
 * @key:	member name
 * @path:	name of @obj for messages
 * @required:	a missing member is an error
 * @out:	0 or 1
 * @e:		error out
 *
 * Return: 1 found, 0 absent (and not required), -EINVAL on error with @e set
 */
int json_get_bool(json_t *obj, const char *key, const char *path, int required,
		  int *out, struct json_err *e)
{
	json_t *v;
	int rc = get(obj, key, path, required, JSON_TRUE, &v, e);

	if (rc == 1)
		*out = json_is_true(v);
	return rc;
}

/**
 * json_get_obj() - an object member
 * @obj:	object
 * @key:	member name
 * @path:	name of @obj for messages
 * @required:	a missing member is an error
 * @out:	borrowed reference
 * @e:		error out
 *
 * Return: 1 found, 0 absent (and not required), -EINVAL on error with @e set
 */
int json_get_obj(json_t *obj, const char *key, const char *path, int required,
		 json_t **out, struct json_err *e)
{
	return get(obj, key, path, required, JSON_OBJECT, out, e);
}

/**
 * json_get_array() - an array member
 * @obj:	object
 * @key:	member name
 * @path:	name of @obj for messages
 * @required:	a missing member is an error
 * @out:	borrowed reference
 * @e:		error out
 *
 * Return: 1 found, 0 absent (and not required), -EINVAL on error with @e set
 */
int json_get_array(json_t *obj, const char *key, const char *path, int required,
		   json_t **out, struct json_err *e)
{
	return get(obj, key, path, required, JSON_ARRAY, out, e);
}

/**
 * json_dump_fd() - write @j compactly followed by a newline
 * @fd:		output
 * @j:		value
 *
 * Return: 0, or -errno
 */
int json_dump_fd(int fd, const json_t *j)
{
	_cleanup_free_ char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	size_t len, off = 0;

	if (!s)
		return -ENOMEM;
	len = strlen(s);
	s[len] = '\n';	/* replaces the NUL: json_dumps() output ends there */
	len++;
	while (off < len) {
		ssize_t n = write(fd, s + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}
