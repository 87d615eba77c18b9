// SPDX-License-Identifier: GPL-2.0-or-later
/* limits.c - run -m/--memory, --cpus, --pids-limit (see limits.h) */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statfs.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "limits.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

int limits_parse_memory(const char *s, long long *out, char *err, size_t errlen)
{
	static const struct { char c; int shift; } units[] = {
		{ 'b', 0 }, { 'k', 10 }, { 'm', 20 }, { 'g', 30 }, { 't', 40 },
	};
	char *end;
	double v;
	size_t i;
	int shift = -1;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v <= 0 || s[0] == '-' || s[0] == '+')
		goto bad;
	if (!*end) {
		shift = 0;
	} else {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (tolower((unsigned char)*end) == units[i].c)
				shift = units[i].shift;
		if (shift < 0)
			goto bad;
		end++;
		if (shift && (*end == 'b' || *end == 'B'))
			end++;
		if (*end)
			goto bad;
	}
	v = v * (double)(1LL << shift);	/* the cast below drops the fraction */
	if (v > (double)(LLONG_MAX / 2))
		goto bad;
	*out = (long long)v;
	if (*out < LIMITS_MIN_MEMORY) {
		snprintf(err, errlen, "--memory %s: below the minimum of 6m (%lld bytes)",
			 s, LIMITS_MIN_MEMORY);
		return -EINVAL;
	}
	return 0;
bad:
	snprintf(err, errlen, "--memory '%s': expected a size such as 512m or 2g "
		 "(bytes, or with b, k, m, g or t)", s);
	return -EINVAL;
}

int limits_parse_cpus(const char *s, long long *quota, char *err, size_t errlen)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0.01 || s[0] == '+') {
		snprintf(err, errlen, "--cpus '%s': expected a number of CPUs from 0.01 to "
			 "%ld, such as 0.5 or 2", s, ncpu > 0 ? ncpu : 1);
		return -EINVAL;
	}
	if (ncpu > 0 && v > (double)ncpu) {
		snprintf(err, errlen, "--cpus %s: more than the %ld CPUs online", s, ncpu);
		return -EINVAL;
	}
	*quota = (long long)(v * (double)LIMITS_CPU_PERIOD + 0.5);
	return 0;
}

int limits_parse_pids(const char *s, long long *out, char *err, size_t errlen)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || errno || v < -1 || v > LIMITS_MAX_PIDS) {
		snprintf(err, errlen, "--pids-limit '%s': expected a number of processes "
			 "from 1 to %lld, or -1 for no limit", s, LIMITS_MAX_PIDS);
		return -EINVAL;
	}
	*out = v > 0 ? v : 0;
	return 0;
}

int limits_any(const struct limits *l)
{
	return l->memory || l->cpu_quota || l->pids;
}

int limits_cgroup_version(void)
{
	struct statfs sf;

	if (statfs(CGROUP_ROOT, &sf) == 0 && (unsigned long)sf.f_type == CGROUP2_SUPER_MAGIC)
		return 2;
	return 1;
}

/* the caller's cgroup v2 path ("/user.slice/...") from /proc/self/cgroup */
static int own_cgroup(char *buf, size_t len)
{
	char line[PATH_MAX + 16];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int r = -ENOENT;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line + 3);
		r = 0;
		break;
	}
	if (f)
		fclose(f);
	return r;
}

/* first line of @path into @buf ("" when unreadable) */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)len, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* whether the word @w is in the space-separated list @list */
static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	while ((p = strstr(p, w))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* the v2 cgroup the caller may create children in: its own cgroup's
 * parent when the caller owns it (a delegated subtree), else "" */
static void delegated_v2(char *dir, size_t len)
{
	char own[PATH_MAX], path[PATH_MAX + 64], *slash;

	dir[0] = '\0';
	if (own_cgroup(own, sizeof(own)) < 0)
		return;
	slash = strrchr(own, '/');
	if (!slash || slash == own)
		return;
	*slash = '\0';
	snprintf(path, sizeof(path), CGROUP_ROOT "%s/cgroup.procs", own);
	if (access(path, W_OK))
		return;
	snprintf(path, sizeof(path), CGROUP_ROOT "%s/cgroup.subtree_control", own);
	if (access(path, W_OK))
		return;
	snprintf(dir, len, CGROUP_ROOT "%s", own);
}

const char *limits_controllers(int rootless, char *buf, size_t len)
{
	static const char *const v1[] = { "cpu", "memory", "pids" };
	char path[PATH_MAX + 64], dir[PATH_MAX];
	struct statfs sf;
	size_t i, n = 0;

	buf[0] = '\0';
	if (limits_cgroup_version() == 2) {
		if (!rootless) {
			read_line(CGROUP_ROOT "/cgroup.controllers", buf, len);
			return buf;
		}
		delegated_v2(dir, sizeof(dir));
		if (dir[0]) {
			snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
			read_line(path, buf, len);
		}
		return buf;
	}
	if (rootless)	/* v1 hierarchies are never delegated to users */
		return buf;
	for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
		snprintf(path, sizeof(path), CGROUP_ROOT "/%s", v1[i]);
		if (statfs(path, &sf) || (unsigned long)sf.f_type != CGROUP_SUPER_MAGIC)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", v1[i]);
		if (n >= len)
			break;
	}
	return buf;
}

