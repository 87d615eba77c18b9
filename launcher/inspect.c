// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect.c - a container's record in podman's shapes (see inspect.h) */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* messages that name long paths may be cut short: that is fine */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include "addr.h"
#include "inspect.h"
#include "portspec.h"

#define MAX_PORTS 32		/* as NET_MAX_PORTS: -p specs in a record */
#define GO_ZERO_UNIX (-62135596800LL)	/* Go's zero time.Time as Unix seconds */

/* what the record, its folder and the clock say about one container */
struct facts {
	enum ctr_status st;
	int code;
	json_t *cfg;				/* config.json, or NULL */
	long long started, finished;		/* seconds, 0: not known */
	long started_ns, finished_ns;
	char ip[64], gateway[64], mac[32];	/* first IPv4 address of a bridge, or slirp's */
	int prefix;
	struct port_fwd fwd[MAX_PORTS];
	size_t nfwd;
};

const char *inspect_go_time(long long sec, long nsec, char *buf, size_t len)
{
	time_t t = (time_t)sec;
	char frac[16] = "", zone[16] = "Z";
	struct tm tm;
	long off;
	int i;

	if (sec == 0 || !localtime_r(&t, &tm)) {
		snprintf(buf, len, "0001-01-01T00:00:00Z");
		return buf;
	}
	if (nsec > 0) {
		snprintf(frac, sizeof(frac), ".%09ld", nsec);
		for (i = (int)strlen(frac) - 1; frac[i] == '0'; i--)
			frac[i] = '\0';
	}
	off = tm.tm_gmtoff;
	if (off)
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+',
			 labs(off) / 3600, labs(off) % 3600 / 60);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
	return buf;
}

const char *inspect_human_duration(long long s, char *buf, size_t len)
{
	long long h = s / 3600;

	if (s < 1)
		snprintf(buf, len, "Less than a second");
	else if (s == 1)
		snprintf(buf, len, "1 second");
	else if (s < 60)
		snprintf(buf, len, "%lld seconds", s);
	else if (s / 60 == 1)
		snprintf(buf, len, "About a minute");
	else if (s < 3600)
		snprintf(buf, len, "%lld minutes", s / 60);
	else if (h == 1)
		snprintf(buf, len, "About an hour");
	else if (h < 48)
		snprintf(buf, len, "%lld hours", h);
	else if (h < 24 * 7 * 2)
		snprintf(buf, len, "%lld days", h / 24);
	else if (h < 24 * 30 * 2)
		snprintf(buf, len, "%lld weeks", h / 24 / 7);
	else if (h < 24 * 365 * 2)
		snprintf(buf, len, "%lld months", h / 24 / 30);
	else
		snprintf(buf, len, "%lld years", h / 24 / 365);
	return buf;
}

int inspect_command_line(const json_t *cfg, char *buf, size_t len)
{
	json_t *args = json_object_get(json_object_get(cfg, "process"), "args"), *v;
	size_t i, n = 0;

	if (len)
		buf[0] = '\0';
	if (!json_is_array(args))
		return -ENOENT;
	json_array_foreach(args, i, v) {
		int w = snprintf(buf + n, len - n, "%s%s", i ? " " : "",
				 json_string_value(v) ? json_string_value(v) : "");

		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	return 0;
}

/* boot time in seconds since the epoch (/proc/stat btime), 0 if unknown */
static long long boot_time(void)
{
	static long long btime = -1;
	char line[256];
	FILE *f;

	if (btime >= 0)
		return btime;
	btime = 0;
	f = fopen("/proc/stat", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &btime) == 1)
			break;
	if (f)
		fclose(f);
	return btime;
}

/* when the exit code was written: the exit file's modification time */
static void finished_at(const struct ctr *c, struct facts *f)
{
	char path[PATH_MAX + 16];
	struct stat st;

	if (stat(state_path(c, "exit", path, sizeof(path)), &st) &&
	    stat(state_path(c, c->id, path, sizeof(path)), &st))
		return;
	f->finished = st.st_mtim.tv_sec;
	f->finished_ns = st.st_mtim.tv_nsec;
}

