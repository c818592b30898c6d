// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rst_check_cpu(): the XSAVE features the dumping CPU had enabled
 * (cpuinfo.img) must be enabled here. A program may have seen them with
 * CPUID and use them at any time, whether or not its saved registers
 * hold their state. Images without cpuinfo.img (CRIU writes none by
 * default) are taken as they are.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cpuinfo.pb-c.h"
#include "images.h"
#include "lib-log.h"
#include "restore-check.h"
#include "sigframe-x86.h"

static int check_x86(const struct rst_ctx *ctx, const CpuinfoX86Entry *e, uint64_t here)
{
	uint64_t missing = e->xfeatures_mask & ~here;
	char names[256];

	if (!e->has_xfeatures_mask || !missing)
		return 0;
	x86_xfeatures_text(missing, names, sizeof(names));
	rst_finding(ctx, "cpu", names,
		    "this CPU lacks the XSAVE features %s, which the dumped CPU had enabled "
		    "(%#" PRIx64 " in cpuinfo.img, XCR0 here %#" PRIx64 "): a restored program "
		    "that found them with CPUID would fault on them",
		    names, e->xfeatures_mask, here);
	return 1;
}

int rst_check_cpu(const struct rst_ctx *ctx)
{
	CpuinfoEntry *ci;
	int ret, found = 0;

	/* looked for first: a missing image is no error here */
	if (faccessat(img_dir_fd(ctx->dir), "cpuinfo.img", F_OK, 0) && errno == ENOENT) {
		pr_info("no cpuinfo.img: the CPU of the dump is not checked");
		return 0;
	}
	ret = cr_img_read_one(ctx->dir, "CPUINFO", 0, &cpuinfo_entry__descriptor,
			      (ProtobufCMessage **)&ci);
	if (ret) {
		pr_err("cannot read cpuinfo.img: %s", strerror(-ret));
		return ret;
	}
	if (!ci->n_x86_entry) {
		rst_finding(ctx, "cpu", "arch",
			    "cpuinfo.img describes no x86 CPU: the images come from another "
			    "architecture");
		found++;
	}
	for (size_t i = 0; i < ci->n_x86_entry; i++)
		found += check_x86(ctx, ci->x86_entry[i], x86_xcr0());
	protobuf_c_message_free_unpacked(&ci->base, NULL);
	return found;
}
