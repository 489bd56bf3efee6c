/*
 * pinning.pml - a Spin model of one file page that a device pins with
 * get_user_pages() and writes by DMA, while cleaning writeback, data-integrity
 * writeback (fsync), reclaim and a user process that stores through its
 * mapping all act on the same page.  It is the third, independent check of
 * the 2018 "pinned pages vs writeback" crash, of the seed's fix ("mm:
 * page_mkclean, try_to_unmap: skip or wait for dma-pinned pages"), and of the
 * two designs that came later (docs/semantics.md §3-§5).
 *
 * Compile-time switches (spin -DNAME=value):
 *
 *   DESIGN            VANILLA (the 2018 kernel, the default), SEED (the
 *                     seed's design), UPSTREAM (Linux 6.12 as shipped:
 *                     FOLL_PIN, reclaim keeps pinned pages, ext4 warns and
 *                     drops a dirty page without buffers, long-term
 *                     writable file pins refused) or BOUNCE (Jan Kara's 2023
 *                     RFC as linux/ patches 15-17 build it on 6.12: cleaning
 *                     writeback leaves a pinned page dirty, data-integrity
 *                     writeback writes a stable copy, nothing waits for a
 *                     pin).  VANILLA and SEED take the 2018 paths
 *                     (write_cache_pages, ext4_writepage); UPSTREAM and BOUNCE
 *                     the 6.12 ones (ext4_writepages ->
 *                     mpage_prepare_extent_to_map -> mpage_submit_folio ->
 *                     ext4_bio_write_folio).
 *   PROP              which safety property the assertions check:
 *                     BUFFERS (default): writeback never meets a dirty page
 *                     without buffers (2018: the BUG_ON in page_buffers();
 *                     6.12: ext4's "does not have buffers attached" warning,
 *                     which drops the page's data).
 *                     PROMISE: fsync's promise: when fsync returns, every
 *                     store and every DMA released dirty before fsync was
 *                     called is on the disk; and reclaim never frees a page
 *                     whose data is not on the disk (the next fsync could
 *                     then not keep it).
 *                     STABLE: no write I/O reads the page itself while a
 *                     device may be changing it by DMA (a stable copy may be
 *                     written instead).
 *                     NO_LONGTERM: no long-term writable pin of the file
 *                     mapping is ever taken (Linux 6.5's rule).
 *                     Under any PROP but BUFFERS, a BUG_ON is what the kernel
 *                     makes of it: the task that hits it dies, holding the
 *                     page lock.
 *   GUP_WINDOW        seed only.  0: the pin is taken in the same step as
 *                     gup's page reference.  1: as the series' code does it,
 *                     gup takes its reference while walking the page table
 *                     and pins the pages afterwards, at the end of
 *                     get_user_pages(); reclaim can run in between.
 *   PIN_NEEDS_ISOLATE seed only.  1: a page that reclaim holds isolated when
 *                     gup pins it is left unpinned, because its page->lru
 *                     words (which hold the pin count) belong to reclaim's
 *                     list (the reading model/mm/gup.c takes).  0: it is
 *                     pinned anyway and reclaim's putback refuses it.
 *   RELEASE           how the device marks the page dirty at release.
 *                     0: set_page_dirty_lock(), which always takes the page
 *                     lock (2018 drivers; the default for VANILLA and SEED).
 *                     1: put_user_pages_dirty_lock() of late 2018, today's
 *                     unpin_user_pages_dirty_lock(), which locks only a page
 *                     that looks clean (the default for UPSTREAM and
 *                     BOUNCE).  2: set_page_dirty() without the page lock.
 *   SEED_TTU          seed only, default 1: try_to_unmap refuses a pinned
 *                     page.  0: it unmaps it as vanilla does (ablation).
 *   SEED_LRU          seed only, default 1: a pinned page is taken off the
 *                     LRU and the LRU-add paths refuse it.  0: it stays on
 *                     the LRU like any page (ablation).
 *   RECLAIM_PIN_CHECK UPSTREAM and BOUNCE, default 1: shrink_folio_list()
 *                     keeps a folio that may be pinned, with its buffers
 *                     (Linux 6.4).  0: the kernels before 6.4 (ablation).
 *   BOUNCE_NO_COPY    BOUNCE only, default 0.  1 (mutation): data-integrity
 *                     writeback leaves a pinned page dirty as cleaning
 *                     writeback does, instead of writing a stable copy.
 *   STABLE_WRITES     default 0.  1: the block device needs stable pages, so
 *                     ->page_mkwrite() waits for writeback to end
 *                     (folio_wait_stable() in block_page_mkwrite()).
 *   BOUNCE_SKIP_AFTER_MKCLEAN  BOUNCE only, default 0.  1 (a change the
 *                     model proposes, not in linux/): cleaning writeback
 *                     checks for a pin after folio_mkclean() has
 *                     write-protected the PTE, not before, and ext4 does not
 *                     write a folio that folio_clear_dirty_for_io_mode() left
 *                     dirty.
 *   LIVE              the liveness configuration: the device does a single
 *                     pin/DMA/release cycle, and the LTL properties below
 *                     are compiled in.  Without LIVE, the device pins and
 *                     releases again and again and only assertions count.
 *   LONGTERM          the device never releases (an RDMA-like long-term pin).
 *   FOLL_LONGTERM     the device's pin is FOLL_LONGTERM (default: LONGTERM).
 *                     UPSTREAM refuses FOLL_LONGTERM|FOLL_WRITE on an ext4
 *                     mapping (Linux 6.5); LONGTERM=1 FOLL_LONGTERM=0 is a
 *                     short-term pin that is simply never released.
 *
 * The state is one page: its flags, its dirty tag, its refcount and pins,
 * its one buffer head, its one PTE, the seed's pin count/flag, an
 * abstraction of its data (is there a store or released DMA in the frame
 * that no write has read? what does fsync owe?), and the device's and
 * fsync's progress.  Each atomic block is a step that the kernel does
 * under a lock (PTL, pinned_dma_lock, lru_lock, private_lock, the xarray
 * lock) or with an atomic operation.
 */

