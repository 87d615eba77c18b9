// SPDX-License-Identifier: GPL-2.0-or-later
/* isolation.c - drop capabilities after start-up, then a seccomp allow-list */

#include <errno.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "isolation.h"
#include "log.h"
#include "sysfilter.h"

int isolate(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	const unsigned keep = CAP_NET_BIND_SERVICE;
	unsigned c;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		warn("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -errno;
	}
	if (syscall(SYS_capget, &hdr, data)) {
		warn("capget: %s", strerror(errno));
		return -errno;
	}
	if (!(data[0].permitted | data[1].permitted))
		return 0;			/* nothing to give up */
	for (c = 0; c < 64; c++) {
		if (c == keep)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno == EINVAL)
			break;			/* past the kernel's last capability */
	}
	memset(data, 0, sizeof(data));
	if (hdr.version == _LINUX_CAPABILITY_VERSION_3) {
		data[keep / 32].permitted = 1u << (keep % 32);
		data[keep / 32].effective = 1u << (keep % 32);
	}
	hdr.pid = 0;
	if (syscall(SYS_capset, &hdr, data)) {
		warn("capset: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* on_sigsys() - a call outside the allow-list: say which, then exit */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char msg[96];
	int n;

	(void)sig;
	(void)uc;
	/* snprintf of an int is async-signal-safe in practice (no locale, no malloc) */
	n = snprintf(msg, sizeof(msg),
		     "burrow-dns: error: seccomp: system call %d not allowed: exiting\n",
		     si->si_syscall);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0;
	_exit(2);
}

int isolate_seccomp(void)
{
	static const int allowed[] = {
		/* the epoll loop, listeners, TCP clients, upstream queries */
		SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_ctl),
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
		SCMP_SYS(close), SCMP_SYS(recvfrom), SCMP_SYS(recvmsg),
		SCMP_SYS(recvmmsg), SCMP_SYS(sendto), SCMP_SYS(sendmsg),
		SCMP_SYS(sendmmsg), SCMP_SYS(accept4), SCMP_SYS(connect),
		SCMP_SYS(bind), SCMP_SYS(listen), SCMP_SYS(setsockopt),
		SCMP_SYS(getsockopt), SCMP_SYS(getsockname), SCMP_SYS(getpeername),
		SCMP_SYS(shutdown), SCMP_SYS(fcntl),
		/* reload: records lock and folder, resolv.conf, pid file and
		 * control socket removed on exit */
		SCMP_SYS(openat), SCMP_SYS(open), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
		SCMP_SYS(stat), SCMP_SYS(statx), SCMP_SYS(lseek), SCMP_SYS(getdents64),
		SCMP_SYS(flock), SCMP_SYS(access), SCMP_SYS(faccessat),
		SCMP_SYS(faccessat2), SCMP_SYS(unlink), SCMP_SYS(unlinkat),
		/* time, randomness, signals, memory, exit */
		SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday), SCMP_SYS(getrandom),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(restart_syscall),
		SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(brk), SCMP_SYS(mmap),
		SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(mprotect), SCMP_SYS(madvise),
		SCMP_SYS(futex), SCMP_SYS(exit), SCMP_SYS(exit_group),
	};
	/* sockets: upstream queries (IPv4, IPv6), new listeners, syslog (AF_UNIX) */
	static const int families[] = { AF_INET, AF_INET6, AF_UNIX };
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	int r;

#if defined(__SANITIZE_ADDRESS__)
	/* ASan/LSan need many more calls (LSan stops the world with clone and
	 * ptrace at exit): sanitizer builds run without the filter */
	return 0;
#endif
	if (sigaction(SIGSYS, &sa, NULL)) {
		warn("sigaction(SIGSYS): %s", strerror(errno));
		return -errno;
	}
	r = sysfilter_load(allowed, sizeof(allowed) / sizeof(allowed[0]), families,
			   sizeof(families) / sizeof(families[0]), SCMP_ACT_TRAP);
	if (r < 0)
		warn("seccomp: %s", strerror(-r));
	return r;
}
