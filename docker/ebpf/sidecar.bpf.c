// SPDX-License-Identifier: GPL-2.0
/*
 * sidecar-bench's eBPF interception, one object for every mechanism (the loader attaches only the
 * programs a topology asks for):
 *
 *  - sb_sockops + sb_msg (sockops, sk_msg, one sockhash): both ends of a local TCP connection of
 *    the run's pods are put in the sockhash and paired; a message sent on one end is moved to the
 *    other end's receive queue (BPF_F_INGRESS), skipping the loopback/veth TCP stack. Pairs are
 *    found the way a NAT-ed connection still allows: the passive end's peer address is the active
 *    end's local address (true for direct, connect4-rewritten and iptables REDIRECT-ed connections).
 *  - sb_connect4 + sb_getsockopt (cgroup/connect4, cgroup/getsockopt; sb_sockops or, without
 *    sockmap, sb_sockops_origin moves each record to the socket's local endpoint): an app's outbound connect()
 *    to a non-loopback address is rewritten to 127.0.0.1:15001 (the sidecar's outbound listener),
 *    the original destination kept; the sidecar's getsockopt(SOL_IP, SO_ORIGINAL_DST) on the
 *    accepted socket is answered from that record, as iptables' conntrack would.
 *
 * Only UAPI context fields are read, so no vmlinux.h/CO-RE is needed: the object loads on any
 * kernel with these program types (connect4 ≥ 4.17, getsockopt ≥ 5.3, netns cookies in
 * sockops/sk_msg ≥ 5.15).
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define SOL_IP 0
#define SO_ORIGINAL_DST 80
/* Must match src/interception/iptables.ts (PROXY_UID, OUTBOUND_CAPTURE_PORT). */
#define PROXY_UID 1337
#define OUTBOUND_CAPTURE_PORT 15001
#define MAX_ENTRIES 65536

/* Indices of sb_counters; the loader reads them by name in this order (src/interception/ebpf-counters.ts). */
enum sb_counter {
	SB_MSG_REDIRECTED = 0,   /* sk_msg: messages moved socket to socket */
	SB_BYTES_REDIRECTED,     /* sk_msg: bytes of those messages */
	SB_MSG_PASSED,           /* sk_msg: messages on a socket with no paired peer: left to TCP */
	SB_REDIRECT_FAILED,      /* sk_msg: paired peer no longer in the sockhash: left to TCP */
	SB_SOCKETS_ADDED,        /* sockops: sockets put in the sockhash */
	SB_PAIRS,                /* sockops: connections whose two ends were paired */
	SB_CONNECT_REWRITTEN,    /* connect4: outbound connects sent to the sidecar */
	SB_ORIGDST_ANSWERED,     /* getsockopt: SO_ORIGINAL_DST answered from the map */
	SB_ORIGDST_MISSED,       /* getsockopt: SO_ORIGINAL_DST asked, no record: left to the kernel */
	SB_COUNTERS,
};

/* One socket: its own view of the connection (ports in host order, addresses in network order). */
struct sock_key {
	__u64 netns;
	__u32 local_ip;
	__u32 remote_ip;
	__u32 local_port;
	__u32 remote_port;
};

/* One endpoint (address, port); the netns cookie only for 127/8, which every pod has. */
struct endpoint_key {
	__u64 netns;
	__u32 ip;
	__u32 port;
};

struct origin {
	__u32 ip;   /* network order */
	__u16 port; /* network order */
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct sock_key);
	__type(value, __u64);
} sb_sockhash SEC(".maps");