#define VANILLA  0
#define SEED     1
#define UPSTREAM 2
#define BOUNCE   3

#define BUFFERS     0
#define PROMISE     1
#define STABLE      2
#define NO_LONGTERM 3

#ifndef DESIGN
#define DESIGN VANILLA
#endif
/* the designs on Linux 6.12: FOLL_PIN's biased refcount, ext4_writepages */
#define FOLL_PIN_DESIGN (DESIGN == UPSTREAM || DESIGN == BOUNCE)
#ifndef PROP
#define PROP BUFFERS
#endif
#ifndef GUP_WINDOW
#define GUP_WINDOW 0
#endif
#ifndef PIN_NEEDS_ISOLATE
#define PIN_NEEDS_ISOLATE 0
#endif
#ifndef RELEASE
#if FOLL_PIN_DESIGN
#define RELEASE 1
#else
#define RELEASE 0
#endif
#endif
#ifndef SEED_TTU
#define SEED_TTU 1
#endif
#ifndef SEED_LRU
#define SEED_LRU 1
#endif
#ifndef RECLAIM_PIN_CHECK
#define RECLAIM_PIN_CHECK 1
#endif
#ifndef BOUNCE_NO_COPY
#define BOUNCE_NO_COPY 0
#endif
#ifndef STABLE_WRITES
#define STABLE_WRITES 0
#endif
#ifndef BOUNCE_SKIP_AFTER_MKCLEAN
#define BOUNCE_SKIP_AFTER_MKCLEAN 0
#endif
#ifndef LIVE
#define LIVE 0
#endif
#ifndef LONGTERM
#define LONGTERM 0
#endif
#ifndef FOLL_LONGTERM
#define FOLL_LONGTERM LONGTERM
#endif

