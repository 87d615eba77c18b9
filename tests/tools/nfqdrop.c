// SPDX-License-Identifier: GPL-2.0-or-later
/* nfqdrop.c - lossy link for tests: an NFQUEUE listener that drops or holds
 * back packets at random (these kernels have no sch_netem)
 *
 *	nfqdrop QUEUE DROP_PERMILLE [HOLD_PERMILLE HOLD_MS [CORRUPT_PERMILLE]]
 *
 * Binds netfilter queue QUEUE (IPv4 and IPv6) in the current network
 * namespace; every packet an `NFQUEUE --queue-num QUEUE` rule sends here is
 * dropped with probability DROP_PERMILLE/1000, else held back HOLD_MS
 * milliseconds with probability HOLD_PERMILLE/1000 (reordering it behind the
 * packets that follow), else, with probability CORRUPT_PERMILLE/1000, accepted
 * with one byte of its TCP or UDP payload flipped (the kernel then hands it on
 * without a checksum it vouches for), else accepted.  Unlike a drop in the
 * rule itself, the
 * sender's stack sees the packet as sent, so the loss is a real one, as when a
 * tap queue overflows.  Prints "queued=N dropped=N held=N" on SIGTERM/SIGINT
 * and exits 0.  Needs CAP_NET_ADMIN in the namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOLD_MAX	4096

static struct mnl_socket *nl;
static unsigned queue_num;
static volatile sig_atomic_t stop;
static unsigned long long queued, dropped, held;
static struct { uint32_t id; uint64_t due; } hold[HOLD_MAX];
static int nhold;
static unsigned drop_pm, hold_pm, hold_ms, corrupt_pm;
static unsigned long long corrupted;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct nlmsghdr *nfq_hdr(char *buf, int type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (uint16_t)((NFNL_SUBSYS_QUEUE << 8) | type);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons((uint16_t)queue_num);
	return nlh;
}

static int send_msg(struct nlmsghdr *nlh)
{
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("mnl_socket_sendto");
		return -1;
	}
	return 0;
}

static int verdict_payload(uint32_t id, int v, const void *pkt, size_t len)
{
	static char buf[65536 + 8192];
	struct nlmsghdr *nlh = nfq_hdr(buf, NFQNL_MSG_VERDICT);
	struct nfqnl_msg_verdict_hdr vh = { .verdict = htonl((uint32_t)v), .id = htonl(id) };

	mnl_attr_put(nlh, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	if (pkt)
		mnl_attr_put(nlh, NFQA_PAYLOAD, len, pkt);
	return send_msg(nlh);
}

static int verdict(uint32_t id, int v)
{
	return verdict_payload(id, v, NULL, 0);
}

/* Flip one byte of the TCP/UDP payload of IP packet @p; 0 if it has none */
static int corrupt(uint8_t *p, size_t len)
{
	size_t l4, hl;

	if (len < 40)
		return 0;
	if ((p[0] >> 4) == 4) {
		l4 = (size_t)(p[0] & 15) * 4;
		if ((p[9] != 6 && p[9] != 17) || l4 + 20 > len)
			return 0;
		hl = p[9] == 6 ? (size_t)(p[l4 + 12] >> 4) * 4 : 8;
	} else {
		l4 = 40;
		if (p[6] != 6 && p[6] != 17)
			return 0;
		hl = p[6] == 6 ? (size_t)(p[l4 + 12] >> 4) * 4 : 8;
	}
	if (l4 + hl >= len)
		return 0;
	p[l4 + hl + (size_t)random() % (len - l4 - hl)] ^= 0x5a;
	return 1;
}

static int bind_queue(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nfq_hdr(buf, NFQNL_MSG_CONFIG);
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = {
		.copy_range = htonl(corrupt_pm ? 65535 : 0),
		.copy_mode = corrupt_pm ? NFQNL_COPY_PACKET : NFQNL_COPY_META,
	};

	mnl_attr_put(nlh, NFQA_CFG_CMD, sizeof(cmd), &cmd);
	if (send_msg(nlh))
		return -1;
	nlh = nfq_hdr(buf, NFQNL_MSG_CONFIG);
	mnl_attr_put(nlh, NFQA_CFG_PARAMS, sizeof(params), &params);
	/* keep GSO packets whole: one frame on the tap is one packet here */
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(NFQA_CFG_F_GSO));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(NFQA_CFG_F_GSO));
	return send_msg(nlh);
}

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type == NFQA_PACKET_HDR || type == NFQA_PAYLOAD)
		tb[type] = a;
	return MNL_CB_OK;
}



