// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "lib-log.h"
#include "restore-files.h"
#include "restore-ghost.h"

/* Ghosts one restore makes at most. */
#define GHOSTS_MAX 4096

struct made_ghost {
	uint32_t id;
	char *path;
};

struct rst_ghosts {
	ProtobufCMessage **remaps;	/* remap-fpath.img */
	size_t nr_remaps;
	struct made_ghost *made;
	size_t nr_made, cap_made;
};

int rst_ghosts_load(struct img_dir *dir, struct rst_ghosts **gs)
{
	struct img_file *f;
	int ret;

	*gs = calloc(1, sizeof(**gs));
	if (!*gs)
		return -ENOMEM;
	/* A dump without deleted files has none: not worth an error line. */
	if (faccessat(img_dir_fd(dir), "remap-fpath.img", F_OK, 0))
		return 0;
	f = img_file_open(dir, "REMAP_FPATH", 0, IMG_READ);
	if (!f)
		return -errno;
	ret = img_file_read_all(f, &(*gs)->remaps, &(*gs)->nr_remaps);
	img_file_close(f);
	if (ret < 0) {
		pr_err("cannot read remap-fpath.img: %s", strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < (*gs)->nr_remaps; i++) {
		RemapFilePathEntry *r = (RemapFilePathEntry *)(*gs)->remaps[i];

		if (r->remap_type != REMAP_TYPE__GHOST && r->remap_type != REMAP_TYPE__LINKED) {
			pr_err("remap-fpath.img: file %u is remapped as %d, not through a ghost "
			       "file nor a link", r->orig_id, r->remap_type);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* Copy @size bytes of payload from @img into @fd. */
static int ghost_fill(struct img_file *img, int fd, uint64_t size)
{
	static char buf[65536];
	size_t n;
	int ret;

	while (size) {
		n = size < sizeof(buf) ? size : sizeof(buf);
		ret = img_file_read_blob(img, buf, n);
		if (ret)
			return ret;
		if (write(fd, buf, n) != (ssize_t)n)
			return errno ? -errno : -EIO;
		size -= n;
	}
	return 0;
}

/*
 * The chunks of @img into @fd, a file of @size bytes: each a run of data at
 * its offset, in order, inside the file; the rest stays holes.
 */
static int ghost_fill_chunks(struct img_file *img, int fd, uint64_t size)
{
	GhostChunkEntry *ce;
	uint64_t end = 0;
	int ret;

	while ((ret = img_file_read_entry(img, &ghost_chunk_entry__descriptor,
					  (ProtobufCMessage **)&ce)) == 1) {
		if (ce->off < end || ce->len > size || ce->off > size - ce->len) {
			pr_err("a ghost chunk of %llu bytes at %llu lies outside the file or "
			       "before the last one", (unsigned long long)ce->len,
			       (unsigned long long)ce->off);
			ret = -EINVAL;
		} else if (lseek(fd, ce->off, SEEK_SET) < 0) {
			ret = -errno;
		} else {
			ret = ghost_fill(img, fd, ce->len);
			end = ce->off + ce->len;
		}
		protobuf_c_message_free_unpacked(&ce->base, NULL);
		if (ret)
			return ret;
	}
	if (!ret && ftruncate(fd, size))
		ret = -errno;
	return ret;
}

/* Owner, mode and times as dumped; the owner only where we may give it. */
static void ghost_attrs(int fd, const GhostFileEntry *gfe, const char *path)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };

	if (fchown(fd, gfe->uid, gfe->gid))
		pr_warn("cannot give %s to %u:%u: %m", path, gfe->uid, gfe->gid);
	if (fchmod(fd, gfe->mode & 07777))
		pr_warn("cannot set the mode of %s: %m", path);
	if (gfe->atim)
		ts[0] = (struct timespec){ gfe->atim->tv_sec, gfe->atim->tv_usec * 1000 };
	if (gfe->mtim)
		ts[1] = (struct timespec){ gfe->mtim->tv_sec, gfe->mtim->tv_usec * 1000 };
	if (futimens(fd, ts))
		pr_warn("cannot set the times of %s: %m", path);
}

/* Make @path from ghost-file-@id.img, which holds the @size bytes of @reg. */
static int ghost_make(struct img_dir *dir, uint32_t id, const RegFileEntry *reg, const char *path)
{
	struct img_file *img = img_file_open(dir, "GHOST_FILE", id, IMG_READ);
	GhostFileEntry *gfe = NULL;
	int fd = -1, ret;

	if (!img)
		return -errno;
	ret = img_file_read_entry(img, &ghost_file_entry__descriptor, (ProtobufCMessage **)&gfe);
	if (ret <= 0) {
		ret = ret ? ret : -ENODATA;
		goto out;
	}
	if (!S_ISREG(gfe->mode) || !reg->has_size || (gfe->chunks && !gfe->has_size)) {
		pr_err("ghost %u is not a regular file of known size", id);
		ret = -EOPNOTSUPP;
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	if (gfe->chunks)
		ret = ghost_fill_chunks(img, fd, gfe->size);
	else
		ret = ghost_fill(img, fd, gfe->has_size ? gfe->size : reg->size);
	if (!ret)
		ghost_attrs(fd, gfe, path);
	close(fd);
	if (ret)
		unlink(path);
out:
	if (gfe)
		protobuf_c_message_free_unpacked(&gfe->base, NULL);
	img_file_close(img);
	return ret;
}

/* The path of ghost @id, made the first time. */
static const char *ghost_get(struct rst_ghosts *gs, struct img_dir *dir, uint32_t id,
			     const RegFileEntry *reg)
{
	struct made_ghost *g;
	int ret;

	for (size_t i = 0; i < gs->nr_made; i++)
		if (gs->made[i].id == id)
			return gs->made[i].path;
	ret = array_grow((void **)&gs->made, &gs->cap_made, gs->nr_made, sizeof(*gs->made),
			 GHOSTS_MAX);
	if (ret)
		return NULL;
	g = &gs->made[gs->nr_made];
	g->id = id;
	if (asprintf(&g->path, "%s.crtool-ghost.%u", reg->name, id) < 0)
		return NULL;
	ret = ghost_make(dir, id, reg, g->path);
	if (ret) {
		pr_err("cannot bring back the deleted file %s (ghost %u) as %s: %s", reg->name, id,
		       g->path, strerror(-ret));
		free(g->path);
		return NULL;
	}
	gs->nr_made++;
	return g->path;
}

/* The entry of remap-fpath.img for REG entry @reg_id, or NULL. */
static const RemapFilePathEntry *remap_of(const struct rst_ghosts *gs, uint32_t reg_id)
{
	for (size_t i = 0; i < gs->nr_remaps; i++)
		if (((RemapFilePathEntry *)gs->remaps[i])->orig_id == reg_id)
			return (RemapFilePathEntry *)gs->remaps[i];
	return NULL;
}

bool rst_ghost_of(const struct rst_ghosts *gs, uint32_t reg_id)
{
	const RemapFilePathEntry *r = remap_of(gs, reg_id);

	return r && r->remap_type == REMAP_TYPE__GHOST;
}

/*
 * The name of the link @r maps its file to, NULL when files.img lacks it.
 * Only a name the dump gives links (FOLDER/link_remap.ID) is taken: the
 * restore removes the link.
 */
static const char *link_name(const struct rst_files *rf, const RemapFilePathEntry *r)
{
	const FileEntry *fe = rst_file_entry(rf, r->remap_id);
	char base[32];
	size_t len, blen;

	if (!fe || fe->type != FD_TYPES__REG || !fe->reg)
		return NULL;
	blen = snprintf(base, sizeof(base), "/link_remap.%u", r->remap_id);
	len = strlen(fe->reg->name);
	if (len < blen || strcmp(fe->reg->name + len - blen, base))
		return NULL;
	return fe->reg->name;
}

const char *rst_link_path(const struct rst_ghosts *gs, const struct rst_files *rf,
			  const RegFileEntry *reg)
{
	const RemapFilePathEntry *r = remap_of(gs, reg->id);
	const char *name;

	if (!r || r->remap_type != REMAP_TYPE__LINKED)
		return reg->name;
	name = link_name(rf, r);
	if (!name)
		pr_err("%s (file %u) is to be opened through the link %u, which files.img lacks "
		       "(or names otherwise than FOLDER/link_remap.ID)",
		       reg->name, reg->id, r->remap_id);
	return name;
}

const char *rst_ghost_path(struct rst_ghosts *gs, const struct rst_files *rf, struct img_dir *dir,
			   const RegFileEntry *reg)
{
	const RemapFilePathEntry *r = remap_of(gs, reg->id);

	if (r && r->remap_type == REMAP_TYPE__GHOST)
		return ghost_get(gs, dir, r->remap_id, reg);
	return rst_link_path(gs, rf, reg);
}

void rst_ghosts_unlink(struct rst_ghosts *gs)
{
	for (size_t i = 0; i < gs->nr_made; i++)
		if (unlink(gs->made[i].path))
			pr_warn("cannot remove the ghost %s: %m", gs->made[i].path);
}

void rst_links_unlink(const struct rst_ghosts *gs, const struct rst_files *rf)
{
	for (size_t i = 0; i < gs->nr_remaps; i++) {
		const RemapFilePathEntry *r = (RemapFilePathEntry *)gs->remaps[i];
		const char *name = link_name(rf, r);

		/* Several files may share a link: the first one removes it. */
		if (r->remap_type == REMAP_TYPE__LINKED && name && unlink(name) && errno != ENOENT)
			pr_warn("cannot remove the link %s: %m", name);
	}
}

void rst_ghosts_free(struct rst_ghosts *gs)
{
	if (!gs)
		return;
	img_entries_free(gs->remaps, gs->nr_remaps);
	for (size_t i = 0; i < gs->nr_made; i++)
		free(gs->made[i].path);
	free(gs->made);
	free(gs);
}
