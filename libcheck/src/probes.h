/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every probe function, by the file that holds it; registry.c lists them. */
#ifndef CHECK_PROBES_H
#define CHECK_PROBES_H

#include "probe.h"

/* probes-proc.c */
enum check_result probe_map_files(struct probe_out *out);
enum check_result probe_ns_last_pid(struct probe_out *out);
enum check_result probe_proc_stat_ext(struct probe_out *out);
enum check_result probe_posix_timers(struct probe_out *out);
enum check_result probe_loginuid(struct probe_out *out);

/* probes-sockdiag.c */
enum check_result probe_sock_diag_unix(struct probe_out *out);
enum check_result probe_sock_diag_tcp4(struct probe_out *out);
enum check_result probe_sock_diag_tcp6(struct probe_out *out);
enum check_result probe_sock_diag_udp4(struct probe_out *out);
enum check_result probe_sock_diag_udp6(struct probe_out *out);
enum check_result probe_sock_diag_packet(struct probe_out *out);
enum check_result probe_sock_diag_netlink(struct probe_out *out);

/* probes-net.c */
enum check_result probe_so_peek_off(struct probe_out *out);
enum check_result probe_tcp_repair(struct probe_out *out);
enum check_result probe_so_get_filter(struct probe_out *out);
enum check_result probe_sk_ns(struct probe_out *out);
enum check_result probe_nsid(struct probe_out *out);
enum check_result probe_tun(struct probe_out *out);

/* probes-syscalls.c */
enum check_result probe_kcmp(struct probe_out *out);
enum check_result probe_f_getowner_uids(struct probe_out *out);
enum check_result probe_sigqueueinfo(struct probe_out *out);
enum check_result probe_pidfd_getfd(struct probe_out *out);
enum check_result probe_process_vm_readv(struct probe_out *out);
enum check_result probe_clone3_set_tid(struct probe_out *out);
enum check_result probe_clone_parent_vs_pid(struct probe_out *out);

/* probes-fdinfo.c */
enum check_result probe_fdinfo_eventfd(struct probe_out *out);
enum check_result probe_fdinfo_epoll(struct probe_out *out);
enum check_result probe_fdinfo_inotify(struct probe_out *out);
enum check_result probe_fdinfo_fanotify(struct probe_out *out);
enum check_result probe_fdinfo_signalfd(struct probe_out *out);
enum check_result probe_fdinfo_timerfd(struct probe_out *out);
enum check_result probe_mnt_id(struct probe_out *out);
enum check_result probe_fdinfo_lock(struct probe_out *out);
enum check_result probe_timerfd(struct probe_out *out);

/* probes-mm.c */
enum check_result probe_prctl_mm_map(struct probe_out *out);
enum check_result probe_prctl_mm_fields(struct probe_out *out);
enum check_result probe_unaligned_vmsplice(struct probe_out *out);
enum check_result probe_mem_dirty_track(struct probe_out *out);
enum check_result probe_aio_remap(struct probe_out *out);
enum check_result probe_memfd_seals(struct probe_out *out);
enum check_result probe_pagemap_scan(struct probe_out *out);

/* probes-uffd.c */
enum check_result probe_uffd(struct probe_out *out);
enum check_result probe_uffd_noncoop(struct probe_out *out);
enum check_result probe_uffd_wp(struct probe_out *out);

/* probes-tty.c */
enum check_result probe_tty(struct probe_out *out);

/* probes-ptrace.c */
enum check_result probe_ptrace_peeksiginfo(struct probe_out *out);
enum check_result probe_seccomp_suspend(struct probe_out *out);
enum check_result probe_seccomp_filters(struct probe_out *out);
enum check_result probe_get_rseq_conf(struct probe_out *out);

/* probes-rseq.c */
enum check_result probe_rseq(struct probe_out *out);

/* probes-ns.c */
enum check_result probe_userns(struct probe_out *out);
enum check_result probe_cgroupns(struct probe_out *out);
enum check_result probe_timens(struct probe_out *out);
enum check_result probe_ipc_ns_sysctls(struct probe_out *out);

/* probes-experimental.c */
enum check_result probe_kcmp_epoll(struct probe_out *out);
enum check_result probe_openat2(struct probe_out *out);

#endif