/* ---- the page ---- */
bit cached = 1;        /* in the page cache (else reclaim freed it) */
bit pg_locked;         /* PG_locked */
bit pg_dirty;          /* PG_dirty */
bit tag_dirty;         /* PAGECACHE_TAG_DIRTY: set with PG_dirty, cleared when writeback starts on a clean page */
bit pg_private = 1;    /* PG_private: has buffer heads */
bit bh_dirty;          /* its buffers are dirty */
bit pg_lru = 1;        /* on an LRU list */
bit isolated;          /* reclaim holds it isolated from the LRU */
bit pg_writeback;      /* PG_writeback: a write I/O of the page is in flight */
bit wb_inplace;        /* ... and it reads the page itself, not a stable copy */
bit pte_present;       /* the user's PTE maps it (mapcount 1) */
bit pte_write;         /* ... writable */
bit pte_dirty;         /* ... dirty */
byte refcount = 1;     /* plain references: page cache 1, +PTE, +FOLL_GET, +reclaim's isolation, +faults */
byte pins;             /* FOLL_PIN designs: pins, each GUP_PIN_COUNTING_BIAS (1024) references */
bit pinned;            /* seed: PageDmaPinned */
byte pincount;         /* seed: page->dma_pinned_count */

/*
 * folio_maybe_dma_pinned(): refcount >= 1024.  The pins are kept apart from
 * the plain references only so that the numbers stay small; a page with
 * 1024 plain references (a false positive) is not modelled.
 */
#define maybe_dma_pinned (pins > 0)

/* ---- its data, for PROMISE ---- */
bit mem_new;           /* the frame holds a store, or DMA released dirty, that no write I/O has read */
bit dma_new;           /* the frame holds the DMA of a release in progress that no write I/O has read */
bit owed_mem;          /* fsync owes data that is still only in the frame */
bit owed_io;           /* fsync owes data that rides in the write I/O in flight */

/* ---- progress, for the properties ---- */
bit held;              /* the device holds the page: from the end of gup to its put */
bit dma;               /* the device may be writing the frame: from the end of gup to the start of its release */
bit gup_refused;       /* UPSTREAM refused the long-term writable pin */
bit fsync_called;      /* fsync has been called */
bit fsync_cleaning;    /* fsync has locked the dirty page and is in clear_page_dirty_for_io */
bit fsync_done;        /* fsync's own write of the page is done (before fdatawait) */
bit oops;              /* a BUG_ON fired (PROP != BUFFERS): the task that hit it is dead */

inline lock_page() { atomic { !pg_locked -> pg_locked = 1 } }    /* @lock_page */
inline unlock_page() { pg_locked = 0 }

/*
 * a_ops->set_page_dirty: __set_page_dirty_buffers (2018), ext4_dirty_folio ->
 * block_dirty_folio (6.12), under private_lock: dirty every buffer if the page
 * has any, then the page, and tag it dirty in the mapping.
 */
inline set_page_dirty() {
	atomic {
		if
		:: pg_private -> bh_dirty = 1
		:: else
		fi;
		pg_dirty = 1; tag_dirty = 1
	}
}

inline release_dirty() {
	atomic {
		printf("device: release: set_page_dirty (buffers %d)\n", pg_private);
		set_page_dirty()
	}
}

/*
 * A write I/O starts (set_page_writeback): it reads the frame, or the stable
 * copy just taken from it, so it carries every store and released DMA made
 * so far; what fsync owed in the frame now rides in the I/O.  The page's
 * dirty tag goes if the page is clean.  STABLE: the I/O must not read a
 * page that the device may be writing.
 */
inline start_write(copy) {
	pg_writeback = 1; wb_inplace = !copy;
	owed_io = owed_mem; owed_mem = 0; mem_new = 0; dma_new = 0;
	tag_dirty = pg_dirty;
	printf("I/O: starts (from a stable copy %d; DMA may be writing the page %d)\n", copy, dma);
#if PROP == STABLE
	assert(copy || !dma)        /* an I/O reads the page while DMA changes it */
#endif
}

