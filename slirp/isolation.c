// SPDX-License-Identifier: GPL-2.0-or-later
/* isolation.c - empty filesystem, no new privileges, seccomp allow-list */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "isolation.h"
#include "log.h"
#include "sysfilter.h"

/* the only sockets either process may make */
static const int inet[] = { AF_INET, AF_INET6 };

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

static struct { unsigned long start, end; } text_maps[64];
static int text_count;

int isolation_trim_prepare(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return -errno;
	text_count = 0;
	while (fgets(line, sizeof(line), f) && text_count < 64) {
		unsigned long start, end;
		char perms[8];

		/* only never-written text: private data pages must not be dropped */
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
		    strcmp(perms, "r-xp") || !strchr(line, '/'))
			continue;
		text_maps[text_count].start = start;
		text_maps[text_count].end = end;
		text_count++;
	}
	fclose(f);
	return text_count;
}

void isolation_trim(void)
{
	int i;

	for (i = 0; i < text_count; i++)
		madvise((void *)text_maps[i].start, text_maps[i].end - text_maps[i].start,
			MADV_DONTNEED);
}

int isolation_fs(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
		debug("unshare(CLONE_NEWUSER | CLONE_NEWNS): %s", strerror(errno));
		return -errno;
	}
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
	if (write_file("/proc/self/uid_map", map))
		return -EPERM;
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
	if (write_file("/proc/self/gid_map", map))
		return -EPERM;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("burrow-slirp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=4k,nr_inodes=2,mode=0500") ||
	    chdir("/tmp") || syscall(SYS_pivot_root, ".", ".") ||
	    umount2(".", MNT_DETACH) || chdir("/")) {
		debug("empty root: %s", strerror(errno));
		return -errno;
	}
	mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	return 0;
}

/*
 * load_filter() - no new privileges, then allow only @calls and IPv4/IPv6
 * sockets; anything else fails with EPERM.  @what prefixes the error.
 */
static int load_filter(const int *calls, size_t ncalls, const char *what)
{
	int r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -errno;
	}
	r = sysfilter_load(calls, ncalls, inet, ARRAY_SIZE(inet), SCMP_ACT_ERRNO(EPERM));
	if (r < 0)
		err("%s: %s", what, strerror(-r));
	return r;
}

int isolation_seccomp_helper(void)
{
	static const int allowed[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(sendmsg), SCMP_SYS(close),
		SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn),
		/* pasta -T/-U: listeners on the namespace's loopback */
		SCMP_SYS(setsockopt), SCMP_SYS(bind), SCMP_SYS(listen),
		/* memory, for sanitizer runtimes (SAN=1 builds) */
		SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mprotect),
		SCMP_SYS(madvise), SCMP_SYS(futex),
	};
	return load_filter(allowed, ARRAY_SIZE(allowed), "seccomp (splice helper)");
}

int isolation_seccomp(void)
{
	static const int allowed[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
		SCMP_SYS(close), SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait),
		SCMP_SYS(epoll_ctl), SCMP_SYS(recvfrom), SCMP_SYS(recvmsg),
		SCMP_SYS(recvmmsg), SCMP_SYS(sendto), SCMP_SYS(sendmsg),
		SCMP_SYS(sendmmsg), SCMP_SYS(connect), SCMP_SYS(setsockopt),
		SCMP_SYS(getsockopt), SCMP_SYS(ioctl), SCMP_SYS(shutdown),
		SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(accept4),
		SCMP_SYS(getsockname), SCMP_SYS(getpeername), SCMP_SYS(splice),
		SCMP_SYS(pipe2), SCMP_SYS(fcntl), SCMP_SYS(timerfd_settime),
		SCMP_SYS(timerfd_gettime), SCMP_SYS(clock_gettime),
		SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep), SCMP_SYS(exit),
		SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
		SCMP_SYS(madvise), SCMP_SYS(futex), SCMP_SYS(getpid), SCMP_SYS(gettid),
		SCMP_SYS(getrandom), SCMP_SYS(sched_yield), SCMP_SYS(restart_syscall),
		SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek),
		/* sanitizer runtimes (SAN=1 builds) */
		SCMP_SYS(mprotect), SCMP_SYS(sigaltstack), SCMP_SYS(rt_sigaction),
		SCMP_SYS(getrlimit), SCMP_SYS(prlimit64), SCMP_SYS(sched_getaffinity),
	};
	return load_filter(allowed, ARRAY_SIZE(allowed), "seccomp");
}
