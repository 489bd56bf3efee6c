// SPDX-License-Identifier: GPL-2.0
/*
 * dump_page(): the state of a page, for BUG and bad-page reports.
 */
#include <stdio.h>

#include <linux/mm.h>
#include <linux/printk.h>

#include "pin_policy.h"

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	[PG_locked] = "locked",		[PG_referenced] = "referenced",
	[PG_uptodate] = "uptodate",	[PG_dirty] = "dirty",
	[PG_lru] = "lru",		[PG_active] = "active",
	[PG_error] = "error",		[PG_private] = "private",
	[PG_writeback] = "writeback",	[PG_mappedtodisk] = "mappedtodisk",
	[PG_reclaim] = "reclaim",	[PG_unevictable] = "unevictable",
	[PG_hwpoison] = "hwpoison",	[PG_buddy] = "buddy",
};

/* "uptodate|dirty|lru" for the flags of @page. */
int format_page_flags(unsigned long flags, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int bit = 0; bit < __NR_PAGEFLAGS && used < len; bit++) {
		if (!(flags & BIT(bit)))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", pageflag_names[bit]);
	}
	return (int)used;
}

void dump_page(struct page *page, const char *reason)
{
	char flags[160];

	format_page_flags(READ_ONCE(page->flags), flags, sizeof(flags));
	pr_emerg("page:%p refcount:%d mapcount:%d mapping:%p index:%#lx pfn:%#lx\n",
		 (void *)page, page_ref_count(page), page_mapcount(page),
		 (void *)page_mapping(page), page->index, page_to_pfn(page));
	pr_emerg("flags: %#lx(%s)%s\n", READ_ONCE(page->flags) & PAGE_FLAGS_MASK,
		 flags, PageDmaPinnedFlags(page) ? " dma_pinned" : "");
	if (reason)
		pr_emerg("page dumped because: %s\n", reason);
}