/* end_page_writeback: the I/O is on the disk */
inline end_write() {
	atomic { pg_writeback = 0; wb_inplace = 0; owed_io = 0 }
}

/*
 * A write fault on the shared file mapping (user store or gup FOLL_WRITE):
 * filemap_fault finds (or reads) the page and takes a reference; then
 * ext4_page_mkwrite locks it, attaches buffers if it has none, marks them
 * and the page dirty (and, if the device needs stable pages, waits for
 * writeback to end); finish_fault maps it writable+dirty; unlock; put.
 * A page read back after reclaim freed it has no buffers (mpage read).
 */
inline write_fault() {
	atomic {
		if
		:: !cached -> cached = 1; refcount = 1; pg_lru = 1; pg_private = 0
		:: else
		fi;
		refcount++
	};
	lock_page();
	atomic {
		printf("fault: page_mkwrite (buffers were %d), page dirty\n", pg_private);
		pg_private = 1; bh_dirty = 1; pg_dirty = 1; tag_dirty = 1
	};
#if STABLE_WRITES
	(!pg_writeback);                    /* folio_wait_stable */
#endif
	atomic {
		if
		:: !pte_present -> pte_present = 1; refcount++
		:: else
		fi;
		pte_write = 1; pte_dirty = 1
	};
	unlock_page();
	refcount--
}

/* ---- the seed's pin tracking, under pinned_dma_lock ---- */
inline pin_page() {
	if
	:: pinned -> pincount++
	:: !pinned && pg_lru -> pg_lru = !SEED_LRU; pincount = 1; pinned = 1
	:: !pinned && !pg_lru ->
#if PIN_NEEDS_ISOLATE
		if
		:: isolated ->               /* isolate_lru_page failed: left unpinned */
			printf("gup: page isolated by reclaim, left unpinned\n")
		:: else -> pincount = 1; pinned = 1
		fi
#else
		pincount = 1; pinned = 1
#endif
	fi
}

inline unpin_page() {
	if
	:: pinned ->
		pincount--;
		if
		:: pincount == 0 ->
			pinned = 0;
			/* back on the LRU (the later revision), unless reclaim holds it */
			if
			:: !isolated -> pg_lru = 1
			:: else
			fi
		:: else
		fi
	:: else                             /* never pinned */
	fi
}

/* clean and write-protect the PTE if it is dirty or writable (ret: it was) */
inline pte_mkclean(ret) {
	if
	:: pte_present && (pte_dirty || pte_write) ->
		pte_dirty = 0; pte_write = 0; ret = 1
	:: else
	fi
}

/*
 * page_mkclean(page, skip_pinned), one VMA.  Returns ret = cleaned &&
 * !skipped.  VANILLA, UPSTREAM, BOUNCE (folio_mkclean): clean and
 * write-protect the PTE, pins or not.  SEED: under pinned_dma_lock, a pinned
 * page is skipped when asked; else the lock is dropped for the mmu notifier,
 * retaken, and the walk waits until the page is unpinned (even a skipping
 * caller, if the pin came in between), then cleans the PTE under the lock.
 */
inline page_mkclean(skip_pinned, ret) {
	ret = 0;
	if
	:: !pte_present -> skip             /* !page_mapped(page): return 0 */
	:: else ->
#if DESIGN == SEED
		if
		:: atomic { skip_pinned && pinned -> skipped = 1 }
		:: atomic { !(skip_pinned && pinned) -> skip }
		fi;
		if
		:: skipped -> printf("page_mkclean: pinned page skipped, PTE left writable\n")
		:: else ->
			/* mmu_notifier_invalidate_range_start: lock dropped */
			atomic {                    /* @wait_unpin (trails stop on this line) */
				!pinned ->              /* wait_for_dma_pinned_to_clear */
				pte_mkclean(ret)
			}
		fi;
		skipped = 0
#else
		atomic { pte_mkclean(ret) }
#endif
	fi
}

