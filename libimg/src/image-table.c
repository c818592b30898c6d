// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The table of CRIU 4.x image kinds. Names are those of CRIU's magic list
 * (what the JSON "magic" field says), magics are its values, file names its
 * file name formats. Where two kinds share a magic (PAGEMAP and
 * SHMEM_PAGEMAP, SIGNAL and PSIGNAL) the first row is the one the magic
 * names; raw kinds (pages, iproute2 and iptables dumps, tarballs) have no
 * magic and cannot be found by it.
 */
#include <string.h>

#include "image-table.h"

#include "autofs.pb-c.h"
#include "binfmt-misc.pb-c.h"
#include "bpfmap-data.pb-c.h"
#include "cgroup.pb-c.h"
#include "core.pb-c.h"
#include "cpuinfo.pb-c.h"
#include "fdinfo.pb-c.h"
#include "fs.pb-c.h"
#include "file-lock.pb-c.h"
#include "ghost-file.pb-c.h"
#include "inventory.pb-c.h"
#include "ipc-msg.pb-c.h"
#include "ipc-sem.pb-c.h"
#include "ipc-shm.pb-c.h"
#include "ipc-var.pb-c.h"
#include "mm.pb-c.h"
#include "mnt.pb-c.h"
#include "netdev.pb-c.h"
#include "pagemap.pb-c.h"
#include "pidns.pb-c.h"
#include "pipe-data.pb-c.h"
#include "pstree.pb-c.h"
#include "remap-file-path.pb-c.h"
#include "seccomp.pb-c.h"
#include "sk-packet.pb-c.h"
#include "stats.pb-c.h"
#include "timens.pb-c.h"
#include "userns.pb-c.h"
#include "utsns.pb-c.h"

