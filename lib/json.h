/* SPDX-License-Identifier: GPL-2.0-or-later
 * json.h - jansson helpers: bounded reads and typed field access that name
 * the offending field in their error
 */
#ifndef BURROW_JSON_H
#define BURROW_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* An error text buffer for the helpers below */
struct json_err {
	char msg[256];
};

/**
 * json_read_fd() - read and parse at most @max bytes of JSON from @fd
 * @fd:		input (read to end of file)
 * @max:	refuse input longer than this
 * @e:		error out ("stdin: input larger than 1048576 bytes", "line 3: ...")
 *
 * Return: new reference, or NULL with @e set
 */
json_t *json_read_fd(int fd, size_t max, struct json_err *e);

/**
 * json_parse_buf() - parse a buffer of @len bytes
 * @buf:	text, need not be NUL-terminated
 * @len:	length
 * @e:		error out
 *
 * Return: new reference, or NULL with @e set
 */
json_t *json_parse_buf(const char *buf, size_t len, struct json_err *e);

/*
 * Typed getters.  @path names the object for messages ("network_info.podman");
 * @required: a missing key is an error when set, else the default is kept and
 * 0 returned.  A key present with the wrong type is always an error:
 * "network_info.podman.subnets: expected array, got string".
 * Return: 1 found, 0 absent (and not required), -EINVAL on error with @e set.
 */
int json_get_str(json_t *obj, const char *key, const char *path, int required,
		 const char **out, struct json_err *e);
int json_get_int(json_t *obj, const char *key, const char *path, int required,
		 int64_t min, int64_t max, int64_t *out, struct json_err *e);
int json_get_bool(json_t *obj, const char *key, const char *path, int required,
		  int *out, struct json_err *e);
int json_get_obj(json_t *obj, const char *key, const char *path, int required,
		 json_t **out, struct json_err *e);
int json_get_array(json_t *obj, const char *key, const char *path, int required,
		   json_t **out, struct json_err *e);

/**
 * json_type_name() - name of @j's type for messages
 * @j:		value
 *
 * Return: "object", "array", "string", "integer", "number", "boolean" or "null"
 */
const char *json_type_name(const json_t *j);

/**
 * json_dump_fd() - write @j compactly followed by a newline
 * @fd:		output
 * @j:		value
 *
 * Return: 0, or -errno
 */
int json_dump_fd(int fd, const json_t *j);

#endif /* BURROW_JSON_H */