/*
 * ext4's page_buffers(page): BUG_ON(!PagePrivate(page)), the crash of 2018.
 * PROP BUFFERS checks it; under the other properties the task dies as an
 * oops kills it, with the page locked.
 */
inline page_buffers() {
#if PROP == BUFFERS
	assert(pg_private);                 /* BUG_ON(!PagePrivate(page)) */
#else
	if
	:: !pg_private -> oops = 1; printf("kernel BUG: the writeback task dies holding the page lock\n"); false
	:: else
	fi
#endif
}

/*
 * 2018 (VANILLA, SEED): write_cache_pages() for the one page; sync_all:
 * WB_SYNC_ALL.  Then clear_page_dirty_for_io() and ext4's ->writepage,
 * which writes the dirty buffers (none: the page only cycles through
 * writeback, which clears its dirty tag).
 */
inline writeback_page_2018(sync_all) {
	lock_page();
	if
	:: !pg_dirty -> unlock_page()       /* written by someone else */
	:: pg_dirty && pg_writeback && !sync_all -> unlock_page()
	:: pg_dirty && (!pg_writeback || sync_all) ->
		(!pg_writeback);                /* wait_on_page_writeback */
		if
		:: sync_all -> fsync_cleaning = 1
		:: else
		fi;
		/* clear_page_dirty_for_io: skip pinned pages unless WB_SYNC_ALL */
		page_mkclean(!sync_all, cleaned);
		printf("writeback(WB_SYNC_ALL=%d): page_mkclean cleaned %d\n", sync_all, cleaned);
		if
		:: cleaned -> set_page_dirty()
		:: else
		fi;
		atomic { was_dirty = pg_dirty; pg_dirty = 0 };
		if
		:: sync_all -> fsync_cleaning = 0
		:: else
		fi;
		if
		:: was_dirty ->
			/* ext4_writepage -> ext4_bio_write_page */
			atomic {
				printf("writepage(WB_SYNC_ALL=%d): dirty page, buffers %d\n", sync_all, pg_private);
				page_buffers();
				if
				:: bh_dirty -> bh_dirty = 0; start_write(copy)   /* copy: 0, always */
				:: else -> tag_dirty = pg_dirty   /* nothing to write */
				fi
			};
			unlock_page();
			end_write()
		:: else -> unlock_page()
		fi
	fi
}

/*
 * 6.12 (UPSTREAM, BOUNCE): ext4_writepages() for the one page.
 * mpage_prepare_extent_to_map() locks it, skips it if clean or (cleaning
 * writeback) under writeback, waits for writeback; BOUNCE: leaves a pinned
 * page dirty in cleaning writeback (pinmm_writeback_skips); a page without
 * buffers is warned about, its dirty flag cleared and skipped (2022; what
 * was written into it is dropped).  mpage_submit_folio() calls
 * folio_clear_dirty_for_io_mode() (BOUNCE: returns false for a pinned page
 * in cleaning writeback, which mpage_submit_folio() ignores) and
 * ext4_bio_write_folio(), which writes the dirty buffers (BOUNCE, WB_SYNC_ALL,
 * pinned: from a stable copy, and dirties the page and buffers again).
 */
