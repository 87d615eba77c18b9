/* SPDX-License-Identifier: GPL-2.0-or-later
 * format.h - the subset of Go templates that scripts written for podman pass
 * to --format: literal text with \t and \n, {{.Field}}, {{.A.B}}, {{json .}},
 * {{json .Field}}, and a leading "table " for a header row.  Anything else
 * (pipelines, functions, if/range, trim markers) is refused by name when the
 * template is parsed, and a field the object does not have is refused by
 * format_check() before any output.  Values come from a jansson object;
 * output is aligned the way podman's tabwriter does (cells ended by a tab,
 * minimum width 12, padding 2).
 *
 * Pure functions apart from format_flush(), which writes to a FILE.
 */
#ifndef BURROW_LAUNCHER_FORMAT_H
#define BURROW_LAUNCHER_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define FORMAT_MAX_TEXT		4096		/* template length, bytes */
#define FORMAT_MAX_ITEMS	64		/* literal pieces and actions */
#define FORMAT_MAX_DEPTH	8		/* components of .A.B.C */
#define FORMAT_MAX_OUT		(16 << 20)	/* all output of one command */

enum format_kind {
	FORMAT_TEXT,		/* literal text (escapes already applied) */
	FORMAT_FIELD,		/* {{.A.B}}: the value, printed as Go prints it */
	FORMAT_JSON,		/* {{json .A}}: the value as compact JSON */
};

struct format_item {
	enum format_kind kind;
	const char *text;	/* TEXT: the text; FIELD, JSON: "A.B", "" for "." */
};

struct format {
	int table;				/* "table ...": a header row first */
	size_t nitems;
	struct format_item items[FORMAT_MAX_ITEMS];
	char buf[2 * FORMAT_MAX_TEXT];		/* the items' strings */
};

/* Everything printed so far, aligned and written by format_flush() */
struct format_out {
	char *buf;
	size_t len, cap;
};

/**
 * format_parse() - compile a --format template
 * @text:	the template as typed ("table {{.ID}}\t{{.Names}}")
 * @f:		result
 * @err:	reason on failure, naming what is not supported
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL (bad or unsupported template), -E2BIG (too long,
 * too many actions, too deep a field)
 */
int format_parse(const char *text, struct format *f, char *err, size_t errlen);

/**
 * format_check() - refuse fields that @sample does not have
 * @f:		parsed template
 * @sample:	an object shaped like those that will be rendered
 * @what:	what the objects are, for the message ("ps", "inspect")
 * @err:	"template: ps has no field .Foo (fields: ID, Names, ...)"
 * @errlen:	size of @err
 *
 * Field names match exactly, or else ignoring case (podman takes .Id for .ID).
 *
 * Return: 0, or -ENOENT
 */
int format_check(const struct format *f, const json_t *sample, const char *what,
		 char *err, size_t errlen);

/**
 * format_render() - append @obj rendered by @f to @o, with a newline at the
 *		     end unless the template ends with one
 * @f:		parsed template
 * @obj:	the object
 * @o:		output so far
 *
 * Return: 0, -ENOMEM, or -E2BIG past FORMAT_MAX_OUT
 */
int format_render(const struct format *f, const json_t *obj, struct format_out *o);

/**
 * format_header() - append the header row of a "table" template to @o
 * @f:		parsed template
 * @headers:	object mapping field paths ("ID") to column titles
 *		("CONTAINER ID"), or NULL; other fields get their last
 *		component in capitals, {{json ...}} gets "JSON"
 * @o:		output so far
 *
 * Return: 0 (also when @f is not a table: nothing to add), -ENOMEM or -E2BIG
 */
int format_header(const struct format *f, const json_t *headers, struct format_out *o);

/**
 * format_align() - the text of @o with tab-ended cells padded into columns
 *		    (minimum width 12, padding 2, as podman's tabwriter)
 * @o:		output so far
 *
 * Return: a new string (free() it), or NULL on allocation failure
 */
char *format_align(const struct format_out *o);

/**
 * format_flush() - write @o aligned to @fp and empty it
 * @o:		output so far
 * @fp:		where to
 *
 * Return: 0, or -ENOMEM / -EIO
 */
int format_flush(struct format_out *o, FILE *fp);

/**
 * format_out_free() - release @o's buffer
 */
void format_out_free(struct format_out *o);

#endif /* BURROW_LAUNCHER_FORMAT_H */
