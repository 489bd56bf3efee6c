// SPDX-License-Identifier: GPL-2.0
/*
 * What the scenario's tasks do: the step interpreter of processes, devices
 * and kernel-context actors.
 *
 * A process has its own mm and open files; its steps are system calls
 * (mmap, munmap, fsync, truncate, fallocate), entering the kernel where a
 * system call would (the VFS: do_truncate(), vfs_fallocate(), vfs_fsync(),
 * do_mmap()), and CPU loads and stores through its page tables.  A device
 * acts on another process's mapping through the fake DMA driver; a kthread
 * calls the kernel functions its kind of kernel context would.  Every step
 * runs in the actor's task.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/jbd2.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "../fs/ext4/ext4.h"
#include "machine.h"
#include "oracle.h"

void pattern_fill(u8 *buf, u64 seed, u64 pos, size_t len)
{
	dma_pattern_fill(buf, seed ^ 0x5a5a5a5a5a5a5a5aULL, pos, len);
}

void machine_error(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&m->lock);
	if (!m->error[0]) {
		va_start(ap, fmt);
		vsnprintf(m->error, sizeof(m->error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&m->lock);
}

/* "FILE:LINE: [process proc0] step 3 (store)": where a step is written. */
static void step_where(struct actor_state *as, const struct scn_step *st,
		       char *buf, size_t len)
{
	static const char *const kinds[] = {
		[ACTOR_PROCESS] = "process", [ACTOR_DEVICE] = "device",
		[ACTOR_KTHREAD] = "kthread",
	};

	snprintf(buf, len, "%s:%d: [%s %s] step %d (%s)", as->m->scn->file,
		 st->line, kinds[as->a->kind], as->a->name,
		 (int)(st - as->a->steps) + 1, scn_op_name(st->op));
}

static void actor_fail(struct actor_state *as, const struct scn_step *st,
		       int err)
{
	char where[384];

	step_where(as, st, where, sizeof(where));
	machine_error(as->m, "%s failed: %s", where, strerror(-err));
}

/*
 * A CPU access raised @sig: the process dies of it, as a process whose
 * SIGBUS (a store beyond EOF) or SIGSEGV is not handled does.  That is
 * the process's end, not the kernel's failure: it is reported, and the
 * run goes on.
 */
static void actor_signalled(struct actor_state *as, const struct scn_step *st,
			    int sig)
{
	struct machine *m = as->m;
	char where[384];

	step_where(as, st, where, sizeof(where));
	pr_info("%s[%d]: killed by %s at %s\n", as->a->name, current->pid,
		sig == SIGBUS ? "SIGBUS" : "SIGSEGV", where);
	pthread_mutex_lock(&m->lock);
	if (!m->signals[0])
		snprintf(m->signals, sizeof(m->signals), "%s killed by %s at %s",
			 as->a->name, sig == SIGBUS ? "SIGBUS" : "SIGSEGV", where);
	pthread_mutex_unlock(&m->lock);
}

static int do_store(struct actor_state *as, const struct scn_step *st)
{
	int map = st->map;
	unsigned char buf[PAGE_SIZE];
	u64 base = st->offset, len = st->len;
	unsigned int count = st->count ? st->count : 1;

	for (unsigned int n = 0; n < count; n++) {
		u64 off = base, chunk = len;
		u64 seed = as->m->seed ^ ((u64)as->idx << 48) ^ ++as->seq;

		if (st->random) {
			u64 page = prandom_u64() % (len / PAGE_SIZE);

			chunk = 64 + prandom_u64() % (PAGE_SIZE - 64);
			off = base + page * PAGE_SIZE + prandom_u64() % (PAGE_SIZE - chunk + 1);
		}
		while (chunk) {
			size_t piece = min_t(u64, chunk, sizeof(buf));
			int err;

			pattern_fill(buf, seed, off, piece);
			err = user_store(as->mm, as->map_addr[map] + off, buf, piece);
			if (err)
				return err;
			off += piece;
			chunk -= piece;
		}
	}
	return 0;
}

static int do_verify(struct actor_state *as, const struct scn_step *st)
{
	struct machine *m = as->m;
	struct inode *inode = m->inodes[as->map_file[st->map]];
	unsigned char buf[PAGE_SIZE];

	for (u64 off = st->offset; off < st->offset + st->len; off += PAGE_SIZE) {
		u64 pos = as->map_offset[st->map] + off;
		struct window *w;
		char why[256] = "";
		long bad;
		int err;

		if (pos >= (u64)i_size_read(inode))
			break;
		w = oracle_read_begin(inode, pos, PAGE_SIZE);
		err = user_load(as->mm, as->map_addr[st->map] + off, buf, PAGE_SIZE);
		bad = oracle_read_end(w, err ? NULL : buf, why, sizeof(why));
		if (err)
			return err;
		if (!bad)
			continue;
		pthread_mutex_lock(&m->lock);
		if (!m->readback_lost)
			snprintf(m->readback_why, sizeof(m->readback_why), "%s",
				 why);
		m->readback_lost += bad;
		pthread_mutex_unlock(&m->lock);
	}
	return 0;
}

