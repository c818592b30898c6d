// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib-log.h"
#include "proc-file.h"
#include "proc-maps.h"
#include "proc-parse.h"

static const char deleted_suffix[] = " (deleted)";

static const struct {
	const char *name;
	enum proc_vma_kind kind;
} special_names[] = {
	{ "[heap]", PROC_VMA_HEAP },
	{ "[stack]", PROC_VMA_STACK },
	{ "[vdso]", PROC_VMA_VDSO },
	{ "[vvar]", PROC_VMA_VVAR },
	{ "[vvar_vclock]", PROC_VMA_VVAR_VCLOCK },
	{ "[vsyscall]", PROC_VMA_VSYSCALL },
	{ "[uprobes]", PROC_VMA_UPROBES },
};

/* The VmFlags mnemonics, bit i of enum proc_vmflag for entry i. */
static const char vmflag_names[][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "dw", "lo", "io",
	"sr", "rr", "dc", "de", "ac", "nr", "ht", "sf", "nl", "ar", "wf", "dd", "sd",
	"mm", "hg", "nh", "mg", "um", "uw", "ss", "lf", "sl", "bt", "mt",
};

/* A mapping being built from its header line and the smaps lines below. */
struct smaps_parser {
	struct proc_vma vma;
	bool pending;
	proc_vma_fn fn;
	void *arg;
	char name[PROC_LINE_MAX + 1];
};

int proc_vmflags_parse(const char *s, uint64_t *flags)
{
	uint64_t bits = 0;

	for (;;) {
		size_t i, n;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		n = strcspn(s, " \t");
		if (n != 2) {
			pr_err("smaps: bad VmFlags word '%.*s'", (int)(n > 16 ? 16 : n), s);
			return -EINVAL;
		}
		for (i = 0; i < sizeof(vmflag_names) / sizeof(vmflag_names[0]); i++)
			if (!memcmp(s, vmflag_names[i], 2))
				break;
		if (i < sizeof(vmflag_names) / sizeof(vmflag_names[0])) {
			bits |= 1ULL << i;
		} else {
			pr_debug("smaps: unknown VmFlags '%.2s'", s);
			bits |= PROC_VMF_UNKNOWN;
		}
		s += n;
	}
	*flags = bits;
	return 0;
}

/* Name column: classify, strip brackets, prefixes and " (deleted)". */
static void set_name(struct smaps_parser *p, const char *name)
{
	struct proc_vma *vma = &p->vma;
	size_t len = strlen(name), i;

	vma->kind = PROC_VMA_FILE;
	vma->deleted = false;
	if (!len) {
		vma->kind = PROC_VMA_ANON;
	} else if (name[0] == '[' && name[len - 1] == ']') {
		vma->kind = PROC_VMA_SPECIAL;
		for (i = 0; i < sizeof(special_names) / sizeof(special_names[0]); i++)
			if (!strcmp(name, special_names[i].name))
				vma->kind = special_names[i].kind;
		if (!strncmp(name, "[anon:", 6) || !strncmp(name, "[anon_shmem:", 12)) {
			vma->kind = PROC_VMA_ANON_NAMED;
			name = strchr(name, ':');
			len = strlen(name);
		}
		/* Keep what is inside the brackets (or after the prefix). */
		name++;
		len -= 2;
	} else if (len >= sizeof(deleted_suffix) &&
		   !strcmp(name + len - (sizeof(deleted_suffix) - 1), deleted_suffix)) {
		vma->deleted = true;
		len -= sizeof(deleted_suffix) - 1;
	}
	memcpy(p->name, name, len);
	p->name[len] = '\0';
	vma->name = p->name;
}

static int parse_perms(char **s, struct proc_vma *vma)
{
	const char *c = *s;

	if ((c[0] != 'r' && c[0] != '-') || (c[1] != 'w' && c[1] != '-') ||
	    (c[2] != 'x' && c[2] != '-') || (c[3] != 's' && c[3] != 'p'))
		return -EINVAL;
	vma->prot = (c[0] == 'r' ? PROT_READ : 0) | (c[1] == 'w' ? PROT_WRITE : 0) |
		    (c[2] == 'x' ? PROT_EXEC : 0);
	vma->shared = c[3] == 's';
	*s += 4;
	return 0;
}

