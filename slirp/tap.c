// SPDX-License-Identifier: GPL-2.0-or-later
/* tap.c - create the tap device inside the guest's namespaces; frame I/O */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "name.h"
#include "netconf.h"
#include "tap.h"

_Static_assert(sizeof(struct virtio_net_hdr) == TAP_HDR_LEN, "virtio-net header size");

/* Whether the namespaces behind two fds are the same */
static int same_ns(int a, int b)
{
	struct stat sa, sb;

	if (fstat(a, &sa) || fstat(b, &sb))
		return -errno;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int tap_open_ns(const struct slirp_conf *conf, int *userns, int *netns)
{
	char path[64];
	const char *np = conf->netns_path, *up = conf->userns_path;

	if (conf->target_pid) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)conf->target_pid);
		np = path;
	}
	*netns = open(np, O_RDONLY | O_CLOEXEC);
	if (*netns < 0) {
		err("open(%s): %s", np, strerror(errno));
		return -errno;
	}
	if (conf->target_pid && !up && !conf->netns_only) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)conf->target_pid);
		up = path;
	}
	*userns = -1;
	if (up) {
		_cleanup_close_ int self = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
		int r;

		*userns = open(up, O_RDONLY | O_CLOEXEC);
		if (*userns < 0) {
			err("open(%s): %s", up, strerror(errno));
			return -errno;
		}
		r = self >= 0 ? same_ns(self, *userns) : 0;
		if (r == 1) {		/* already there: setns would fail */
			close(*userns);
			*userns = -1;
		}
	}
	return 0;
}

/* A default route via @gw on @dev, with a link route to @gw first when no
 * address of @dev covers it (pasta copies a gateway outside the prefix too) */
static int route_default_via(struct netconf *nc, const char *dev, const struct addr *gw,
			     const struct cidr *own)
{
	struct cidr link = { .addr = *gw, .prefix = gw->family == AF_INET ? 32 : 128 };
	int r = 0;

	if (!cidr_contains(own, gw) && !(gw->family == AF_INET6 &&
					 IN6_IS_ADDR_LINKLOCAL(&gw->v6)))
		r = netconf_route_add(nc, dev, &link, NULL);
	if (r < 0 && r != -EEXIST)
		return r;
	r = netconf_route_add(nc, dev, NULL, gw);
	return r == -EEXIST ? 0 : r;
}

/* Whether @dst is the prefix of the address configured for its family */
static int is_own_prefix(const struct slirp_conf *conf, const struct cidr *dst)
{
	struct cidr own = { .addr.family = dst->addr.family };

	if (dst->addr.family == AF_INET) {
		own.addr.v4 = conf->guest4;
		own.prefix = conf->prefix4;
	} else {
		own.addr.v6 = conf->guest6;
		own.prefix = conf->prefix6;
	}
	return own.prefix == dst->prefix && cidr_contains(&own, &dst->addr);
}

/* pasta's view: the host interface's other routes, as they were (the ones
 * the addresses made already exist: EEXIST is no error) */
static void copy_routes(struct netconf *nc, const struct slirp_conf *conf)
{
	int i, r;

	for (i = 0; i < conf->nroutes; i++) {
		const struct conf_route *rt = &conf->routes[i];
		struct cidr dst = { .addr.family = rt->family, .prefix = rt->prefix };
		struct addr gw = { .family = rt->family };
		int has_gw;

		if (rt->family == AF_INET ? conf->disable_ipv4 : !conf->ipv6)
			continue;
		memcpy(rt->family == AF_INET ? (void *)&dst.addr.v4 : (void *)&dst.addr.v6,
		       &rt->dst, rt->family == AF_INET ? 4 : 16);
		memcpy(rt->family == AF_INET ? (void *)&gw.v4 : (void *)&gw.v6,
		       &rt->gw, rt->family == AF_INET ? 4 : 16);
		has_gw = rt->family == AF_INET ? gw.v4.s_addr != 0 :
			 !IN6_IS_ADDR_UNSPECIFIED(&gw.v6);
		if (!has_gw && is_own_prefix(conf, &dst))
			continue;	/* the kernel made it with the address */
		r = netconf_route_add(nc, conf->tapname, &dst, has_gw ? &gw : NULL);
		if (r < 0 && r != -EEXIST)
			warn("copying a route of the host into the namespace: %s", strerror(-r));
	}
}