/* the first IPv4 address burrow-bridge gave (its netavark-style status) */
static void bridge_address(const struct ctr *c, struct facts *f)
{
	char path[PATH_MAX + 16], *slash;
	json_t *st = json_load_file(state_path(c, "bridge.out", path, sizeof(path)),
				    JSON_DISABLE_EOF_CHECK, NULL), *net, *ifc, *sn;
	const char *name, *ifname, *ipnet;
	size_t i;

	json_object_foreach(st, name, net)
		json_object_foreach(json_object_get(net, "interfaces"), ifname, ifc)
			json_array_foreach(json_object_get(ifc, "subnets"), i, sn) {
				ipnet = json_string_value(json_object_get(sn, "ipnet"));
				if (f->ip[0] || !ipnet || strchr(ipnet, ':'))
					continue;
				snprintf(f->ip, sizeof(f->ip), "%s", ipnet);
				slash = strchr(f->ip, '/');
				if (slash) {
					f->prefix = atoi(slash + 1);
					*slash = '\0';
				}
				snprintf(f->gateway, sizeof(f->gateway), "%s",
					 json_string_value(json_object_get(sn, "gateway")) ?: "");
				snprintf(f->mac, sizeof(f->mac), "%s",
					 json_string_value(json_object_get(ifc,
									   "mac_address")) ?: "");
			}
	json_decref(st);
}

/* the record's -p specs, parsed (a bad one is left out) */
static void ports(const struct ctr *c, struct facts *f)
{
	char spec[sizeof(c->ports)], *save = NULL, *tok, err[128];

	snprintf(spec, sizeof(spec), "%s", c->ports);
	for (tok = strtok_r(spec, ",", &save); tok && f->nfwd < MAX_PORTS;
	     tok = strtok_r(NULL, ",", &save))
		if (portspec_parse(tok, &f->fwd[f->nfwd], err, sizeof(err)) == 0)
			f->nfwd++;
}

/* everything inspect and ps show about @c; free f->cfg after */
static void facts_load(const struct ctr *c, struct facts *f)
{
	char path[PATH_MAX + 16];
	long tck = sysconf(_SC_CLK_TCK);

	memset(f, 0, sizeof(*f));
	f->code = 0;
	f->st = state_status(c, &f->code);
	f->cfg = json_load_file(state_path(c, "config.json", path, sizeof(path)), 0, NULL);
	if (c->pid && c->pid_start && tck > 0 && boot_time()) {
		f->started = boot_time() + (long long)(c->pid_start / (unsigned long long)tck);
		f->started_ns = (long)(c->pid_start % (unsigned long long)tck) *
				(1000000000L / tck);
	}
	if (f->st == CTR_EXITED)
		finished_at(c, f);
	if (!strncmp(c->network, "bridge", 6))
		bridge_address(c, f);
	else if (!strncmp(c->network, "slirp", 5)) {	/* burrow-slirp --configure */
		snprintf(f->ip, sizeof(f->ip), "10.0.2.100");
		snprintf(f->gateway, sizeof(f->gateway), "10.0.2.2");
		f->prefix = 24;
	}
	ports(c, f);
}

/* "tcp" or "udp" */
static const char *proto_name(const struct port_fwd *p)
{
	return p->proto == IPPROTO_UDP ? "udp" : "tcp";
}

/* "0.0.0.0:8080->80/tcp, 127.0.0.1:53->53/udp" as podman ps shows them */
static void ports_text(const struct facts *f, char *buf, size_t len)
{
	char a[64], hp[16], cp[16];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < f->nfwd; i++) {
		const struct port_fwd *p = &f->fwd[i];
		int w;

		if (p->count > 1) {
			snprintf(hp, sizeof(hp), "%u-%u", p->host_port, p->host_port + p->count - 1);
			snprintf(cp, sizeof(cp), "%u-%u", p->guest_port, p->guest_port + p->count - 1);
		} else {
			snprintf(hp, sizeof(hp), "%u", p->host_port);
			snprintf(cp, sizeof(cp), "%u", p->guest_port);
		}
		w = snprintf(buf + n, len - n, "%s%s:%s->%s/%s", i ? ", " : "",
			     p->host_addr.family ? addr_format(&p->host_addr, a, sizeof(a)) :
			     "0.0.0.0", hp, cp, proto_name(p));
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
}

