// SPDX-License-Identifier: GPL-2.0-or-later
/* info.c - burrow info and burrow version (see info.h) */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "cleanup.h"
#include "file.h"
#include "format.h"
#include "image.h"
#include "info.h"
#include "limits.h"
#include "runtime.h"
#include "state.h"
#include "statedir.h"

#ifndef BURROW_VERSION
#define BURROW_VERSION "0"
#endif

extern char **environ;

/* the programs burrow runs or hands to engines, reported with their path */
static const char *const helpers[] = {
	"burrow-mon", "burrow-slirp", "burrow-bridge", "burrow-dns", "burrow-netns",
	"burrow-idmap", "burrow-bypass", "pasta", "slirp4netns", "newuidmap", "newgidmap",
	"skopeo", "fuse-overlayfs",
};

/* first line of `@bin --version` (at most 1 s of reading), "" if none */
static void program_version(const char *bin, char *buf, size_t len)
{
	char *const argv[] = { (char *)bin, "--version", NULL };
	posix_spawn_file_actions_t fa;
	int p[2], st;
	pid_t pid;

	buf[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, bin, &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(p[0]);
		close(p[1]);
		return;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	file_read_buf(p[0], buf, len);
	close(p[0]);
	buf[strcspn(buf, "\n")] = '\0';
	waitpid(pid, &st, 0);
}

/* the machine as Go names it (amd64, arm64) */
static const char *arch(void)
{
	static struct utsname u;

	if (uname(&u))
		return "unknown";
	if (!strcmp(u.machine, "x86_64"))
		return "amd64";
	if (!strcmp(u.machine, "aarch64"))
		return "arm64";
	return u.machine;
}

/* {name, path, version} of a program burrow runs */
static json_t *runtime_obj(const char *name)
{
	char bin[PATH_MAX], ver[256] = "";

	if (find_program(name, bin, sizeof(bin)) < 0)
		return json_pack("{s:s, s:s, s:s}", "name", name, "path", "", "version",
				 "not found");
	program_version(bin, ver, sizeof(ver));
	return json_pack("{s:s, s:s, s:s}", "name", name, "path", bin, "version", ver);
}

/* {program: path or ""} for each of helpers[] */
static json_t *helpers_obj(void)
{
	json_t *o = json_object();
	char bin[PATH_MAX];
	size_t i;

	for (i = 0; o && i < sizeof(helpers) / sizeof(helpers[0]); i++)
		json_object_set_new(o, helpers[i], json_string(
			find_program(helpers[i], bin, sizeof(bin)) == 0 ? bin : ""));
	return o;
}

/* "cpu memory pids" -> ["cpu", "memory", "pids"] */
static json_t *words(const char *s)
{
	json_t *a = json_array();
	char buf[256], *save = NULL, *w;

	snprintf(buf, sizeof(buf), "%s", s);
	for (w = strtok_r(buf, " ", &save); a && w; w = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(w));
	return a;
}

/* info's host: kernel, cgroups, rootless, runtime, helpers */
static json_t *host_obj(void)
{
	struct utsname u;
	char ctrls[256], net[64];
	int rl = rootless();
	const char *dflt = "none";

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	if (find_program("burrow-slirp", net, sizeof(net)) == 0)
		dflt = "slirp";
	else if (find_program("pasta", net, sizeof(net)) == 0)
		dflt = "pasta";
	limits_controllers(rl, ctrls, sizeof(ctrls));
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:{s:b}, s:s, s:s, s:o, s:o, s:o, s:o,"
			 " s:s}",
			 "arch", arch(), "os", "linux", "kernel", u.release, "hostname", u.nodename,
			 "rootless", rl, "security", "rootless", rl,
			 "cgroupVersion", limits_cgroup_version() == 2 ? "v2" : "v1",
			 "cgroupManager", rl ? "disabled (rootless)" : "cgroupfs",
			 "cgroupControllers", words(ctrls), "ociRuntime", runtime_obj("crun"),
			 "conmon", runtime_obj("burrow-mon"), "helpers", helpers_obj(),
			 "defaultNetwork", dflt);
}

/* info's store: the image store, the containers' state, counts */
static json_t *store_obj(void)
{
	_cleanup_free_ struct ctr *v = NULL;
	char images[PATH_MAX], states[PATH_MAX], path[PATH_MAX + 16];
	size_t n = 0, i, running = 0;
	json_t *idx;
	long long nimages = 0;

	if (image_store_dir(images, sizeof(images)) < 0)
		images[0] = '\0';
	if (state_root(states, sizeof(states)) < 0)
		states[0] = '\0';
	if (state_list(&v, &n) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		v[i].net_exitfd = -1;
		running += state_status(&v[i], NULL) == CTR_RUNNING;
	}
	snprintf(path, sizeof(path), "%s/images.json", images);
	idx = images[0] ? json_load_file(path, 0, NULL) : NULL;
	nimages = (long long)json_array_size(json_object_get(idx, "images"));
	json_decref(idx);
	return json_pack("{s:s, s:s, s:{s:I, s:I, s:I}, s:{s:I}}",
			 "graphRoot", images, "runRoot", states,
			 "containerStore", "number", (json_int_t)n, "running", (json_int_t)running,
			 "stopped", (json_int_t)(n - running),
			 "imageStore", "number", (json_int_t)nimages);
}

