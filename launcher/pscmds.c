// SPDX-License-Identifier: GPL-2.0-or-later
/* pscmds.c - burrow ps and burrow inspect (see pscmds.h) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "cmds.h"
#include "ctr.h"
#include "format.h"
#include "inspect.h"
#include "pscmds.h"
#include "state.h"

#define EXIT_FAIL 125	/* podman's exit code for a failed command */

/* @s on one line: control bytes as blanks, so that a command (or a name
 * recorded before names were checked) cannot forge a row of `burrow ps` */
static const char *one_line(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	buf[i] = '\0';
	return buf;
}

/* a record with no folder: the shape of the objects, for format_check() */
static void sample_ctr(struct ctr *c)
{
	memset(c, 0, sizeof(*c));
	c->net_exitfd = -1;
	snprintf(c->id, sizeof(c->id), "000000000000");
	snprintf(c->dir, sizeof(c->dir), "/nonexistent/burrow-sample");
}

/* parse @text and check it against @make(sample); prints the error */
static struct format *template_for(const char *text, json_t *(*make)(const struct ctr *),
				   const char *what)
{
	struct format *f = malloc(sizeof(*f));
	char err[1024];
	struct ctr s;
	json_t *j;

	if (!f) {
		fprintf(stderr, "burrow: out of memory\n");
		return NULL;
	}
	sample_ctr(&s);
	j = make(&s);
	if (format_parse(text, f, err, sizeof(err)) < 0 ||
	    format_check(f, j, what, err, sizeof(err)) < 0) {
		fprintf(stderr, "burrow: --format: %s\n", err);
		free(f);
		f = NULL;
	}
	json_decref(j);
	return f;
}

/* burrow's own table: ID, NAME, STATUS, NETWORK, PORTS, COMMAND */
static void table_row(const struct ctr *c)
{
	char name[sizeof(c->name)], cmd[64], line[sizeof(c->command)], path[PATH_MAX + 16], st[32];
	int code = 0;
	enum ctr_status s = state_status(c, &code);
	json_t *cfg = json_load_file(state_path(c, "config.json", path, sizeof(path)), 0, NULL);

	/* the config's command: a bundle's own, not a guess from our argv */
	if (inspect_command_line(cfg, line, sizeof(line)) < 0)
		snprintf(line, sizeof(line), "%s", c->command);
	json_decref(cfg);
	if (s == CTR_EXITED)
		snprintf(st, sizeof(st), "exited (%d)", code);
	else
		snprintf(st, sizeof(st), "%s", state_status_name(s));
	printf("%-12s  %-16.16s  %-12s  %-8s  %-18.18s  %.60s\n", c->id,
	       one_line(c->name, name, sizeof(name)), st, c->network, c->ports,
	       one_line(line, cmd, sizeof(cmd)));
}

/* @j indented (podman's --format json), consumed */
static int print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(4));

	printf("%s\n", s ? s : "[]");
	free(s);
	json_decref(j);
	return s ? 0 : EXIT_FAIL;
}

int cmd_ps(const struct ps_opts *o)
{
	_cleanup_free_ struct ctr *v = NULL;
	_cleanup_free_ struct format *f = NULL;
	struct format_out out = { 0 };
	int json = o->format && !strcmp(o->format, "json"), r = 0;
	int table = !o->format || !strcmp(o->format, "table");
	json_t *arr = NULL, *hdr;
	size_t n, i;

	if (!o->quiet && !json && !table) {
		f = template_for(o->format, inspect_ps_fields, "ps");
		if (!f)
			return EXIT_FAIL;
		/* podman takes a bare {{json .}} for --format json */
		if (!f->table && f->nitems == 1 && f->items[0].kind == FORMAT_JSON &&
		    !f->items[0].text[0]) {
			free(f);
			f = NULL;
			json = 1;
		}
	}
	r = state_list(&v, &n);
	if (r < 0) {
		fprintf(stderr, "burrow: reading the state directory: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	if (json && !o->quiet)
		arr = json_array();
	if (table && !o->quiet)
		printf("%-12s  %-16s  %-12s  %-8s  %-18s  %s\n", "ID", "NAME", "STATUS",
		       "NETWORK", "PORTS", "COMMAND");
	if (f) {
		hdr = inspect_ps_headers();
		r = format_header(f, hdr, &out);
		json_decref(hdr);
	}
	for (i = 0; i < n && r == 0; i++) {
		v[i].net_exitfd = -1;
		if (!o->all && !ctr_status_live(state_status(&v[i], NULL)))
			continue;
		if (o->quiet) {
			printf("%s\n", v[i].id);
		} else if (arr) {
			json_array_append_new(arr, inspect_ps_entry(&v[i]));
		} else if (f) {
			json_t *j = inspect_ps_fields(&v[i]);

			r = format_render(f, j, &out);
			json_decref(j);
		} else {
			table_row(&v[i]);
		}
	}
	if (f && r == 0)
		r = format_flush(&out, stdout);
	format_out_free(&out);
	if (r < 0) {
		fprintf(stderr, "burrow: ps --format: %s\n", strerror(-r));
		json_decref(arr);
		return EXIT_FAIL;
	}
	return arr ? print_json(arr) : 0;
}

int cmd_inspect(char *const *refs, size_t n, const char *format)
{
	_cleanup_free_ struct format *f = NULL;
	struct format_out out = { 0 };
	json_t *arr = NULL;
	int failed = 0, r = 0;
	struct ctr c;
	size_t i;

	if (format && strcmp(format, "json")) {
		f = template_for(format, inspect_container, "inspect");
		if (!f)
			return EXIT_FAIL;
	} else {
		arr = json_array();
	}
	for (i = 0; i < n && r == 0; i++) {
		json_t *j;

		if (cmd_find(refs[i], &c) < 0) {
			failed = 1;
			continue;
		}
		j = inspect_container(&c);
		if (arr) {
			json_array_append_new(arr, j);
			continue;
		}
		r = format_render(f, j, &out);
		json_decref(j);
	}
	if (f && r == 0)
		r = format_flush(&out, stdout);
	format_out_free(&out);
	if (r < 0) {
		fprintf(stderr, "burrow: inspect --format: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	if (arr && (print_json(arr) || failed))
		return EXIT_FAIL;
	return failed ? EXIT_FAIL : 0;
}