/* NetworkSettings.Ports: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]} */
static json_t *ports_map(const struct facts *f)
{
	json_t *m = json_object();
	char key[32], hp[16], a[64];
	size_t i;
	unsigned k;

	for (i = 0; i < f->nfwd; i++) {
		const struct port_fwd *p = &f->fwd[i];

		for (k = 0; k < p->count && k < 1024; k++) {
			json_t *list;

			snprintf(key, sizeof(key), "%u/%s", p->guest_port + k, proto_name(p));
			snprintf(hp, sizeof(hp), "%u", p->host_port + k);
			list = json_object_get(m, key);
			if (!list) {
				list = json_array();
				json_object_set_new(m, key, list);
			}
			json_array_append_new(list, json_pack("{s:s, s:s}", "HostIp",
				p->host_addr.family ? addr_format(&p->host_addr, a, sizeof(a)) : "",
				"HostPort", hp));
		}
	}
	return m;
}

/* ps --format json's Ports: [{host_ip, container_port, host_port, range, protocol}] */
static json_t *ports_list(const struct facts *f)
{
	json_t *l = json_array();
	char a[64];
	size_t i;

	for (i = 0; i < f->nfwd; i++) {
		const struct port_fwd *p = &f->fwd[i];

		json_array_append_new(l, json_pack("{s:s, s:i, s:i, s:i, s:s}", "host_ip",
			p->host_addr.family ? addr_format(&p->host_addr, a, sizeof(a)) : "",
			"container_port", p->guest_port, "host_port", p->host_port,
			"range", p->count ? p->count : 1, "protocol", proto_name(p)));
	}
	return l;
}

/* the name, or the ID for a container without one */
static const char *ctr_name(const struct ctr *c)
{
	return c->name[0] ? c->name : c->id;
}

/* a copy of the config's @key under process (or "" / [] when missing) */
static json_t *process_get(const struct facts *f, const char *key, int array)
{
	json_t *v = json_object_get(json_object_get(f->cfg, "process"), key);

	if (v)
		return json_deep_copy(v);
	return array ? json_array() : json_string("");
}

/* process.args without the program: podman's Args */
static json_t *args_tail(const struct facts *f)
{
	json_t *a = process_get(f, "args", 1);

	if (json_array_size(a))
		json_array_remove(a, 0);
	return a;
}

/* State: {Status, Running, Pid, ExitCode, StartedAt, FinishedAt, ...} */
static json_t *state_obj(const struct ctr *c, const struct facts *f)
{
	char s[64], e[64];
	int running = f->st == CTR_RUNNING;

	return json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:i, s:i, s:i, s:s, s:s, s:s}",
			 "OciVersion", json_string_value(json_object_get(f->cfg, "ociVersion")) ?: "",
			 "Status", state_status_name(f->st), "Running", running,
			 "Paused", 0, "Restarting", 0, "OOMKilled", 0,
			 "Dead", f->st == CTR_DEAD, "Pid", running ? (int)c->pid : 0,
			 "ConmonPid", f->st == CTR_EXITED ? 0 : (int)c->mon_pid,
			 "ExitCode", f->st == CTR_EXITED ? f->code : 0, "Error", "",
			 "StartedAt", inspect_go_time(f->started, f->started_ns, s, sizeof(s)),
			 "FinishedAt", inspect_go_time(f->finished, f->finished_ns, e, sizeof(e)));
}

/* HostConfig's limits from linux.resources (0: none) */
static json_t *resources(const struct facts *f)
{
	json_t *r = json_object_get(json_object_get(f->cfg, "linux"), "resources");
	json_int_t quota = json_integer_value(json_object_get(json_object_get(r, "cpu"), "quota"));
	json_int_t period = json_integer_value(json_object_get(json_object_get(r, "cpu"),
							       "period"));

	return json_pack("{s:I, s:I, s:I, s:I, s:I}",
			 "Memory", json_integer_value(json_object_get(json_object_get(r, "memory"),
								      "limit")),
			 "NanoCpus", period > 0 ? quota * 1000000000 / period : (json_int_t)0,
			 "CpuQuota", quota, "CpuPeriod", period,
			 "PidsLimit", json_integer_value(json_object_get(json_object_get(r, "pids"),
									 "limit")));
}