/* pasta's view: the host's own addresses and gateways on the device */
static int configure_host_view(struct netconf *nc, const struct slirp_conf *conf)
{
	const char *dev = conf->tapname;
	int r;

	if (!conf->disable_ipv4 && conf->guest4.s_addr) {
		struct cidr c4 = { .addr = { .family = AF_INET, .v4 = conf->guest4 },
				   .prefix = conf->prefix4 };
		struct addr gw4 = { .family = AF_INET, .v4 = conf->gw4 };

		if ((r = netconf_addr_add(nc, dev, &c4)) < 0) {
			err("netconf_addr_add(%s, %s/%u): %s", dev, inet_ntoa(conf->guest4),
			    conf->prefix4, strerror(-r));
			return r;
		}
		if ((r = netconf_link_up(nc, dev)) < 0) {
			err("netconf_link_up(%s): %s", dev, strerror(-r));
			return r;
		}
		if (conf->gw4.s_addr && (r = route_default_via(nc, dev, &gw4, &c4)) < 0) {
			err("netconf_route_add(%s, default via %s): %s", dev,
			    inet_ntoa(conf->gw4), strerror(-r));
			return r;
		}
	} else if ((r = netconf_link_up(nc, dev)) < 0) {
		err("netconf_link_up(%s): %s", dev, strerror(-r));
		return r;
	}
	if (conf->ipv6 && !IN6_IS_ADDR_UNSPECIFIED(&conf->guest6)) {
		struct cidr c6 = { .addr = { .family = AF_INET6, .v6 = conf->guest6 },
				   .prefix = conf->prefix6 };
		struct addr gw6 = { .family = AF_INET6, .v6 = conf->gw6 };

		if ((r = netconf_addr_add(nc, dev, &c6)) < 0) {
			err("netconf_addr_add(%s, IPv6 address of the host): %s", dev, strerror(-r));
			return r;
		}
		if (!IN6_IS_ADDR_UNSPECIFIED(&conf->gw6) &&
		    (r = route_default_via(nc, dev, &gw6, &c6)) < 0) {
			err("netconf_route_add(%s, IPv6 default route): %s", dev, strerror(-r));
			return r;
		}
	}
	copy_routes(nc, conf);
	return 0;
}