/* the first option of @l whose controller is not in @ctrls, or NULL */
static const char *missing(const struct limits *l, const char *ctrls, const char **ctrl)
{
	if (l->memory && !has_word(ctrls, "memory")) {
		*ctrl = "memory";
		return "--memory";
	}
	if (l->cpu_quota && !has_word(ctrls, "cpu")) {
		*ctrl = "cpu";
		return "--cpus";
	}
	if (l->pids && !has_word(ctrls, "pids")) {
		*ctrl = "pids";
		return "--pids-limit";
	}
	return NULL;
}

int limits_check_host(const struct limits *l, int rootless, char *err, size_t errlen)
{
	char ctrls[256];
	const char *opt, *ctrl = "";
	int v2 = limits_cgroup_version() == 2;

	if (!limits_any(l))
		return 0;
	limits_controllers(rootless, ctrls, sizeof(ctrls));
	opt = missing(l, ctrls, &ctrl);
	if (!opt && !rootless)
		return 0;
	if (!opt) {
		/* the runtime runs rootless containers without a cgroup manager
		 * (--cgroup-manager=disabled): refuse rather than run unlimited */
		opt = l->memory ? "--memory" : l->cpu_quota ? "--cpus" : "--pids-limit";
		snprintf(err, errlen, "%s: a cgroup is delegated to you (%s), but burrow does "
			 "not place rootless containers in it yet: run as root for limits", opt,
			 ctrls);
		return -ENOTSUP;
	}
	if (rootless && !v2) {
		snprintf(err, errlen, "%s: rootless limits need cgroup v2 with controllers "
			 "delegated to you, and this host runs cgroup v1 (%s is not the unified "
			 "hierarchy): run as root, or boot with systemd.unified_cgroup_hierarchy=1",
			 opt, CGROUP_ROOT);
		return -EPERM;
	}
	if (rootless) {
		snprintf(err, errlen, "%s: the %s controller is not delegated to you: your "
			 "cgroup's parent must be yours with %s in its cgroup.controllers (%s); "
			 "run under a delegated scope, e.g. systemd-run --user --scope -p "
			 "Delegate=yes burrow run ...", opt, ctrl, ctrl,
			 ctrls[0] ? ctrls : "none delegated");
		return -EPERM;
	}
	snprintf(err, errlen, "%s: the %s cgroup controller is not available on this host "
		 "(%s)", opt, ctrl, v2 ? CGROUP_ROOT "/cgroup.controllers lacks it" :
		 "no v1 hierarchy mounted for it under " CGROUP_ROOT);
	return -ENOTSUP;
}

/* @parent[@key], created as an object when missing */
static json_t *child(json_t *parent, const char *key)
{
	json_t *o = json_object_get(parent, key);

	if (json_is_object(o))
		return o;
	o = json_object();
	if (!o || json_object_set_new(parent, key, o) < 0)
		return NULL;
	return o;
}

int limits_apply(json_t *cfg, const struct limits *l)
{
	json_t *res, *o;

	if (!limits_any(l))
		return 0;
	res = child(child(cfg, "linux"), "resources");
	if (!res)
		return -ENOMEM;
	if (l->memory) {
		o = child(res, "memory");
		if (!o || json_object_set_new(o, "limit", json_integer(l->memory)) < 0)
			return -ENOMEM;
	}
	if (l->cpu_quota) {
		o = child(res, "cpu");
		if (!o || json_object_set_new(o, "quota", json_integer(l->cpu_quota)) < 0 ||
		    json_object_set_new(o, "period", json_integer(LIMITS_CPU_PERIOD)) < 0)
			return -ENOMEM;
	}
	if (l->pids) {
		o = child(res, "pids");
		if (!o || json_object_set_new(o, "limit", json_integer(l->pids)) < 0)
			return -ENOMEM;
	}
	return 0;
}