inline writeback_page_612(sync_all) {
	lock_page();
	if
	:: !pg_dirty -> unlock_page()
	:: pg_dirty && pg_writeback && !sync_all -> unlock_page()
	:: pg_dirty && (!pg_writeback || sync_all) ->
		(!pg_writeback);                /* folio_wait_writeback */
		if
		:: sync_all -> fsync_cleaning = 1
		:: else
		fi;
		if
#if DESIGN == BOUNCE
		:: atomic { (!sync_all || BOUNCE_NO_COPY) && maybe_dma_pinned ->
			printf("mpage_prepare_extent_to_map(WB_SYNC_ALL=%d): pinned, left dirty\n", sync_all) };
			unlock_page()
#endif
		:: atomic { !pg_private ->
			printf("mpage_prepare_extent_to_map(WB_SYNC_ALL=%d): dirty page, buffers 0: warning, dirty flag cleared, page skipped\n", sync_all);
#if PROP == BUFFERS
			assert(pg_private);         /* "page %lu does not have buffers attached" */
#endif
			pg_dirty = 0 };
			unlock_page()
		:: else ->
			/* mpage_submit_folio: folio_clear_dirty_for_io_mode */
#if DESIGN == BOUNCE && !BOUNCE_SKIP_AFTER_MKCLEAN
			if
			:: atomic { !sync_all && maybe_dma_pinned -> skipped = 1;
				printf("folio_clear_dirty_for_io_mode: pinned now: returns false, PTE and dirty flag untouched\n") }
			:: else
			fi;
#endif
			if
			:: !skipped ->
				page_mkclean(0, cleaned);
				if
				:: cleaned -> set_page_dirty()
				:: else
				fi;
#if DESIGN == BOUNCE && BOUNCE_SKIP_AFTER_MKCLEAN
				if
				:: atomic { !sync_all && maybe_dma_pinned -> skipped = 1;
					printf("folio_clear_dirty_for_io_mode: pinned after folio_mkclean: returns false, folio left dirty\n") }
				:: else
				fi;
				if
				:: !skipped -> pg_dirty = 0
				:: else
				fi
#else
				pg_dirty = 0
#endif
			:: else
			fi;
			if
			:: sync_all -> fsync_cleaning = 0
			:: else
			fi;
#if DESIGN == BOUNCE && BOUNCE_SKIP_AFTER_MKCLEAN
			if
			:: skipped -> unlock_page()   /* mpage_submit_folio honours the false */
			:: else ->
#endif
			/* ext4_bio_write_folio */
			atomic {
				printf("ext4_bio_write_folio(WB_SYNC_ALL=%d): buffers dirty %d, pinned %d\n", sync_all, bh_dirty, maybe_dma_pinned);
				if
				:: bh_dirty ->
					/* ext4_stable_copy */
					copy = (DESIGN == BOUNCE && sync_all && maybe_dma_pinned);
					bh_dirty = 0; start_write(copy);
					if
					:: copy -> bh_dirty = 1; pg_dirty = 1; tag_dirty = 1
					:: else
					fi
				:: else -> tag_dirty = pg_dirty   /* nothing to submit */
				fi
			};
			unlock_page();
			end_write()
#if DESIGN == BOUNCE && BOUNCE_SKIP_AFTER_MKCLEAN
			fi
#endif
			;
			skipped = 0
		fi
	fi
}

#if FOLL_PIN_DESIGN
#define writeback_page(s) writeback_page_612(s)
#else
#define writeback_page(s) writeback_page_2018(s)
#endif

/* ---- the tasks ---- */

active proctype user()
{
end:
	do
	:: atomic { pte_present && pte_write ->                  /* store */
		printf("user: store through the writable PTE (page dirty %d)\n", pg_dirty);
		pte_dirty = 1; mem_new = 1 }
	:: !(pte_present && pte_write) -> write_fault()
	od
}

/*
 * The end of gup: the device holds the page and may write it by DMA from
 * now on.  STABLE: not while an I/O reads the page.  NO_LONGTERM: the pin
 * must not be a long-term writable one.
 */
inline gup_done() {
	held = 1; dma = 1;
	printf("device: gup done (refcount %d, pins %d, seed pinned %d); DMA may write the page\n", refcount, pins, pinned);
#if PROP == STABLE
	assert(!wb_inplace);                /* DMA would change the page under the I/O reading it */
#endif
#if PROP == NO_LONGTERM
	assert(!FOLL_LONGTERM);             /* a long-term writable pin of the file mapping */
#endif
}