/* Config: {Hostname, User, Env, Cmd, Image, WorkingDir, ...} */
static json_t *config_obj(const struct ctr *c, const struct facts *f)
{
	json_t *user = json_object_get(json_object_get(f->cfg, "process"), "user");
	char u[32];

	u[0] = '\0';	/* podman: the -u given, "" for the default */
	if (json_integer_value(json_object_get(user, "uid")) ||
	    json_integer_value(json_object_get(user, "gid")))
		snprintf(u, sizeof(u), "%lld:%lld",
			 (long long)json_integer_value(json_object_get(user, "uid")),
			 (long long)json_integer_value(json_object_get(user, "gid")));
	return json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:b, s:b, s:i, s:i}",
			 "Hostname", json_string_value(json_object_get(f->cfg, "hostname")) ?: "",
			 "User", u, "Env", process_get(f, "env", 1), "Cmd", process_get(f, "args", 1),
			 "Image", c->rootfs, "WorkingDir", process_get(f, "cwd", 0),
			 "Entrypoint", "", "Tty", c->tty, "OpenStdin", c->interactive,
			 "StopTimeout", c->stop_timeout, "StopSignal", 15);
}

/* NetworkSettings: {IPAddress, IPPrefixLen, Gateway, MacAddress, Ports} */
static json_t *network_obj(const struct facts *f)
{
	return json_pack("{s:s, s:i, s:s, s:s, s:o}", "IPAddress", f->ip,
			 "IPPrefixLen", f->prefix, "Gateway", f->gateway, "MacAddress", f->mac,
			 "Ports", ports_map(f));
}

json_t *inspect_container(const struct ctr *c)
{
	struct facts f;
	char created[64], cfgpath[PATH_MAX + 16];
	json_t *j, *hc, *args;
	const char *rootfs;

	facts_load(c, &f);
	args = process_get(&f, "args", 1);
	rootfs = json_string_value(json_object_get(json_object_get(f.cfg, "root"), "path"));
	hc = resources(&f);
	json_object_set_new(hc, "NetworkMode", json_string(c->network));
	json_object_set_new(hc, "AutoRemove", json_boolean(c->rm));
	json_object_set_new(hc, "Runtime", json_string("oci"));
	j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:o,"
		      " s:o, s:o, s:o}",
		      "Id", c->id, "Name", ctr_name(c),
		      "Created", inspect_go_time(c->created, 0, created, sizeof(created)),
		      "Path", json_string_value(json_array_get(args, 0)) ?: "",
		      "Args", args_tail(&f), "State", state_obj(c, &f),
		      "Image", c->rootfs, "ImageName", c->rootfs, "Rootfs", rootfs ?: "",
		      "OCIRuntime", c->runtime,
		      "OCIConfigPath", state_path(c, "config.json", cfgpath, sizeof(cfgpath)),
		      "Config", config_obj(c, &f), "HostConfig", hc,
		      "NetworkSettings", network_obj(&f), "Burrow", state_to_json(c),
		      "Mounts", json_array());
	json_decref(args);
	json_decref(f.cfg);
	return j;
}

