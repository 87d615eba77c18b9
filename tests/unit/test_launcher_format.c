// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_format.c - the --format template subset: fields, json, table,
 * alignment, and hostile templates (unterminated, huge, deep, unsupported) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "launcher/format.h"

static json_t *sample(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:{s:i, s:b}, s:[s, s], s:n}",
			 "ID", "0123456789ab", "Names", "web", "Status", "Up 3 seconds ago",
			 "Image", "/srv/rootfs", "Size", 42, "State", "Pid", 4321, "Running", 1,
			 "Cmd", "sleep", "100", "Nothing");
}

/* render @tmpl on the sample; the aligned text, or NULL with @err set */
static char *render(const char *tmpl, char *err, size_t errlen)
{
	struct format_out o = { 0 };
	json_t *j = sample();
	struct format *f = malloc(sizeof(*f));
	char *s = NULL;

	if (f && format_parse(tmpl, f, err, errlen) == 0 &&
	    format_check(f, j, "ps", err, errlen) == 0 &&
	    format_header(f, NULL, &o) == 0 && format_render(f, j, &o) == 0)
		s = format_align(&o);
	format_out_free(&o);
	json_decref(j);
	free(f);
	return s;
}

static void expect(const char *tmpl, const char *want)
{
	char err[512] = "";
	char *s = render(tmpl, err, sizeof(err));

	if (!s)
		fail_msg("'%s' failed: %s", tmpl, err);
	assert_string_equal(s, want);
	free(s);
}

/* @tmpl must be refused with a message containing @needle */
static void refused(const char *tmpl, const char *needle)
{
	char err[512] = "";
	char *s = render(tmpl, err, sizeof(err));

	if (s)
		fail_msg("'%.80s' was accepted: '%s'", tmpl, s);
	if (!strstr(err, needle))
		fail_msg("'%.80s': message '%s' lacks '%s'", tmpl, err, needle);
}

static void fields_and_text(void **state)
{
	(void)state;
	expect("{{.ID}}", "0123456789ab\n");
	expect("{{ .Names }}", "web\n");
	expect("name={{.Names}} pid={{.State.Pid}}", "name=web pid=4321\n");
	expect("{{.State.Running}}", "true\n");
	expect("{{.Size}}", "42\n");
	expect("{{.Cmd}}", "[sleep 100]\n");
	expect("{{.State}}", "map[Pid:4321 Running:true]\n");
	expect("{{.Nothing}}", "<no value>\n");
	expect("{{.Names}}\n", "web\n");		/* no second newline */
	expect("{{.Names}}\\n", "web\n");		/* the two characters \n */
	expect("{{.id}}", "0123456789ab\n");		/* podman takes .Id for .ID */
	expect("no actions at all", "no actions at all\n");
	expect("}} stray closer", "}} stray closer\n");
}

static void json_action(void **state)
{
	(void)state;
	expect("{{json .State}}", "{\"Pid\":4321,\"Running\":true}\n");
	expect("{{json .Names}}", "\"web\"\n");
	expect("{{json .Cmd}}", "[\"sleep\",\"100\"]\n");
	expect("{{ json . }}",
	       "{\"ID\":\"0123456789ab\",\"Names\":\"web\",\"Status\":\"Up 3 seconds ago\","
	       "\"Image\":\"/srv/rootfs\",\"Size\":42,\"State\":{\"Pid\":4321,\"Running\":true},"
	       "\"Cmd\":[\"sleep\",\"100\"],\"Nothing\":null}\n");
}

static void table_and_tabs(void **state)
{
	(void)state;
	/* cells ended by a tab are padded to 12 (minimum) or their width + 2 */
	expect("table {{.ID}}\\t{{.Names}}",
	       "ID            NAMES\n0123456789ab  web\n");
	expect("{{.Names}}\\t{{.Size}}", "web         42\n");
	expect("table {{.State.Pid}}:{{.Names}}", "PID:NAMES\n4321:web\n");
	expect("table {{json .State}}", "JSON\n{\"Pid\":4321,\"Running\":true}\n");
}