active proctype device()
{
#if DESIGN == UPSTREAM && FOLL_LONGTERM
	/* check_vma_flags -> writable_file_mapping_allowed (Linux 6.5) */
	gup_refused = 1;
	printf("device: pin_user_pages(FOLL_WRITE|FOLL_LONGTERM) of an ext4 mapping: -EFAULT\n");
end_refused:
	false;
#endif
end:
	do
	::
		/*
		 * get_user_pages(FOLL_WRITE | FOLL_TOUCH): follow_page_pte under
		 * the PTL; FOLL_PIN designs: pin_user_pages_fast(FOLL_WRITE),
		 * whose reference is the pin's bias (GUP-fast rechecks the PTE
		 * after taking it, so the pin and the PTE it saw are one step).
		 */
		do
		:: atomic {
			pte_present && pte_write ->
			if  /* FOLL_TOUCH with FOLL_WRITE */
			:: !pte_dirty && !pg_dirty -> set_page_dirty()
			:: else
			fi;
#if FOLL_PIN_DESIGN
			pins++;
#else
			refcount++;
#endif
#if DESIGN == SEED && !GUP_WINDOW
			pin_page();
#endif
#if DESIGN != SEED || !GUP_WINDOW
			gup_done();
#endif
			}
			break
		:: !(pte_present && pte_write) -> write_fault()
		od;
#if DESIGN == SEED && GUP_WINDOW
		/* end of get_user_pages: pin what was got */
		atomic { pin_page(); gup_done() };
#endif
#if LONGTERM
end_longterm:
		false;
#endif
		/* the device is done writing; release the page it wrote */
		atomic { dma = 0; dma_new = 1; printf("device: DMA done, release\n") };
#if RELEASE == 0
		/* set_page_dirty_lock() */
		lock_page(); release_dirty(); unlock_page();
#elif RELEASE == 1
		/* put_user_pages_dirty_lock(), unpin_user_pages_dirty_lock() */
		if
		:: !pg_dirty -> lock_page(); release_dirty(); unlock_page()
		:: else -> printf("device: release: page looks dirty, not dirtied again\n")
		fi;
#else
		/* set_page_dirty() without the page lock */
		release_dirty();
#endif
		atomic {
			printf("device: unpin and put_page (buffers %d)\n", pg_private);
#if DESIGN == SEED
			unpin_page();
#endif
#if FOLL_PIN_DESIGN
			pins--;
#else
			refcount--;                 /* put_page */
#endif
			held = 0;
			/* released dirty: from now on fsync must write it */
			if
			:: dma_new -> mem_new = 1; dma_new = 0
			:: else
			fi
		};
#if LIVE
		break
#endif
	od
}

/* the flusher: periodic WB_SYNC_NONE writeback of the dirty-tagged page */
active proctype flusher()
{
	bit cleaned, was_dirty, skipped, copy;
end:
	do
	:: tag_dirty -> writeback_page(0)
	od
}

/*
 * one fsync(): filemap_write_and_wait, WB_SYNC_ALL.  What it owes is fixed
 * when it is called: the data in the frame that no write has read, and the
 * write I/O in flight.  write_cache_pages tags the dirty page TOWRITE at
 * once (tag_pages_for_writeback) and then writes it; filemap_fdatawait
 * waits for the I/O in flight.
 */
active proctype fsync()
{
	bit cleaned, was_dirty, skipped, copy, towrite;
	atomic {
		fsync_called = 1; owed_mem = mem_new; owed_io = pg_writeback; towrite = tag_dirty;
		printf("fsync: called; owes data in the page %d, in an I/O %d; page tagged dirty %d\n", owed_mem, owed_io, towrite)
	};
	if
	:: towrite -> writeback_page(1)
	:: else
	fi;
	/*
	 * The data-integrity write of the page is done (fsync writes and
	 * completes its own I/O in writeback_page).  The LTL properties look
	 * at this point: the wait below, for a writeback the flusher started,
	 * can be starved by new flusher writebacks in this model (weak
	 * fairness does not help a waiter whose guard is enabled only at
	 * times), which is not what they are about.
	 */
	fsync_done = 1;
	(!pg_writeback);                    /* filemap_fdatawait */
	atomic {
		printf("fsync: returns; still owes data in the page %d, in an I/O %d\n", owed_mem, owed_io);
#if PROP == PROMISE
		assert(!owed_mem && !owed_io)   /* fsync's promise */
#endif
	}
}