/* Each paired socket → its peer's key in sb_sockhash. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct sock_key);
	__type(value, struct sock_key);
} sb_peers SEC(".maps");

/* Active (connecting) sockets by local endpoint, until their passive end shows up. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct endpoint_key);
	__type(value, struct sock_key);
} sb_active SEC(".maps");

/* connect4 → sockops: original destination by socket cookie. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, __u64);
	__type(value, struct origin);
} sb_conn_orig SEC(".maps");

/* sockops → getsockopt: original destination by the app socket's local endpoint (the proxy's peer). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_ENTRIES);
	__type(key, struct endpoint_key);
	__type(value, struct origin);
} sb_orig_dst SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} sb_counters SEC(".maps");

static __always_inline void count(__u32 index, __u64 amount)
{
	__u64 *value = bpf_map_lookup_elem(&sb_counters, &index);
	if (value)
		__sync_fetch_and_add(value, amount);
}

static __always_inline int is_loopback(__u32 ip_network_order)
{
	return (bpf_ntohl(ip_network_order) >> 24) == 127;
}

static __always_inline void endpoint(struct endpoint_key *key, __u64 netns, __u32 ip, __u32 port)
{
	key->netns = is_loopback(ip) ? netns : 0;
	key->ip = ip;
	key->port = port;
}

static __always_inline void sock_key_of_ops(struct bpf_sock_ops *skops, struct sock_key *key)
{
	key->netns = bpf_get_netns_cookie(skops);
	key->local_ip = skops->local_ip4;
	key->remote_ip = skops->remote_ip4;
	key->local_port = skops->local_port;
	key->remote_port = bpf_ntohl(skops->remote_port);
}

/* connect4-rewritten socket: the proxy will see its local endpoint as its peer; move the record there. */
static __always_inline void remember_origin(struct bpf_sock_ops *skops, struct endpoint_key *local)
{
	__u64 cookie = bpf_get_socket_cookie(skops);
	struct origin *origin = bpf_map_lookup_elem(&sb_conn_orig, &cookie);

	if (origin) {
		struct origin copy = *origin;
		bpf_map_update_elem(&sb_orig_dst, local, &copy, BPF_ANY);
		bpf_map_delete_elem(&sb_conn_orig, &cookie);
	}
}

static __always_inline void on_active_established(struct bpf_sock_ops *skops)
{
	struct sock_key key = {};
	struct endpoint_key local = {};

	sock_key_of_ops(skops, &key);
	if (bpf_sock_hash_update(skops, &sb_sockhash, &key, BPF_ANY) == 0)
		count(SB_SOCKETS_ADDED, 1);
	endpoint(&local, key.netns, key.local_ip, key.local_port);
	bpf_map_update_elem(&sb_active, &local, &key, BPF_ANY);
	remember_origin(skops, &local);
	bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
}

static __always_inline void on_passive_established(struct bpf_sock_ops *skops)
{
	struct sock_key key = {};
	struct endpoint_key peer = {};
	struct sock_key *active;

	sock_key_of_ops(skops, &key);
	if (bpf_sock_hash_update(skops, &sb_sockhash, &key, BPF_ANY) == 0)
		count(SB_SOCKETS_ADDED, 1);
	endpoint(&peer, key.netns, key.remote_ip, key.remote_port);
	active = bpf_map_lookup_elem(&sb_active, &peer);
	if (active) {
		struct sock_key active_key = *active;
		bpf_map_update_elem(&sb_peers, &key, &active_key, BPF_ANY);
		bpf_map_update_elem(&sb_peers, &active_key, &key, BPF_ANY);
		bpf_map_delete_elem(&sb_active, &peer);
		count(SB_PAIRS, 1);
	}
	bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
}

static __always_inline void on_close(struct bpf_sock_ops *skops)
{
	struct sock_key key = {};
	struct endpoint_key local = {};

	sock_key_of_ops(skops, &key);
	bpf_map_delete_elem(&sb_peers, &key);
	endpoint(&local, key.netns, key.local_ip, key.local_port);
	bpf_map_delete_elem(&sb_active, &local);
	bpf_map_delete_elem(&sb_orig_dst, &local);
}

SEC("sockops")
int sb_sockops(struct bpf_sock_ops *skops)
{
	if (skops->family != AF_INET)
		return 1;
	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		on_active_established(skops);
		break;
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		on_passive_established(skops);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		if (skops->args[1] == BPF_TCP_CLOSE)
			on_close(skops);
		break;
	default:
		break;
	}
	return 1;
}