json_t *info_json(void)
{
	char osarch[64];

	snprintf(osarch, sizeof(osarch), "linux/%s", arch());
	return json_pack("{s:o, s:o, s:{s:s, s:s}}", "host", host_obj(), "store", store_obj(),
			 "version", "Version", BURROW_VERSION, "OsArch", osarch);
}

json_t *info_version_json(void)
{
	char osarch[64], bin[PATH_MAX], ver[256] = "";

	snprintf(osarch, sizeof(osarch), "linux/%s", arch());
	if (find_program("crun", bin, sizeof(bin)) == 0)
		program_version(bin, ver, sizeof(ver));
	return json_pack("{s:{s:s, s:s, s:s, s:s}}", "Client", "Version", BURROW_VERSION,
			 "OsArch", osarch, "OCIRuntime", ver[0] ? ver : "crun not found",
			 "Os", "linux");
}

/* a scalar as YAML shows it (strings plain unless they need quotes) */
static void yaml_scalar(FILE *fp, const json_t *v)
{
	const char *s;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		if (!*s || strpbrk(s, ":#{}[],&*?|<>=!%@`'\"\n") || s[0] == ' ' || s[0] == '-') {
			char *q = json_dumps(v, JSON_ENCODE_ANY);

			fprintf(fp, "%s", q ? q : "\"\"");
			free(q);
		} else {
			fprintf(fp, "%s", s);
		}
		break;
	case JSON_INTEGER:
		fprintf(fp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(fp, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		fprintf(fp, "true");
		break;
	case JSON_FALSE:
		fprintf(fp, "false");
		break;
	default:
		fprintf(fp, "null");
	}
}

void info_print_yaml(FILE *fp, const json_t *v, int indent)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x) {
			fprintf(fp, "%*s%s:", indent, "", k);
			if ((json_is_object(x) && json_object_size(x)) ||
			    (json_is_array(x) && json_array_size(x))) {
				fputc('\n', fp);
				info_print_yaml(fp, x, indent + 2);
			} else if (json_is_object(x)) {
				fprintf(fp, " {}\n");
			} else if (json_is_array(x)) {
				fprintf(fp, " []\n");
			} else {
				fputc(' ', fp);
				yaml_scalar(fp, x);
				fputc('\n', fp);
			}
		}
		return;
	}
	json_array_foreach((json_t *)v, i, x) {
		fprintf(fp, "%*s- ", indent, "");
		if (json_is_object(x) || json_is_array(x)) {
			fputc('\n', fp);
			info_print_yaml(fp, x, indent + 2);
		} else {
			yaml_scalar(fp, x);
			fputc('\n', fp);
		}
	}
}

/* @j through --format: json, or a template; NULL: @dflt(@j) */
static int print_formatted(json_t *j, const char *format, const char *what,
			   void (*dflt)(const json_t *j))
{
	struct format_out out = { 0 };
	struct format *f;
	char err[1024], *s;
	int r;

	if (!j) {
		fprintf(stderr, "burrow: %s: out of memory\n", what);
		return 125;
	}
	if (!format) {
		dflt(j);
		return 0;
	}
	if (!strcmp(format, "json")) {
		s = json_dumps(j, JSON_INDENT(4));
		printf("%s\n", s ? s : "{}");
		free(s);
		return s ? 0 : 125;
	}
	f = malloc(sizeof(*f));
	if (!f || format_parse(format, f, err, sizeof(err)) < 0 ||
	    format_check(f, j, what, err, sizeof(err)) < 0) {
		fprintf(stderr, "burrow: --format: %s\n", f ? err : "out of memory");
		free(f);
		return 125;
	}
	r = format_render(f, j, &out);
	if (r == 0)
		r = format_flush(&out, stdout);
	format_out_free(&out);
	free(f);
	return r < 0 ? 125 : 0;
}

/* info without --format: YAML */
static void info_default(const json_t *j)
{
	info_print_yaml(stdout, j, 0);
}

/* podman's "Version:      4.3.1" lines */
static void version_default(const json_t *j)
{
	const json_t *c = json_object_get(j, "Client");

	printf("Version:      %s\n", json_string_value(json_object_get(c, "Version")));
	printf("OS/Arch:      %s\n", json_string_value(json_object_get(c, "OsArch")));
	printf("OCI runtime:  %s\n", json_string_value(json_object_get(c, "OCIRuntime")));
}

int cmd_info(const char *format)
{
	json_t *j = info_json();
	int r = print_formatted(j, format, "info", info_default);

	json_decref(j);
	return r;
}

int cmd_version(const char *format)
{
	json_t *j = info_version_json();
	int r = print_formatted(j, format, "version", version_default);

	json_decref(j);
	return r;
}