/* kswapd: shrink_page_list (2018), shrink_folio_list (6.12) on the inactive file LRU */
active proctype reclaim()
{
	bit ok;
end:
	do
	:: atomic { pg_lru -> pg_lru = 0; isolated = 1; refcount++ };
		if
		:: atomic { !pg_locked -> pg_locked = 1 };          /* trylock_page */
			ok = !pg_writeback;
			if
			:: ok && pte_present ->
				/* try_to_unmap: move the PTE's dirty bit to the page */
				atomic {
#if DESIGN == SEED && SEED_TTU
					if
					:: pinned -> ok = 0;     /* refuses a pinned page */
						printf("reclaim: try_to_unmap refuses the pinned page\n")
					:: else
					fi;
#endif
					if
					:: ok ->
						if
						:: pte_dirty -> set_page_dirty()
						:: else
						fi;
						pte_present = 0; pte_write = 0; pte_dirty = 0;
						refcount--;
						printf("reclaim: try_to_unmap (page dirty %d)\n", pg_dirty)
					:: else
					fi
				}
			:: else
			fi;
#if FOLL_PIN_DESIGN && RECLAIM_PIN_CHECK
			/* Linux 6.4: keep a folio that may be pinned, and its buffers */
			if
			:: ok && maybe_dma_pinned -> ok = 0;
				printf("reclaim: keeps the pinned page and its buffers\n")
			:: else
			fi;
#endif
			if
			:: ok && !pg_dirty ->
				/* try_to_release_page -> drop_buffers */
				if
				:: pg_private && !bh_dirty -> pg_private = 0;
					printf("reclaim: drop_buffers\n")
				:: else
				fi;
				/* __remove_mapping: freeze the refcount at 2 */
				if
				:: atomic {
					!pg_private && refcount == 2 && pins == 0 && !pg_dirty ->
					cached = 0; refcount = 0; isolated = 0;
					pg_locked = 0; tag_dirty = 0;
					printf("reclaim: page freed\n")
					}
				:: else -> ok = 0;       /* an extra (gup) reference: keep */
					printf("reclaim: keeps the page (refcount %d, pins %d, buffers %d)\n", refcount, pins, pg_private)
				fi
			:: else -> ok = 0
			fi;
			if
			:: !ok -> unlock_page()
			:: else
			fi
		:: atomic { pg_locked -> ok = 0 }
		fi;
		if
		:: !ok ->                         /* putback_lru_page */
			atomic {
				isolated = 0; refcount--;
				if
				:: !pinned || !SEED_LRU -> pg_lru = 1  /* the seed's LRU refuses pinned pages */
				:: else
				fi
			}
		:: else -> ok = 0
		fi
	od
}

#if LIVE
/*
 * L1 (safety, as LTL): once fsync has begun to clean the dirty page while
 * the device holds it, fsync does not return before the device has let
 * it go.  Seed: must hold, since WB_SYNC_ALL waits in page_mkclean until
 * the page is unpinned.  Vanilla, upstream, bounce: must fail, fsync writes
 * around the pin (bounce: from a stable copy).
 */
ltl fsync_waits_for_unpin { [] ((fsync_cleaning && held) -> (!fsync_done W !held)) }

/*
 * L2 (liveness): an fsync that has begun to clean the page returns.
 * Needs weak fairness (pan -f): without it, a schedule that runs only the
 * user's stores forever is a counterexample that says nothing about pins.
 * With a pin that is never released (LONGTERM): seed fails, fsync waits for
 * as long as the pin is held (forever); vanilla, upstream and bounce hold:
 * fsync returns while the pin is held.  Seed with RELEASE=0 or 1: fails,
 * the release's lock_page waits for the page lock that fsync holds while
 * it waits for the unpin (a deadlock).
 */
ltl fsync_returns { [] (fsync_cleaning -> <> fsync_done) }
#endif