/*
 * The actor's open file for the scenario's file @f, opened at its first
 * use (a program opens a file before its first call on it); a
 * framebuffer's device file is the driver's.
 */
static struct file *actor_file(struct actor_state *as, int f)
{
	struct machine *m = as->m;
	struct file *file;

	if (m->fbs[f])
		return &m->fbs[f]->file;
	if (as->files[f])
		return as->files[f];
	file = dentry_open(m->inodes[f]);
	if (!IS_ERR(file))
		as->files[f] = file;
	return file;
}

/* The process or kthread exits: its open files are closed. */
static void exit_files(struct actor_state *as)
{
	for (int f = 0; f < SCN_MAX_FILES; f++) {
		if (!as->files[f])
			continue;
		filp_close(as->files[f]);
		as->files[f] = NULL;
	}
}

static int do_mmap_step(struct actor_state *as, const struct scn_step *st)
{
	struct file *file = actor_file(as, st->file);
	unsigned long addr;

	int slot = st->map;

	/* The parser checked that the slot is free, or that one is left. */
	for (int m = 0; slot < 0 && m < SCN_MAX_MAPS; m++)
		if (!as->map_made[m])
			slot = m;
	if (slot < 0)
		return -ENOMEM;
	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	addr = do_mmap(as->mm, file, st->len,
		       VM_SHARED | VM_WRITE, st->offset >> PAGE_SHIFT);
	if (IS_ERR_VALUE_ADDR(addr))
		return (int)(long)addr;
	as->map_made[slot] = true;
	as->map_addr[slot] = addr;
	as->map_len[slot] = st->len;
	as->map_file[slot] = st->file;
	as->map_offset[slot] = st->offset;
	return 0;
}

static int do_pin(struct actor_state *as, const struct scn_step *st)
{
	struct actor_state *target = &as->m->actors[st->target];
	int err;

	err = dma_dev_pin_flags(&as->dev, target->mm,
				target->map_addr[st->map] + st->offset,
				st->len >> PAGE_SHIFT,
				(st->longterm ? FOLL_LONGTERM : 0) |
				(st->write ? FOLL_WRITE : 0) |
				(st->plain ? FOLL_GET : 0));
	if (err) {
		pthread_mutex_lock(&as->m->lock);
		if (!as->m->refused[0])
			snprintf(as->m->refused, sizeof(as->m->refused),
				 "%s: get_user_pages of %s's mapping refused: %s",
				 as->a->name, target->a->name, strerror(-err));
		pthread_mutex_unlock(&as->m->lock);
	}
	return err;
}

static int do_dma(struct actor_state *as, const struct scn_step *st)
{
	unsigned int count = st->count ? st->count : 1;

	for (unsigned int n = 0; n < count; n++) {
		u64 seed = as->m->seed ^ ((u64)as->idx << 48) ^ ++as->seq;
		int err = dma_dev_write(&as->dev, st->offset, st->len, seed);

		if (err)
			return err;
		if (st->gap && n + 1 < count)
			fsleep(st->gap);
	}
	return 0;
}

static int do_memory_failure(struct actor_state *as, const struct scn_step *st)
{
	struct inode *inode = as->m->inodes[st->file];
	struct page *page = find_get_page(inode->i_mapping, st->offset >> PAGE_SHIFT);
	int ret;

	if (!page)
		return -ENOENT;
	ret = memory_failure(page_to_pfn(page), 0);
	put_page(page);
	return ret == -EBUSY ? 0 : ret;
}

/* Hold @count ordinary references on a page (many-refs): no pin. */
static int do_get_refs(struct actor_state *as, const struct scn_step *st)
{
	struct inode *inode = as->m->inodes[st->file];
	struct page *page;

	if (as->refs_page)
		return -EBUSY;
	page = read_mapping_page(inode->i_mapping, st->offset >> PAGE_SHIFT);
	if (!page)
		return -EIO;
	for (unsigned int i = 1; i < st->count; i++)
		get_page(page);
	as->refs_page = page;
	as->nr_refs = st->count ? st->count : 1;
	return 0;
}

static int do_put_refs(struct actor_state *as)
{
	if (!as->refs_page)
		return -EINVAL;
	for (unsigned int i = 0; i < as->nr_refs; i++)
		put_page(as->refs_page);
	as->refs_page = NULL;
	as->nr_refs = 0;
	return 0;
}

/*
 * The scenario asserts that the device holds now what an fsync would have
 * promised: what is missing is data-loss naming this step.
 */
static int do_check_disk(struct actor_state *as, const struct scn_step *st)
{
	char who[384];

	step_where(as, st, who, sizeof(who));
	oracle_check_now(as->m->inodes[st->file], who);
	return 0;
}

static int do_fsync(struct file *file, const struct scn_step *st)
{
	return vfs_fsync(file, 0);
}

static int do_ftruncate(struct file *file, const struct scn_step *st)
{
	return do_truncate(file, (loff_t)st->len);
}