static void headers_given(void **state)
{
	struct format_out o = { 0 };
	struct format f;
	json_t *h = json_pack("{s:s}", "ID", "CONTAINER ID");
	char err[256], *s;

	(void)state;
	assert_int_equal(format_parse("table {{.ID}}\\t{{.Names}}", &f, err, sizeof(err)), 0);
	assert_int_equal(format_header(&f, h, &o), 0);
	s = format_align(&o);
	assert_string_equal(s, "CONTAINER ID  NAMES\n");
	free(s);
	format_out_free(&o);
	/* not a table: no header */
	assert_int_equal(format_parse("{{.ID}}", &f, err, sizeof(err)), 0);
	assert_int_equal(format_header(&f, h, &o), 0);
	assert_int_equal(o.len, 0);
	format_out_free(&o);
	json_decref(h);
}

static void unknown_fields(void **state)
{
	(void)state;
	refused("{{.Foo}}", "no field .Foo");
	refused("{{.Foo}}", "ID, Names");
	refused("{{.State.Bogus}}", "at 'Bogus'");
	refused("{{.Names.First}}", "not an object");
	refused("{{json .Nope}}", "no field .Nope");
}

static void unsupported(void **state)
{
	(void)state;
	refused("{{.Names | upper}}", "pipelines");
	refused("{{upper .Names}}", "'upper' is not supported");
	refused("{{if .Names}}x{{end}}", "'if' is not supported");
	refused("{{range .Cmd}}{{.}}{{end}}", "'range' is not supported");
	refused("{{- .Names}}", "trim markers");
	refused("{{}}", "empty action");
	refused("{{json}}", "expected a field");
	refused("{{.Na-mes}}", "unsupported character '-'");
	refused("{{..Names}}", "empty component");
	refused("{{.Names.}}", "empty component");
	refused("{{index .Cmd 0}}", "'index' is not supported");
	refused("", "empty");
	refused("table ", "empty");
}

static void hostile(void **state)
{
	char *big, *deep;
	size_t i;

	(void)state;
	refused("{{.Names", "never closed");
	refused("abc {{", "never closed");
	refused("{{.Names}} {{.ID", "offset 11");
	refused("{{ {{.Names}} }}", "inside the action");
	/* huge: refused before any work */
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	refused(big, "at most 4096");
	/* many actions within the length limit */
	for (i = 0; i + 10 < FORMAT_MAX_TEXT; i += 10)
		memcpy(big + i, "{{.Names}}", 10);
	big[i] = '\0';
	refused(big, "more than 64 parts");
	/* deep nesting */
	deep = big;
	strcpy(deep, "{{");
	for (i = 0; i < 20; i++)
		strcat(deep, ".State");
	strcat(deep, "}}");
	refused(deep, "nested more than 8 deep");
	strcpy(deep, "{{{{{{{{{{{{{{{{.Names}}}}}}}}}}}}}}}}");
	refused(deep, "inside the action");
	/* every control byte and high byte as literal text is kept as it is */
	for (i = 0; i < 255; i++)
		deep[i] = (char)(i + 1) == '{' ? 'x' : (char)(i + 1);
	deep[255] = '\0';
	{
		char err[256], *s = render(deep, err, sizeof(err));

		assert_non_null(s);
		free(s);
	}
	free(big);
}

static void output_quota(void **state)
{
	struct format_out o = { 0 };
	struct format f;
	char err[256], *huge = malloc(1 << 20);
	json_t *j;
	int r = 0, i;

	(void)state;
	assert_non_null(huge);
	memset(huge, 'y', (1 << 20) - 1);
	huge[(1 << 20) - 1] = '\0';
	j = json_pack("{s:s}", "Big", huge);
	assert_int_equal(format_parse("{{.Big}}{{.Big}}", &f, err, sizeof(err)), 0);
	for (i = 0; i < 64 && r == 0; i++)
		r = format_render(&f, j, &o);
	assert_int_equal(r, -E2BIG);
	assert_true(o.len <= FORMAT_MAX_OUT);
	format_out_free(&o);
	json_decref(j);
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields_and_text),
		cmocka_unit_test(json_action),
		cmocka_unit_test(table_and_tabs),
		cmocka_unit_test(headers_given),
		cmocka_unit_test(unknown_fields),
		cmocka_unit_test(unsupported),
		cmocka_unit_test(hostile),
		cmocka_unit_test(output_quota),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