static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFQA_MAX + 1] = { 0 };
	const struct nfqnl_msg_packet_hdr *ph;
	unsigned r = (unsigned)random() % 1000;
	uint32_t id;

	(void)data;
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, tb);
	if (!tb[NFQA_PACKET_HDR])
		return MNL_CB_OK;
	ph = mnl_attr_get_payload(tb[NFQA_PACKET_HDR]);
	id = ntohl(ph->packet_id);
	queued++;
	if (r < drop_pm) {
		dropped++;
		return verdict(id, NF_DROP) ? MNL_CB_ERROR : MNL_CB_OK;
	}
	if (r >= drop_pm + hold_pm && r < drop_pm + hold_pm + corrupt_pm && tb[NFQA_PAYLOAD]) {
		static uint8_t pkt[65536];
		size_t len = mnl_attr_get_payload_len(tb[NFQA_PAYLOAD]);

		if (len <= sizeof(pkt)) {
			memcpy(pkt, mnl_attr_get_payload(tb[NFQA_PAYLOAD]), len);
			if (corrupt(pkt, len)) {
				corrupted++;
				return verdict_payload(id, NF_ACCEPT, pkt, len) ? MNL_CB_ERROR : MNL_CB_OK;
			}
		}
	}
	if (r < drop_pm + hold_pm && nhold < HOLD_MAX) {
		held++;
		hold[nhold].id = id;
		hold[nhold++].due = now_ms() + hold_ms;
		return MNL_CB_OK;
	}
	return verdict(id, NF_ACCEPT) ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Accept the held packets that are due; return ms until the next, -1 none */
static int release_held(void)
{
	uint64_t t = now_ms();
	int i, k = 0, next = -1;

	for (i = 0; i < nhold; i++) {
		if (hold[i].due <= t) {
			verdict(hold[i].id, NF_ACCEPT);
			continue;
		}
		if (next < 0 || (int)(hold[i].due - t) < next)
			next = (int)(hold[i].due - t);
		hold[k++] = hold[i];
	}
	nhold = k;
	return next;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	static char buf[1 << 18];
	struct sigaction sa = { .sa_handler = on_signal };
	int one = 1, rcvbuf = 4 << 20;

	if (argc != 3 && argc != 5 && argc != 6) {
		fprintf(stderr, "usage: nfqdrop QUEUE DROP_PERMILLE [HOLD_PERMILLE HOLD_MS [CORRUPT_PERMILLE]]\n");
		return 1;
	}
	queue_num = (unsigned)atoi(argv[1]);
	drop_pm = (unsigned)atoi(argv[2]);
	if (argc == 5) {
		hold_pm = (unsigned)atoi(argv[3]);
		hold_ms = (unsigned)atoi(argv[4]);
	}
	if (argc == 6)
		corrupt_pm = (unsigned)atoi(argv[5]);
	srandom((unsigned)getpid() ^ (unsigned)now_ms());
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink (NETLINK_NETFILTER)");
		return 1;
	}
	/* a full socket buffer would drop packets we never saw: not ours to lose */
	mnl_socket_setsockopt(nl, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind_queue())
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
		int tmo = release_held();
		ssize_t n;

		if (poll(&pfd, 1, tmo) <= 0)
			continue;
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			perror("mnl_socket_recvfrom");
			return 1;
		}
		if (mnl_cb_run(buf, (size_t)n, 0, 0, packet_cb, NULL) < 0 && errno != ENOENT) {
			perror("netlink message");
			return 1;
		}
	}
	for (int i = 0; i < nhold; i++)
		verdict(hold[i].id, NF_ACCEPT);
	printf("queued=%llu dropped=%llu held=%llu corrupted=%llu\n", queued, dropped, held, corrupted);
	return 0;
}