static int do_punch(struct file *file, const struct scn_step *st)
{
	return vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     (loff_t)st->offset, (loff_t)st->len);
}

/* A system call on the actor's open file of the step's file. */
static int with_file(struct actor_state *as, const struct scn_step *st,
		     int (*call)(struct file *file, const struct scn_step *st))
{
	struct file *file = actor_file(as, st->file);

	return IS_ERR(file) ? (int)PTR_ERR(file) : call(file, st);
}

static int run_step(struct actor_state *as, const struct scn_step *st)
{
	struct machine *m = as->m;

	switch (st->op) {
	case OP_NONE:
		return 0;
	case OP_MMAP:
		return do_mmap_step(as, st);
	case OP_MUNMAP:
		return do_munmap(as->mm, as->map_addr[st->map], as->map_len[st->map]);
	case OP_STORE:
		return do_store(as, st);
	case OP_VERIFY:
		return do_verify(as, st);
	case OP_FSYNC:
		return with_file(as, st, do_fsync);
	case OP_TRUNCATE:
		return with_file(as, st, do_ftruncate);
	case OP_PUNCH:
		return with_file(as, st, do_punch);
	case OP_PIN:
		return do_pin(as, st);
	case OP_DMA:
		return do_dma(as, st);
	case OP_RELEASE:
		return dma_dev_release(&as->dev, st->dirty);
	case OP_SLEEP:
		fsleep(st->gap);
		return 0;
	case OP_WAIT:
		wait_for_completion(&m->events[st->event]);
		return 0;
	case OP_SIGNAL:
		complete_all(&m->events[st->event]);
		__atomic_store_n(&m->signalled[st->event], 1, __ATOMIC_RELEASE);
		return 0;
	case OP_MEMORY_FAILURE:
		return do_memory_failure(as, st);
	case OP_CLOSE:
		if (as->files[st->file]) {
			filp_close(as->files[st->file]);
			as->files[st->file] = NULL;
		}
		return 0;
	case OP_UNLINK:
		return vfs_unlink(m->inodes[st->file]);
	case OP_CHECK_DISK:
		return do_check_disk(as, st);
	case OP_SYNC:
		sync_filesystem(&m->sb);
		return 0;
	case OP_DIO_COMPLETE:
		return ext4_convert_unwritten_extents(m->inodes[st->file], 0, 0);
	case OP_GET_REFS:
		return do_get_refs(as, st);
	case OP_PUT_REFS:
		return do_put_refs(as);
	case OP_COMMIT:
		return jbd2_journal_force_commit(m->sb.s_journal);
	case NR_SCN_OPS:
		break;
	}
	return -EINVAL;
}

static const char *const op_names[] = {
	[OP_NONE] = "none", [OP_MMAP] = "mmap", [OP_MUNMAP] = "munmap",
	[OP_STORE] = "store", [OP_VERIFY] = "verify", [OP_FSYNC] = "fsync",
	[OP_TRUNCATE] = "truncate", [OP_PUNCH] = "punch", [OP_PIN] = "pin",
	[OP_DMA] = "dma", [OP_RELEASE] = "release", [OP_SLEEP] = "sleep",
	[OP_WAIT] = "wait", [OP_SIGNAL] = "signal",
	[OP_MEMORY_FAILURE] = "memory_failure", [OP_SYNC] = "sync",
	[OP_DIO_COMPLETE] = "dio_complete", [OP_GET_REFS] = "get_refs",
	[OP_PUT_REFS] = "put_refs", [OP_COMMIT] = "commit",
	[OP_CLOSE] = "close", [OP_UNLINK] = "unlink",
	[OP_CHECK_DISK] = "check_disk",
};

const char *scn_op_name(enum scn_op op)
{
	return (unsigned int)op < NR_SCN_OPS ? op_names[op] : NULL;
}

void actor_main(void *arg)
{
	struct actor_state *as = arg;
	const struct scn_actor *a = as->a;

	current->mm = as->mm;
	for (unsigned int loop = 0; loop <= a->loops; loop++) {
		for (int i = 0; i < a->nr_steps; i++) {
			const struct scn_step *st = &a->steps[i];
			int err;

			__atomic_store_n(&as->pos, (u64)loop * (u64)a->nr_steps + (u64)i,
					 __ATOMIC_RELEASE);
			err = run_step(as, st);

			if (!err)
				continue;
			if (err == -SIGBUS || err == -SIGSEGV)
				actor_signalled(as, st, -err);
			else if (st->op != OP_PIN)
				actor_fail(as, st, err);
			goto out;
		}
	}
out:
	if (as->refs_page)
		do_put_refs(as);
	if (a->kind == ACTOR_DEVICE && as->dev.pinned) {
		pr_info("pinmm_dma %s: released at close\n", a->name);
		dma_dev_release(&as->dev, true);
	}
	if (a->kind == ACTOR_PROCESS)
		exit_mmap(as->mm);	/* the process exits */
	exit_files(as);
	__atomic_store_n(&as->done, true, __ATOMIC_RELEASE);
}
