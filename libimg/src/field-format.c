// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which fields of CRIU 4.x's images its image tool prints specially, and
 * the bit and value names it uses for them. A message field marked LOOK_HEX
 * makes every integer inside it hex (thread_info_x86.gpregs). Flag strings
 * list the names of the set bits in table order, then "0x.." for the rest.
 */
#include <string.h>

#include "field-format.h"
#include "img/vma.h"

#define NAMES(a) .names = a, .nr_names = sizeof(a) / sizeof(a[0])

static const struct look_name mmap_prot[] = {
	{ "PROT_READ", 0x1 },
	{ "PROT_WRITE", 0x2 },
	{ "PROT_EXEC", 0x4 },
};

static const struct look_name mmap_flags[] = {
	{ "MAP_SHARED", 0x1 },
	{ "MAP_PRIVATE", 0x2 },
	{ "MAP_DROPPABLE", 0x8 },
	{ "MAP_ANON", 0x20 },
	{ "MAP_GROWSDOWN", 0x100 },
};

/* CRIU's VMA_* status bits; VMA_AREA_NONE (0) only ever parses. */
static const struct look_name mmap_status[] = {
	{ "VMA_AREA_NONE", 0 },
	{ "VMA_AREA_REGULAR", IMG_VMA_AREA_REGULAR },
	{ "VMA_AREA_STACK", IMG_VMA_AREA_STACK },
	{ "VMA_AREA_VSYSCALL", IMG_VMA_AREA_VSYSCALL },
	{ "VMA_AREA_VDSO", IMG_VMA_AREA_VDSO },
	{ "VMA_AREA_HEAP", IMG_VMA_AREA_HEAP },
	{ "VMA_FILE_PRIVATE", IMG_VMA_FILE_PRIVATE },
	{ "VMA_FILE_SHARED", IMG_VMA_FILE_SHARED },
	{ "VMA_ANON_SHARED", IMG_VMA_ANON_SHARED },
	{ "VMA_ANON_PRIVATE", IMG_VMA_ANON_PRIVATE },
	{ "VMA_AREA_SYSVIPC", IMG_VMA_AREA_SYSVIPC },
	{ "VMA_AREA_SOCKET", IMG_VMA_AREA_SOCKET },
	{ "VMA_AREA_VVAR", IMG_VMA_AREA_VVAR },
	{ "VMA_AREA_AIORING", IMG_VMA_AREA_AIORING },
	{ "VMA_AREA_MEMFD", IMG_VMA_AREA_MEMFD },
	{ "VMA_AREA_SHSTK", IMG_VMA_AREA_SHSTK },
	{ "VMA_AREA_UPROBES", IMG_VMA_AREA_UPROBES },
	{ "VMA_UNSUPP", IMG_VMA_UNSUPP },
};

/* open(2) flags, x86 values. */
static const struct look_name rfile_flags[] = {
	{ "O_WRONLY", 01 },
	{ "O_RDWR", 02 },
	{ "O_CREAT", 0100 },
	{ "O_EXCL", 0200 },
	{ "O_NOCTTY", 0400 },
	{ "O_TRUNC", 01000 },
	{ "O_APPEND", 02000 },
	{ "O_NONBLOCK", 04000 },
	{ "O_DSYNC", 010000 },
	{ "FASYNC", 020000 },
	{ "O_DIRECT", 040000 },
	{ "O_LARGEFILE", 0100000 },
	{ "O_DIRECTORY", 0200000 },
	{ "O_NOFOLLOW", 0400000 },
	{ "O_NOATIME", 01000000 },
	{ "O_CLOEXEC", 02000000 },
};

static const struct look_name seals_flags[] = {
	{ "F_SEAL_SEAL", 0x1 },
	{ "F_SEAL_SHRINK", 0x2 },
	{ "F_SEAL_GROW", 0x4 },
	{ "F_SEAL_WRITE", 0x8 },
	{ "F_SEAL_FUTURE_WRITE", 0x10 },
};

static const struct look_name pmap_flags[] = {
	{ "PE_PARENT", 1u << 0 },
	{ "PE_LAZY", 1u << 1 },
	{ "PE_PRESENT", 1u << 2 },
};

/* CRIU 4.2's tool has no name for TASK_DEAD (2): it prints the number. */
static const struct look_name task_state[] = {
	{ "Alive", 1 },
	{ "Stopped", 3 },
	{ "Zombie", 6 },
};

static const struct look_name sk_family[] = {
	{ "UNIX", 1 },
	{ "INET", 2 },
	{ "INET6", 10 },
	{ "NETLINK", 16 },
	{ "PACKET", 17 },
};

static const struct look_name sk_type[] = {
	{ "STREAM", 1 },
	{ "DGRAM", 2 },
	{ "RAW", 3 },
	{ "SEQPACKET", 5 },
	{ "PACKET", 10 },
};

/* TCP states; the tool uses them for every socket's state. */
static const struct look_name sk_state[] = {
	{ "ESTABLISHED", 1 },
	{ "SYN_SENT", 2 },
	{ "SYN_RECV", 3 },
	{ "FIN_WAIT1", 4 },
	{ "FIN_WAIT2", 5 },
	{ "TIME_WAIT", 6 },
	{ "CLOSE", 7 },
	{ "CLOSE_WAIT", 8 },
	{ "LAST_ACK", 9 },
	{ "LISTEN", 10 },
};

