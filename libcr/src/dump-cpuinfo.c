// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cpuinfo.img: the CPU the dump ran on, as CRIU 4.x records it. A restore
 * reads its xfeatures_mask (restore-check-cpu.c): the XSAVE features the
 * threads had enabled, which a program may have found with CPUID and use
 * any time, in the registers the dump saved or not.
 */
#include <cpuid.h>
#include <string.h>

#include "cpuinfo.pb-c.h"
#include "dump.h"
#include "images.h"
#include "sigframe-x86.h"

/*
 * The capability words of CRIU's capability_ver 2, laid out as the kernel's
 * x86 feature words; the words the kernel defines itself, not read from
 * CPUID (2, 3, 5, 7, 8), stay 0.
 */
#define CAPS_VER 2
#define NR_CAPS 19

/* Capability word @word is register @reg (0 eax .. 3 edx) of CPUID @leaf.@sub. */
static const struct {
	unsigned int word, leaf, sub, reg;
} cap_words[] = {
	{0, 0x1, 0, 3},		/* CPUID 1 EDX */
	{1, 0x80000001, 0, 3},	/* AMD extended EDX */
	{4, 0x1, 0, 2},		/* CPUID 1 ECX */
	{6, 0x80000001, 0, 2},	/* AMD extended ECX */
	{9, 0x7, 0, 1},		/* structured extended features EBX */
	{10, 0xd, 1, 0},	/* XSAVE extensions */
	{11, 0xf, 0, 3},	/* QoS monitoring */
	{12, 0xf, 1, 3},	/* QoS monitoring, L3 */
	{13, 0x80000008, 0, 1}, /* AMD extended EBX */
	{14, 0x6, 0, 0},	/* thermal and power */
	{15, 0x8000000a, 0, 3}, /* SVM */
	{16, 0x7, 0, 2},	/* structured extended features ECX */
	{17, 0x80000007, 0, 1}, /* RAS */
	{18, 0x7, 0, 3},	/* structured extended features EDX */
};

/* CPUID @leaf.@sub in r[4] (eax ebx ecx edx); zeros past the highest leaf of its range. */
static void cpuid(unsigned int leaf, unsigned int sub, unsigned int r[4])
{
	unsigned int max = __get_cpuid_max(leaf & 0x80000000, NULL);

	memset(r, 0, 4 * sizeof(*r));
	if (leaf <= max)
		__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}

static CpuinfoX86Entry__Vendor vendor(void)
{
	unsigned int r[4];
	char id[13];

	cpuid(0, 0, r);
	memcpy(id, &r[1], 4);
	memcpy(id + 4, &r[3], 4);
	memcpy(id + 8, &r[2], 4);
	id[12] = '\0';
	if (!strcmp(id, "GenuineIntel"))
		return CPUINFO_X86_ENTRY__VENDOR__INTEL;
	if (!strcmp(id, "AuthenticAMD"))
		return CPUINFO_X86_ENTRY__VENDOR__AMD;
	return CPUINFO_X86_ENTRY__VENDOR__UNKNOWN;
}

/* Family, model and stepping of CPUID 1, the extended fields folded in. */
static void signature(CpuinfoX86Entry *e)
{
	unsigned int r[4];

	cpuid(1, 0, r);
	e->stepping = r[0] & 0xf;
	e->model = (r[0] >> 4) & 0xf;
	e->cpu_family = (r[0] >> 8) & 0xf;
	if (e->cpu_family == 0xf)
		e->cpu_family += (r[0] >> 20) & 0xff;
	if (e->cpu_family >= 6)
		e->model |= ((r[0] >> 16) & 0xf) << 4;
}

/* The brand string of CPUID 0x80000002-4, without its leading blanks. */
static void brand(char out[49])
{
	const char *s = out;
	unsigned int i, r[4];

	for (i = 0; i < 3; i++) {
		cpuid(0x80000002 + i, 0, r);
		memcpy(out + 16 * i, r, sizeof(r));
	}
	out[48] = '\0';
	while (*s == ' ')
		s++;
	memmove(out, s, strlen(s) + 1);
}

int dump_cpuinfo(struct img_dir *dir)
{
	CpuinfoX86Entry x86 = CPUINFO_X86_ENTRY__INIT, *entries[1] = {&x86};
	CpuinfoEntry ci = CPUINFO_ENTRY__INIT;
	uint32_t caps[NR_CAPS] = {0};
	unsigned int r[4];
	char model_id[49];
	size_t i;

	x86.vendor_id = vendor();
	signature(&x86);
	for (i = 0; i < sizeof(cap_words) / sizeof(cap_words[0]); i++) {
		cpuid(cap_words[i].leaf, cap_words[i].sub, r);
		caps[cap_words[i].word] = r[cap_words[i].reg];
	}
	x86.capability_ver = CAPS_VER;
	x86.n_capability = NR_CAPS;
	x86.capability = caps;
	brand(model_id);
	x86.model_id = model_id;
	x86.has_xfeatures_mask = true;
	x86.xfeatures_mask = x86_xcr0();
	cpuid(0xd, 0, r);
	x86.has_xsave_size = true;
	x86.xsave_size = r[1];
	x86.has_xsave_size_max = true;
	x86.xsave_size_max = r[2];
	ci.n_x86_entry = 1;
	ci.x86_entry = entries;
	return cr_img_write_one(dir, "CPUINFO", 0, &ci.base);
}