json_t *inspect_ps_entry(const struct ctr *c)
{
	struct facts f;
	char dur[48], ago[64];
	json_t *j;

	facts_load(c, &f);
	snprintf(ago, sizeof(ago), "%s ago",
		 inspect_human_duration((long long)time(NULL) - c->created, dur, sizeof(dur)));
	j = json_object();
	if (!j) {
		json_decref(f.cfg);
		return NULL;
	}
	/* podman 4.3's keys, in its order */
	json_object_set_new(j, "AutoRemove", json_boolean(c->rm));
	json_object_set_new(j, "Command", process_get(&f, "args", 1));
	json_object_set_new(j, "CreatedAt", json_string(ago));
	json_object_set_new(j, "Exited", json_boolean(f.st == CTR_EXITED));
	json_object_set_new(j, "ExitedAt", json_integer(f.finished ? f.finished : GO_ZERO_UNIX));
	json_object_set_new(j, "ExitCode", json_integer(f.st == CTR_EXITED ? f.code : 0));
	json_object_set_new(j, "Id", json_string(c->id));
	json_object_set_new(j, "Image", json_string(c->rootfs));
	json_object_set_new(j, "ImageID", json_string(""));
	json_object_set_new(j, "IsInfra", json_false());
	json_object_set_new(j, "Labels", json_null());
	json_object_set_new(j, "Mounts", json_array());
	json_object_set_new(j, "Names", json_pack("[s]", ctr_name(c)));
	json_object_set_new(j, "Namespaces", json_object());
	json_object_set_new(j, "Networks", json_pack("[s]", c->network));
	json_object_set_new(j, "Pid", json_integer(f.st == CTR_RUNNING ? c->pid : 0));
	json_object_set_new(j, "Pod", json_string(""));
	json_object_set_new(j, "PodName", json_string(""));
	json_object_set_new(j, "Ports", f.nfwd ? ports_list(&f) : json_null());
	json_object_set_new(j, "Size", json_null());
	json_object_set_new(j, "StartedAt", json_integer(f.started));
	json_object_set_new(j, "State", json_string(state_status_name(f.st)));
	json_object_set_new(j, "Status", json_string(""));
	json_object_set_new(j, "Created", json_integer(c->created));
	if (j) {
		json_t *fields = inspect_ps_fields(c);

		json_object_set(j, "Status", json_object_get(fields, "Status"));
		json_decref(fields);
	}
	json_decref(f.cfg);
	return j;
}

json_t *inspect_ps_fields(const struct ctr *c)
{
	struct facts f;
	char status[96], dur[48], created[64], cmd[sizeof(c->command)], pt[512];
	long long now = (long long)time(NULL);
	json_t *j;

	facts_load(c, &f);
	if (inspect_command_line(f.cfg, cmd, sizeof(cmd)) < 0)
		snprintf(cmd, sizeof(cmd), "%s", c->command);
	if (f.st == CTR_RUNNING)
		snprintf(status, sizeof(status), "Up %s ago", inspect_human_duration(
			 now - (f.started ? f.started : c->created), dur, sizeof(dur)));
	else if (f.st == CTR_EXITED)
		snprintf(status, sizeof(status), "Exited (%d) %s ago", f.code,
			 inspect_human_duration(now - (f.finished ? f.finished : c->created),
						dur, sizeof(dur)));
	else if (f.st == CTR_CREATED)
		snprintf(status, sizeof(status), "Created");
	else
		snprintf(status, sizeof(status), "Dead");
	ports_text(&f, pt, sizeof(pt));
	inspect_human_duration(now - c->created, dur, sizeof(dur));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i,"
		      " s:b, s:s, s:s, s:s}",
		      "ID", c->id, "Names", ctr_name(c), "Image", c->rootfs, "Command", cmd,
		      "Status", status, "State", state_status_name(f.st), "Ports", pt,
		      "Created", dur, "CreatedHuman", dur, "RunningFor", dur,
		      "CreatedAt", inspect_go_time(c->created, 0, created, sizeof(created)),
		      "Pid", f.st == CTR_RUNNING ? (int)c->pid : 0,
		      "ExitCode", f.st == CTR_EXITED ? f.code : 0, "AutoRemove", c->rm,
		      "Networks", c->network, "Pod", "", "PodName", "");
	/* "3 seconds ago" as podman's CREATED column */
	snprintf(status, sizeof(status), "%s ago", dur);
	json_object_set_new(j, "Created", json_string(status));
	json_object_set_new(j, "CreatedHuman", json_string(status));
	json_decref(f.cfg);
	return j;
}

json_t *inspect_ps_headers(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "ID", "CONTAINER ID", "Names", "NAMES", "Image", "IMAGE",
			 "Command", "COMMAND", "Status", "STATUS", "Ports", "PORTS",
			 "Created", "CREATED", "CreatedHuman", "CREATED",
			 "RunningFor", "CREATED", "CreatedAt", "CREATED AT");
}