static const struct look_name sk_proto[] = {
	{ "IP", 0 },
	{ "TCP", 6 },
	{ "UDP", 17 },
	{ "UDPLITE", 136 },
};

#define HEX(m, f) { m, f, LOOK_HEX, NULL, 0 }
#define DEV(m, f) { m, f, LOOK_DEV, NULL, 0 }
#define ODEV(m, f) { m, f, LOOK_ODEV, NULL, 0 }
#define IPADDR(m, f) { m, f, LOOK_IPADDR, NULL, 0 }
#define FLAGS(m, f, set) { m, f, LOOK_FLAGS, NAMES(set) }
#define DICT(m, f, set) { m, f, LOOK_DICT, NAMES(set) }

const struct field_format field_formats[] = {
	DICT("task_core_entry", "task_state", task_state),
	HEX("task_core_entry", "blk_sigset"),
	HEX("task_core_entry", "blk_sigset_extended"),
	HEX("task_core_entry", "membarrier_registration_mask"),
	HEX("thread_info_x86", "clear_tid_addr"),
	HEX("thread_info_x86", "gpregs"),
	HEX("user_x86_xsave_entry", "cet"),
	HEX("sa_entry", "sigaction"),
	HEX("sa_entry", "flags"),
	HEX("sa_entry", "restorer"),
	HEX("sa_entry", "mask"),

	HEX("mm_entry", "mm_start_code"),
	HEX("mm_entry", "mm_end_code"),
	HEX("mm_entry", "mm_start_data"),
	HEX("mm_entry", "mm_end_data"),
	HEX("mm_entry", "mm_start_stack"),
	HEX("mm_entry", "mm_start_brk"),
	HEX("mm_entry", "mm_brk"),
	HEX("mm_entry", "mm_arg_start"),
	HEX("mm_entry", "mm_arg_end"),
	HEX("mm_entry", "mm_env_start"),
	HEX("mm_entry", "mm_env_end"),
	HEX("vma_entry", "start"),
	HEX("vma_entry", "end"),
	FLAGS("vma_entry", "prot", mmap_prot),
	FLAGS("vma_entry", "flags", mmap_flags),
	FLAGS("vma_entry", "status", mmap_status),
	HEX("vma_entry", "madv"),
	HEX("vma_entry", "fdflags"),
	HEX("pagemap_entry", "vaddr"),
	FLAGS("pagemap_entry", "flags", pmap_flags),

	FLAGS("reg_file_entry", "flags", rfile_flags),
	FLAGS("memfd_file_entry", "flags", rfile_flags),
	FLAGS("memfd_inode_entry", "seals", seals_flags),
	FLAGS("bpfmap_file_entry", "flags", rfile_flags),
	HEX("pipe_entry", "flags"),
	HEX("signalfd_entry", "flags"),
	HEX("signalfd_entry", "sigmask"),
	HEX("timerfd_entry", "flags"),
	HEX("timerfd_entry", "settime_flags"),
	HEX("inotify_file_entry", "flags"),
	HEX("inotify_wd_entry", "mask"),
	HEX("inotify_wd_entry", "ignored_mask"),
	DEV("inotify_wd_entry", "s_dev"),
	HEX("fanotify_file_entry", "flags"),
	HEX("fanotify_file_entry", "faflags"),
	HEX("fanotify_file_entry", "evflags"),
	HEX("fanotify_mark_entry", "mflags"),
	HEX("fanotify_mark_entry", "mask"),
	HEX("fanotify_mark_entry", "ignored_mask"),
	DEV("fanotify_mark_entry", "s_dev"),
	HEX("tty_file_entry", "flags"),
	HEX("tun_link_entry", "flags"),
	DEV("ghost_file_entry", "dev"),
	ODEV("ghost_file_entry", "rdev"),
	ODEV("irmap_cache_entry", "dev"),

	DICT("unix_sk_entry", "type", sk_type),
	DICT("unix_sk_entry", "state", sk_state),
	HEX("unix_sk_entry", "flags"),
	HEX("unix_sk_entry", "uflags"),
	{ "unix_sk_entry", "name", LOOK_QP, NULL, 0 },
	DICT("inet_sk_entry", "family", sk_family),
	DICT("inet_sk_entry", "type", sk_type),
	DICT("inet_sk_entry", "proto", sk_proto),
	DICT("inet_sk_entry", "state", sk_state),
	HEX("inet_sk_entry", "flags"),
	IPADDR("inet_sk_entry", "src_addr"),
	IPADDR("inet_sk_entry", "dst_addr"),
	HEX("packet_sock_entry", "flags"),
	HEX("netlink_sk_entry", "flags"),
	HEX("tcp_stream_entry", "opt_mask"),

	DEV("mnt_entry", "root_dev"),
	HEX("mnt_entry", "flags"),
	HEX("mnt_entry", "sb_flags"),
	HEX("net_device_entry", "flags"),
	IPADDR("sit_entry", "local"),
	IPADDR("sit_entry", "remote"),
	IPADDR("sit_entry", "rd_prefix"),
	IPADDR("sit_entry", "relay_prefix"),
	{ NULL, NULL, LOOK_PLAIN, NULL, 0 },
};

const struct field_format *field_format_find(const char *msg, const char *field)
{
	const struct field_format *ff;

	for (ff = field_formats; ff->msg; ff++)
		if (!strcmp(ff->field, field) && !strcmp(ff->msg, msg))
			return ff;
	return NULL;
}
