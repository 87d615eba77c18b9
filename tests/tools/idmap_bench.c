// SPDX-License-Identifier: GPL-2.0-or-later
/* idmap_bench.c - time user namespace creation with full maps (for
 * tests/bench/bench_idmap.sh) and hold one for tests.
 *
 *   idmap_bench lib N [keep-id]    userns_plan + userns_create + userns_release
 *   idmap_bench manual N           by hand: fork, unshare(CLONE_NEWUSER), wait on a
 *                                  pipe while newuidmap then newgidmap run (the
 *                                  classic dance, helpers run one after the other)
 *   idmap_bench exec N CMD...      fork + exec + wait CMD (a CLI end to end)
 *   idmap_bench mix N IDMAP        all of: lib, manual, exec IDMAP true, exec unshare
 *                                  --map-auto --map-root-user true, exec /bin/true,
 *                                  exec newuidmap alone (usage error: its start-up cost);
 *                                  interleaved, so load changes hit all alike
 *   idmap_bench hold               create a detached holder, print "PID", exit
 * Timing modes print "MODE: N ops, median X.XXX ms, mean X.XXX ms, min X.XXX ms".
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "subid.h"
#include "userns.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *mode, double *t, int n)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += t[i];
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%s: %d ops, median %.3f ms, mean %.3f ms, min %.3f ms\n",
	       mode, n, t[n / 2], sum / n, t[0]);
}

static int one_lib(enum userns_mode mode)
{
	static struct userns_maps maps;
	struct userns_opts o = { .mode = mode, .single_id_ok = 1, .quiet = 1 };
	char err[512];
	pid_t holder;
	int fd;

	if (userns_plan(&o, &maps, err, sizeof(err)) < 0 ||
	    (fd = userns_create(&maps, &holder, err, sizeof(err))) < 0) {
		fprintf(stderr, "idmap_bench: %s\n", err);
		return -1;
	}
	close(fd);
	userns_release(holder);
	return 0;
}

/* run "NAME PID 0 OWN 1 1 START COUNT" and wait for it */
static int run_helper(const char *name, pid_t pid, unsigned long own,
		      unsigned long start, unsigned long count)
{
	char a[4][24];
	pid_t c;
	int st;

	snprintf(a[0], sizeof(a[0]), "%d", (int)pid);
	snprintf(a[1], sizeof(a[1]), "%lu", own);
	snprintf(a[2], sizeof(a[2]), "%lu", start);
	snprintf(a[3], sizeof(a[3]), "%lu", count);
	c = fork();
	if (c == 0) {
		execlp(name, name, a[0], "0", a[1], "1", "1", a[2], a[3], (char *)NULL);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	return 0;
}

static int one_manual(const struct subid_range *ru, const struct subid_range *rg)
{
	int ready[2], go[2], ret = -1;
	char c = 0;
	pid_t pid;

	if (pipe(ready) < 0 || pipe(go) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (pid > 0 && read(ready[0], &c, 1) == 1 &&
	    !run_helper("newuidmap", pid, getuid(), ru->start, ru->count) &&
	    !run_helper("newgidmap", pid, getgid(), rg->start, rg->count))
		ret = 0;
	if (write(go[1], "g", 1) != 1)
		ret = -1;
	close(ready[0]);
	close(go[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return ret;
}

/* fork, exec @argv, wait; any exit status is fine when @any_status */
static int one_exec_status(char **argv, int any_status)
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		if (any_status)
			dup2(open("/dev/null", O_WRONLY), 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) < 0 || !WIFEXITED(st) ||
	    (WEXITSTATUS(st) && !any_status) || WEXITSTATUS(st) == 127)
		return -1;
	return 0;
}

static int one_exec(char **argv)
{
	return one_exec_status(argv, 0);
}

/* The interleaved comparison: one of each per round, order rotated. */
static int mix(int n, char *idmap, const struct subid_range *ru,
	       const struct subid_range *rg)
{
	static const char *const names[] = { "lib", "manual", "cli", "unshare", "true",
					     "helper" };
	char *cli[] = { idmap, "true", NULL };
	char *ush[] = { "unshare", "--map-auto", "--map-root-user", "true", NULL };
	char *tru[] = { "/bin/true", NULL };
	char *helper[] = { "newuidmap", NULL };
	double *t[6];
	int i, k, j, r;

	for (k = 0; k < 6; k++)
		if (!(t[k] = calloc((size_t)n, sizeof(double))))
			return 1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < 6; j++) {
			double t0;

			k = (i + j) % 6;
			t0 = now_ms();
			switch (k) {
			case 0: r = one_lib(USERNS_MAP_ROOT); break;
			case 1: r = one_manual(ru, rg); break;
			case 2: r = one_exec(cli); break;
			case 3: r = one_exec(ush); break;
			case 4: r = one_exec(tru); break;
			default: r = one_exec_status(helper, 1); break;
			}
			if (r < 0) {
				fprintf(stderr, "idmap_bench: %s failed at round %d\n", names[k], i);
				return 1;
			}
			t[k][i] = now_ms() - t0;
		}
	}
	for (k = 0; k < 6; k++) {
		report(names[k], t[k], n);
		free(t[k]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct subid_ranges ru, rg;
	struct userns_opts o = { .single_id_ok = 1, .quiet = 1,
				 .hold = USERNS_HOLD_DETACHED };
	static struct userns_maps maps;
	double *t;
	char err[512];
	int n, i;

	if (argc == 2 && !strcmp(argv[1], "hold")) {
		pid_t holder;
		int fd;

		if (userns_plan(&o, &maps, err, sizeof(err)) < 0 ||
		    (fd = userns_create(&maps, &holder, err, sizeof(err))) < 0) {
			fprintf(stderr, "idmap_bench: %s\n", err);
			return 1;
		}
		printf("%d\n", (int)holder);
		return 0;
	}
	if (argc < 3 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: idmap_bench lib|manual|exec|mix N [ARGS]... | hold\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	if ((!strcmp(argv[1], "manual") || !strcmp(argv[1], "mix")) &&
	    (subid_read("/etc/subuid", getenv("USER"), getuid(), &ru, err, sizeof(err)) <= 0 ||
	     subid_read("/etc/subgid", getenv("USER"), getuid(), &rg, err, sizeof(err)) <= 0)) {
		fprintf(stderr, "idmap_bench: no subordinate ranges for $USER\n");
		return 1;
	}
	if (!strcmp(argv[1], "mix")) {
		free(t);
		if (argc != 4) {
			fprintf(stderr, "usage: idmap_bench mix N PATH-OF-burrow-idmap\n");
			return 2;
		}
		return mix(n, argv[3], &ru.r[0], &rg.r[0]);
	}
	for (i = 0; i < n; i++) {
		double t0 = now_ms();
		int r;

		if (!strcmp(argv[1], "lib"))
			r = one_lib(argc > 3 && !strcmp(argv[3], "keep-id") ?
				    USERNS_KEEP_ID : USERNS_MAP_ROOT);
		else if (!strcmp(argv[1], "manual"))
			r = one_manual(&ru.r[0], &rg.r[0]);
		else if (!strcmp(argv[1], "exec") && argc > 3)
			r = one_exec(argv + 3);
		else
			r = -1;
		if (r < 0) {
			fprintf(stderr, "idmap_bench: %s failed at iteration %d\n", argv[1], i);
			return 1;
		}
		t[i] = now_ms() - t0;
	}
	report(argv[1], t, n);
	free(t);
	return 0;
}