/* Address, routes, MTU and IPv6 on the new device, over @nc */
static int configure_on(struct netconf *nc, const struct slirp_conf *conf)
{
	const char *dev = conf->tapname;
	struct cidr c4 = { .addr = { .family = AF_INET, .v4 = conf->guest4 },
			   .prefix = conf->prefix4 };
	struct addr gw4 = { .family = AF_INET, .v4 = conf->gw4 };
	char key[IFNAMSIZ + 40];
	int r;

	if (conf->guest_mac_set && (r = netconf_link_set_mac(nc, dev, conf->guest_mac)) < 0) {
		err("netconf_link_set_mac(%s): %s", dev, strerror(-r));
		return r;
	}
	if ((r = netconf_link_set_mtu(nc, dev, conf->mtu)) < 0) {
		err("netconf_link_set_mtu(%s, %u): %s", dev, conf->mtu, strerror(-r));
		return r;
	}
	if (!conf->configure)
		return 0;
	if (conf->ipv6) {
		snprintf(key, sizeof(key), "net/ipv6/conf/%s/accept_dad", dev);
		netconf_sysctl_set(key, "0");
		/* pasta's view is configured here, not by our router adverts */
		snprintf(key, sizeof(key), "net/ipv6/conf/%s/accept_ra", dev);
		if (conf->host_view)
			netconf_sysctl_set(key, "0");
	} else {
		snprintf(key, sizeof(key), "net/ipv6/conf/%s/disable_ipv6", dev);
		netconf_sysctl_set(key, "1");
	}
	if ((r = netconf_link_up(nc, "lo")) < 0)
		warn("netconf_link_up(lo): %s", strerror(-r));
	if (conf->host_view)
		return configure_host_view(nc, conf);
	if ((r = netconf_addr_add(nc, dev, &c4)) < 0) {
		err("netconf_addr_add(%s, 10.0.2.100/24): %s", dev, strerror(-r));
		return r;
	}
	if ((r = netconf_link_up(nc, dev)) < 0) {
		err("netconf_link_up(%s): %s", dev, strerror(-r));
		return r;
	}
	if ((r = netconf_route_add(nc, dev, NULL, &gw4)) < 0) {
		err("netconf_route_add(%s, default via gateway): %s", dev, strerror(-r));
		return r;
	}
	if (conf->ipv6) {
		struct cidr c6 = { .addr = { .family = AF_INET6, .v6 = conf->guest6 },
				   .prefix = conf->prefix6 };
		struct addr gw6 = { .family = AF_INET6, .v6 = conf->gw6 };

		if ((r = netconf_addr_add(nc, dev, &c6)) < 0) {
			err("netconf_addr_add(%s, fd00::100/64): %s", dev, strerror(-r));
			return r;
		}
		if ((r = netconf_route_add(nc, dev, NULL, &gw6)) < 0) {
			err("netconf_route_add(%s, default via fd00::2): %s", dev, strerror(-r));
			return r;
		}
	}
	return 0;
}

/* Address, routes, MTU and IPv6 on the new device (we are in its namespace) */
static int configure(const struct slirp_conf *conf)
{
	struct netconf nc = NETCONF_INIT;
	int r;

	if ((r = netconf_open(&nc, -1)) < 0) {
		err("netlink socket: %s", strerror(-r));
		return r;
	}
	r = configure_on(&nc, conf);
	netconf_close(&nc);
	return r;
}

static const char *const proc_net_path[PROC_NET_MAX] = {
	"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6",
};

/* Child, in the namespace: each asked-for /proc/net file onto its slot; one
 * that is absent (no IPv6) closes the slot.  Return: 0, or -1 (logged) */