/* "start-end perms pgoff major:minor inode [name]" */
static int parse_header(struct smaps_parser *p, char *line)
{
	struct proc_vma *vma = &p->vma;
	char *s = line;

	memset(vma, 0, sizeof(*vma));
	if (proc_parse_u64(&s, 16, &vma->start) || proc_expect(&s, '-') ||
	    proc_parse_u64(&s, 16, &vma->end) || proc_expect(&s, ' ') ||
	    parse_perms(&s, vma) || proc_expect(&s, ' ') ||
	    proc_parse_u64(&s, 16, &vma->pgoff) || proc_expect(&s, ' ') ||
	    proc_parse_u32(&s, 16, &vma->dev_major) || proc_expect(&s, ':') ||
	    proc_parse_u32(&s, 16, &vma->dev_minor) || proc_expect(&s, ' ') ||
	    proc_parse_u64(&s, 10, &vma->inode) || (*s && *s != ' ')) {
		pr_err("maps: bad line '%.80s'", line);
		return -EINVAL;
	}
	if (vma->end <= vma->start) {
		pr_err("maps: empty or reversed range '%.80s'", line);
		return -EINVAL;
	}
	proc_skip_blanks(&s);
	set_name(p, s);
	return 0;
}

/* A header starts with a hex number followed by '-'; field keys never do. */
static bool is_header(const char *line)
{
	const char *s = line;

	while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))
		s++;
	return s != line && *s == '-';
}

static int parse_kb(char *val, uint64_t *kb)
{
	if (proc_parse_u64(&val, 10, kb) || proc_expect_word(&val, " kB") || proc_expect_end(val))
		return -EINVAL;
	return 0;
}

static int parse_field(struct smaps_parser *p, char *line)
{
	static const struct {
		const char *key;
		size_t off;
	} sizes[] = {
		{ "Size", offsetof(struct proc_vma, size_kb) },
		{ "Rss", offsetof(struct proc_vma, rss_kb) },
		{ "Anonymous", offsetof(struct proc_vma, anon_kb) },
		{ "Swap", offsetof(struct proc_vma, swap_kb) },
		{ "Locked", offsetof(struct proc_vma, locked_kb) },
	};
	struct proc_vma *vma = &p->vma;
	char *val = proc_split_key(line);
	size_t i;

	if (!val || !p->pending) {
		pr_err("smaps: unexpected line '%.80s'", line);
		return -EINVAL;
	}
	vma->have_smaps = true;
	if (!strcmp(line, "VmFlags")) {
		vma->have_vmflags = true;
		return proc_vmflags_parse(val, &vma->vmflags);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (strcmp(line, sizes[i].key))
			continue;
		if (parse_kb(val, (uint64_t *)((char *)vma + sizes[i].off))) {
			pr_err("smaps: bad %s value '%.40s'", line, val);
			return -EINVAL;
		}
	}
	return 0;
}

static int flush(struct smaps_parser *p)
{
	if (!p->pending)
		return 0;
	p->pending = false;
	return p->fn(&p->vma, p->arg);
}

static int smaps_line(char *line, size_t len, void *arg)
{
	struct smaps_parser *p = arg;
	int ret;

	if (!is_header(line))
		return parse_field(p, line);
	ret = flush(p);
	if (ret < 0)
		return ret;
	ret = parse_header(p, line);
	if (ret < 0)
		return ret;
	p->pending = true;
	return 0;
}

static struct smaps_parser *parser_new(proc_vma_fn fn, void *arg)
{
	struct smaps_parser *p = calloc(1, sizeof(*p));

	if (p) {
		p->fn = fn;
		p->arg = arg;
	}
	return p;
}

/* Feed records through @p, then the last pending mapping. */
static int parser_finish(struct smaps_parser *p, int ret)
{
	if (!ret)
		ret = flush(p);
	free(p);
	return ret;
}

int proc_smaps_parse(const char *buf, size_t len, proc_vma_fn fn, void *arg)
{
	struct smaps_parser *p = parser_new(fn, arg);

	if (!p)
		return -ENOMEM;
	return parser_finish(p, proc_records_from_buf(buf, len, '\n', smaps_line, p));
}

int proc_smaps_read(pid_t pid, bool smaps, proc_vma_fn fn, void *arg)
{
	struct smaps_parser *p = parser_new(fn, arg);

	if (!p)
		return -ENOMEM;
	return parser_finish(p, proc_read_records(pid, smaps ? "smaps" : "maps", '\n', smaps_line, p));
}

int proc_vma_open_file(pid_t pid, const struct proc_vma *vma, int flags)
{
	char name[64];

	snprintf(name, sizeof(name), "map_files/%llx-%llx", (unsigned long long)vma->start,
		 (unsigned long long)vma->end);
	return proc_open(pid, name, flags);
}