/* A kind whose files start with the common magic, one message per entry. */
#define KIND(n, fmt, m, msg) \
	{ .name = n, .file_fmt = fmt, .magic = m, .magic_kind = IMG_MAGIC_COMMON, \
	  .desc = &msg##__descriptor }
/* A kind CRIU writes but whose entries this library does not define. */
#define OPAQUE(n, fmt, m) \
	{ .name = n, .file_fmt = fmt, .magic = m, .magic_kind = IMG_MAGIC_COMMON }
#define SERVICE(n, fmt, m, msg) \
	{ .name = n, .file_fmt = fmt, .magic = m, .magic_kind = IMG_MAGIC_SERVICE, \
	  .desc = &msg##__descriptor }
#define RAW(n, fmt) \
	{ .name = n, .file_fmt = fmt, .magic_kind = IMG_MAGIC_NONE }

const struct img_kind img_kinds[] = {
	{ .name = "INVENTORY", .file_fmt = "inventory.img", .magic = 0x58313116,
	  .magic_kind = IMG_MAGIC_ALONE, .desc = &inventory_entry__descriptor },
	KIND("PSTREE", "pstree.img", 0x50273030, pstree_entry),
	KIND("CORE", "core-%u.img", 0x55053847, core_entry),
	KIND("IDS", "ids-%u.img", 0x54432030, task_kobj_ids_entry),
	KIND("MM", "mm-%u.img", 0x57492820, mm_entry),
	KIND("VMAS", "vmas-%u.img", 0x54123737, vma_entry),
	{ .name = "PAGEMAP", .file_fmt = "pagemap-%u.img", .magic = 0x56084025,
	  .magic_kind = IMG_MAGIC_COMMON, .desc = &pagemap_entry__descriptor,
	  .head_desc = &pagemap_head__descriptor },
	{ .name = "SHMEM_PAGEMAP", .file_fmt = "pagemap-shmem-%u.img", .magic = 0x56084025,
	  .magic_kind = IMG_MAGIC_COMMON, .desc = &pagemap_entry__descriptor,
	  .head_desc = &pagemap_head__descriptor },
	RAW("PAGES", "pages-%u.img"),
	KIND("FS", "fs-%u.img", 0x51403912, fs_entry),
	KIND("FDINFO", "fdinfo-%u.img", 0x56213732, fdinfo_entry),
	KIND("FILES", "files.img", 0x56303138, file_entry),
	KIND("REG_FILES", "reg-files.img", 0x50363636, reg_file_entry),
	KIND("EXT_FILES", "ext-files.img", 0x59255641, ext_file_entry),
	KIND("NS_FILES", "ns-files.img", 0x61394011, ns_file_entry),
	KIND("EVENTFD_FILE", "eventfd.img", 0x44523722, eventfd_file_entry),
	KIND("EVENTPOLL_FILE", "eventpoll.img", 0x45023858, eventpoll_file_entry),
	KIND("EVENTPOLL_TFD", "eventpoll-tfd.img", 0x44433746, eventpoll_tfd_entry),
	KIND("SIGNALFD", "signalfd.img", 0x57323820, signalfd_entry),
	KIND("INOTIFY_FILE", "inotify.img", 0x48424431, inotify_file_entry),
	KIND("INOTIFY_WD", "inotify-wd.img", 0x54562009, inotify_wd_entry),
	KIND("FANOTIFY_FILE", "fanotify.img", 0x55096122, fanotify_file_entry),
	KIND("FANOTIFY_MARK", "fanotify-mark.img", 0x56506035, fanotify_mark_entry),
	KIND("TIMERFD", "timerfd.img", 0x50493712, timerfd_entry),
	KIND("PIPES", "pipes.img", 0x56513555, pipe_entry),
	KIND("PIPES_DATA", "pipes-data.img", 0x56453709, pipe_data_entry),
	KIND("FIFO", "fifo.img", 0x58364939, fifo_entry),
	KIND("FIFO_DATA", "fifo-data.img", 0x59333054, pipe_data_entry),
	KIND("MEMFD_INODE", "memfd.img", 0x48453499, memfd_inode_entry),
	KIND("UNIXSK", "unixsk.img", 0x54373943, unix_sk_entry),
	KIND("INETSK", "inetsk.img", 0x56443851, inet_sk_entry),
	KIND("PACKETSK", "packetsk.img", 0x60454618, packet_sock_entry),
	KIND("NETLINK_SK", "netlinksk.img", 0x58005614, netlink_sk_entry),
	KIND("SK_QUEUES", "sk-queues.img", 0x56264026, sk_packet_entry),
	KIND("TCP_STREAM", "tcp-stream-%x.img", 0x51465506, tcp_stream_entry),
	KIND("TUNFILE", "tunfile.img", 0x57143751, tunfile_entry),
	KIND("TTY_FILES", "tty.img", 0x59433025, tty_file_entry),
	KIND("TTY_INFO", "tty-info.img", 0x59453036, tty_info_entry),
	KIND("TTY_DATA", "tty-data.img", 0x59413026, tty_data_entry),
	KIND("BPFMAP_FILE", "bpfmap-file.img", 0x57506142, bpfmap_file_entry),
	KIND("BPFMAP_DATA", "bpfmap-data.img", 0x64324033, bpfmap_data_entry),
	KIND("REMAP_FPATH", "remap-fpath.img", 0x59133954, remap_file_path_entry),
	KIND("GHOST_FILE", "ghost-file-%x.img", 0x52583605, ghost_file_entry),
	KIND("FILE_LOCKS", "filelocks.img", 0x54323616, file_lock_entry),
	KIND("SIGACT", "sigacts-%u.img", 0x55344201, sa_entry),
	KIND("ITIMERS", "itimers-%u.img", 0x57464056, itimer_entry),
	KIND("POSIX_TIMERS", "posix-timers-%u.img", 0x52603957, posix_timer_entry),
	KIND("CREDS", "creds-%u.img", 0x54023547, creds_entry),
	KIND("RLIMIT", "rlimit-%u.img", 0x57113925, rlimit_entry),
	KIND("SIGNAL", "signal-s-%u.img", 0x59255647, siginfo_entry),
	KIND("PSIGNAL", "signal-p-%u.img", 0x59255647, siginfo_entry),
	KIND("SECCOMP", "seccomp.img", 0x64413049, seccomp_entry),
	KIND("UTSNS", "utsns-%u.img", 0x54473203, utsns_entry),
	KIND("IPC_VAR", "ipcns-var-%u.img", 0x53115007, ipc_var_entry),
	KIND("IPCNS_SHM", "ipcns-shm-%u.img", 0x46283044, ipc_shm_entry),
	KIND("IPCNS_MSG", "ipcns-msg-%u.img", 0x55453737, ipc_msg_entry),
	KIND("IPCNS_SEM", "ipcns-sem-%u.img", 0x59573019, ipc_sem_entry),
	KIND("MNTS", "mountpoints-%u.img", 0x55563928, mnt_entry),
	KIND("NETDEV", "netdev-%u.img", 0x57373951, net_device_entry),
	KIND("NETNS", "netns-%u.img", 0x55933752, netns_entry),
	KIND("USERNS", "userns-%u.img", 0x55474906, userns_entry),
	KIND("PIDNS", "pidns-%u.img", 0x61157326, pidns_entry),
	KIND("TIMENS", "timens-%u.img", 0x43114433, timens_entry),
	KIND("CGROUP", "cgroup.img", 0x59383330, cgroup_entry),
	KIND("CPUINFO", "cpuinfo.img", 0x61404013, cpuinfo_entry),
	KIND("BINFMT_MISC", "binfmt-misc.img", 0x67343323, binfmt_misc_entry),
	KIND("AUTOFS", "autofs-%u.img", 0x49353943, autofs_entry),
	OPAQUE("APPARMOR", "apparmor.img", 0x59423047),
	/* stats-dump and stats-restore: same kind, the writer picks the name. */
	SERVICE("STATS", "stats-dump", 0x57093306, stats_entry),
	SERVICE("IRMAP_CACHE", "irmap-cache", 0x57004059, irmap_cache_entry),
	RAW("IFADDR", "ifaddr-%u.img"),
	RAW("ROUTE", "route-%u.img"),
	RAW("ROUTE6", "route6-%u.img"),
	RAW("RULE", "rule-%u.img"),
	RAW("IPTABLES", "iptables-%u.img"),
	RAW("IP6TABLES", "ip6tables-%u.img"),
	RAW("NFTABLES", "nftables-%u.img"),
	RAW("NETNF_CT", "netns-ct-%u.img"),
	RAW("NETNF_EXP", "netns-exp-%u.img"),
	RAW("TMPFS_IMG", "tmpfs-%u.tar.gz.img"),
	RAW("TMPFS_DEV", "tmpfs-dev-%u.tar.gz.img"),
	{ .name = NULL },
};

const struct img_kind *img_kind_by_name(const char *name)
{
	const struct img_kind *k;

	for (k = img_kinds; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

const struct img_kind *img_kind_by_magic(uint32_t magic)
{
	const struct img_kind *k;

	for (k = img_kinds; k->name; k++)
		if (k->magic_kind != IMG_MAGIC_NONE && k->magic == magic)
			return k;
	return NULL;
}