/* connect mechanism without sockmap: only the original-destination bookkeeping, no sockhash. */
SEC("sockops")
int sb_sockops_origin(struct bpf_sock_ops *skops)
{
	struct sock_key key = {};
	struct endpoint_key local = {};

	if (skops->family != AF_INET)
		return 1;
	sock_key_of_ops(skops, &key);
	endpoint(&local, key.netns, key.local_ip, key.local_port);
	if (skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB) {
		remember_origin(skops, &local);
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
	} else if (skops->op == BPF_SOCK_OPS_STATE_CB && skops->args[1] == BPF_TCP_CLOSE) {
		bpf_map_delete_elem(&sb_orig_dst, &local);
	}
	return 1;
}

SEC("sk_msg")
int sb_msg(struct sk_msg_md *msg)
{
	struct sock_key key = {};
	struct sock_key *peer;
	long verdict;

	if (msg->family != AF_INET)
		return SK_PASS;
	key.netns = bpf_get_netns_cookie(msg);
	key.local_ip = msg->local_ip4;
	key.remote_ip = msg->remote_ip4;
	key.local_port = msg->local_port;
	key.remote_port = bpf_ntohl(msg->remote_port);
	peer = bpf_map_lookup_elem(&sb_peers, &key);
	if (!peer) {
		count(SB_MSG_PASSED, 1);
		return SK_PASS;
	}
	struct sock_key peer_key = *peer;
	__u32 size = msg->size;
	verdict = bpf_msg_redirect_hash(msg, &sb_sockhash, &peer_key, BPF_F_INGRESS);
	if (verdict == SK_PASS) {
		count(SB_MSG_REDIRECTED, 1);
		count(SB_BYTES_REDIRECTED, size);
	} else {
		count(SB_REDIRECT_FAILED, 1);
	}
	/* No redirect set (peer gone): SK_PASS sends the message through TCP as usual. */
	return SK_PASS;
}

SEC("cgroup/connect4")
int sb_connect4(struct bpf_sock_addr *ctx)
{
	struct origin origin = {};
	__u64 cookie;

	if (ctx->protocol != IPPROTO_TCP)
		return 1;
	/* The proxy's own upstream connections go where they were sent (iptables: --uid-owner RETURN). */
	if ((__u32)bpf_get_current_uid_gid() == PROXY_UID)
		return 1;
	/* Loopback-to-loopback stays (iptables: -o lo -d 127.0.0.0/8 RETURN). */
	if (is_loopback(ctx->user_ip4))
		return 1;
	origin.ip = ctx->user_ip4;
	origin.port = (__u16)ctx->user_port;
	cookie = bpf_get_socket_cookie(ctx);
	bpf_map_update_elem(&sb_conn_orig, &cookie, &origin, BPF_ANY);
	ctx->user_ip4 = bpf_htonl(0x7f000001);
	ctx->user_port = bpf_htons(OUTBOUND_CAPTURE_PORT);
	count(SB_CONNECT_REWRITTEN, 1);
	return 1;
}

SEC("cgroup/getsockopt")
int sb_getsockopt(struct bpf_sockopt *ctx)
{
	struct bpf_sock *sk = ctx->sk;
	struct endpoint_key peer = {};
	struct origin *origin;
	struct sockaddr_in *address;

	if (ctx->level != SOL_IP || ctx->optname != SO_ORIGINAL_DST || !sk)
		return 1;
	/* The proxy's accepted socket: its peer is the app socket's local endpoint. */
	endpoint(&peer, bpf_get_netns_cookie(ctx), sk->dst_ip4, bpf_ntohs(sk->dst_port));
	origin = bpf_map_lookup_elem(&sb_orig_dst, &peer);
	if (!origin) {
		count(SB_ORIGDST_MISSED, 1);
		return 1;
	}
	address = ctx->optval;
	if ((void *)(address + 1) > ctx->optval_end)
		return 1;
	address->sin_family = AF_INET;
	address->sin_port = origin->port;
	address->sin_addr.s_addr = origin->ip;
	__builtin_memset(address->__pad, 0, sizeof(address->__pad));
	/* Two 32-bit stores: the verifier refuses the 64-bit store clang would merge them into. */
	*(volatile __s32 *)&ctx->optlen = sizeof(*address);
	*(volatile __s32 *)&ctx->retval = 0;
	count(SB_ORIGDST_ANSWERED, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