static int open_proc_net(const int *slots)
{
	int i, fd;

	for (i = 0; i < PROC_NET_MAX; i++) {
		if (slots[i] < 0)
			continue;
		fd = open(proc_net_path[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			close(slots[i]);
			continue;
		}
		if (fd < 0 || dup3(fd, slots[i], O_CLOEXEC) < 0) {
			err("open(%s) in the namespace: %s", proc_net_path[i], strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* Child: join, open the tun device onto @slot, configure; exit status 0 on success */
static int child_main(const struct slirp_conf *conf, int userns, int netns, int slot,
		      const int *proc_slots)
{
	struct ifreq ifr;
	unsigned off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	int hdr = TAP_HDR_LEN;
	int fd;

	if (userns >= 0 && setns(userns, CLONE_NEWUSER)) {
		err("setns(user namespace of the target): %s", strerror(errno));
		return 1;
	}
	if (setns(netns, CLONE_NEWNET)) {
		err("setns(network namespace of the target): %s", strerror(errno));
		return 1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		err("open(/dev/net/tun): %s", strerror(errno));
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", conf->tapname);
	/* the file table is shared with the parent: close fd on every path */
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		err("ioctl(TUNSETIFF, %s): %s", conf->tapname, strerror(errno));
		goto fail;
	}
	if (ioctl(fd, TUNSETVNETHDRSZ, &hdr) || ioctl(fd, TUNSETOFFLOAD, off)) {
		err("ioctl(TUNSETOFFLOAD, %s): %s", conf->tapname, strerror(errno));
		goto fail;
	}
	if (configure(conf) || open_proc_net(proc_slots))
		goto fail;
	if (dup3(fd, slot, O_CLOEXEC) < 0) {
		err("dup3(tap): %s", strerror(errno));
		goto fail;
	}
	close(fd);
	return 0;
fail:
	close(fd);
	return 1;
}

/* Reserve a descriptor number per /proc/net file -t/-u auto needs: the
 * IPv6 ones too when the namespace gets no IPv6 (-4, rootlesskit's call), as
 * pasta does: a dual-stack socket listening on [::] (httpd, nginx, Go's
 * servers) is in tcp6 only and takes IPv4 connections as well */
static void reserve_proc_net(const struct slirp_conf *conf, int *slots)
{
	int i;

	for (i = 0; i < PROC_NET_MAX; i++) {
		int want = i < PROC_NET_UDP ? conf->auto_tcp : conf->auto_udp;

		slots[i] = want ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1;
	}
}

/* After the child: a slot it closed (file absent) or never got is -1 */
static void settle_proc_net(int *slots, int ok)
{
	int i;

	for (i = 0; i < PROC_NET_MAX; i++) {
		if (slots[i] < 0)
			continue;
		if (fcntl(slots[i], F_GETFD) < 0) {
			slots[i] = -1;
		} else if (!ok) {
			close(slots[i]);
			slots[i] = -1;
		}
	}
}

int tap_create(const struct slirp_conf *conf, int proc_net[PROC_NET_MAX])
{
	_cleanup_close_ int userns = -1, netns = -1;
	int slot, status, r;
	pid_t pid;

	if (!name_ifname_valid(conf->tapname)) {
		char q[128];

		err("bad tap device name '%s': a link name is 1 to %d bytes of printable "
		    "ASCII, not '.' or '..', without '/', ':' or blanks",
		    name_quote(conf->tapname, q, sizeof(q)), IFNAMSIZ - 1);
		return -EINVAL;
	}
	r = tap_open_ns(conf, &userns, &netns);
	if (r < 0)
		return r;
	/* reserve a descriptor number the child replaces with the tap device */
	slot = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (slot < 0) {
		err("open(/dev/null): %s", strerror(errno));
		return -errno;
	}
	reserve_proc_net(conf, proc_net);
	/* a fork that shares our file table (not our fs: setns(user) needs that) */
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid < 0) {
		r = -errno;
		err("clone(CLONE_FILES): %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		_exit(child_main(conf, userns, netns, slot, proc_net));
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			r = -errno;
			err("waitpid(%d): %s", (int)pid, strerror(errno));
			goto fail;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		r = -EIO;
		goto fail;
	}
	settle_proc_net(proc_net, 1);
	return slot;
fail:
	settle_proc_net(proc_net, 0);
	close(slot);
	return r;
}

size_t tap_put_headers(const struct ctx *c, uint8_t *buf, int family,
		       const void *src, const void *dst, uint8_t proto,
		       size_t l4_len)
{
	size_t off = TAP_HDR_LEN;

	memset(buf, 0, TAP_HDR_LEN);
	off += frame_put_eth(buf + off, c->guest_mac, c->conf.gw_mac,
			     family == AF_INET ? ETHTYPE_IP4 : ETHTYPE_IP6);
	off += frame_put_ip(buf + off, family, src, dst, proto, l4_len);
	return off;
}

int tap_send(struct ctx *c, const uint8_t *buf, size_t len)
{
	ssize_t n = write(c->tap_fd, buf, len);

	if (n < 0) {
		c->stats.frames_out_err++;
		return -errno;
	}
	c->stats.frames_out++;
	return 0;
}

void tap_close(struct ctx *c)
{
	if (c->tap_fd < 0)
		return;
	if (c->ns_gone && ioctl(c->tap_fd, TUNSETPERSIST, 1) < 0)
		debug("ioctl(TUNSETPERSIST) on the tap device: %s: the close waits for its removal",
		      strerror(errno));
	close(c->tap_fd);
	c->tap_fd = -1;
}
