/*
 * pinning.pml - a Spin model of one file page that a device pins with
 * get_user_pages() and writes by DMA, while cleaning writeback, data-integrity
 * writeback (fsync), reclaim and a user process that stores through its
 * mapping all act on the same page.  It is the third, independent check of
 * the 2018 "pinned pages vs writeback" crash and of the seed's fix ("mm:
 * page_mkclean, try_to_unmap: skip or wait for dma-pinned pages").
 *
 * Compile-time switches (spin -DNAME=1):
 *
 *   SEED              0: the 2018 kernel ("vanilla"); 1: the seed's design.
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
 *                     lock (2018 drivers; the default).  1:
 *                     put_user_pages_dirty_lock() of late 2018, which locks
 *                     only a page that looks clean (model/mm/gup.c).  2:
 *                     set_page_dirty() without the page lock.
 *   SEED_TTU          seed only, default 1: try_to_unmap refuses a pinned
 *                     page.  0: it unmaps it as vanilla does (ablation).
 *   SEED_LRU          seed only, default 1: a pinned page is taken off the
 *                     LRU and the LRU-add paths refuse it.  0: it stays on
 *                     the LRU like any page (ablation).
 *   LIVE              the liveness configuration: the device does a single
 *                     pin/DMA/release cycle, and the LTL properties below
 *                     are compiled in.  Without LIVE, the device pins and
 *                     releases again and again and only assertions count.
 *   LONGTERM          with LIVE: the device never releases (an RDMA-like
 *                     long-term pin).
 *
 * The state is one page: its flags, its refcount, its one PTE, the seed's
 * pin count/flag, and the device's and fsync's progress.  Each atomic block
 * is a step that the kernel does under a lock (PTL, pinned_dma_lock,
 * lru_lock, private_lock) or with an atomic operation.
 */

#ifndef SEED
#define SEED 0
#endif
#ifndef GUP_WINDOW
#define GUP_WINDOW 0
#endif
#ifndef PIN_NEEDS_ISOLATE
#define PIN_NEEDS_ISOLATE 0
#endif
#ifndef RELEASE
#define RELEASE 0
#endif
#ifndef SEED_TTU
#define SEED_TTU 1
#endif
#ifndef SEED_LRU
#define SEED_LRU 1
#endif
#ifndef LIVE
#define LIVE 0
#endif
#ifndef LONGTERM
#define LONGTERM 0
#endif

/* ---- the page ---- */
bit cached = 1;        /* in the page cache (else reclaim freed it) */
bit pg_locked;         /* PG_locked */
bit pg_dirty;          /* PG_dirty (and the mapping's dirty tag) */
bit pg_private = 1;    /* PG_private: has buffer heads */
bit bh_dirty;          /* its buffers are dirty */
bit pg_lru = 1;        /* on an LRU list */
bit isolated;          /* reclaim holds it isolated from the LRU */
bit pg_writeback;      /* PG_writeback */
bit pte_present;       /* the user's PTE maps it (mapcount 1) */
bit pte_write;         /* ... writable */
bit pte_dirty;         /* ... dirty */
byte refcount = 1;     /* page cache 1, +PTE, +gup, +reclaim's isolation, +faults */
bit pinned;            /* seed: PageDmaPinned */
byte pincount;         /* seed: page->dma_pinned_count */

/* ---- progress, for the properties ---- */
bit held;              /* the device holds the page: from the end of gup to its put */
bit fsync_cleaning;    /* fsync has locked the dirty page and is in clear_page_dirty_for_io */
bit fsync_done;        /* fsync returned */
bit wp_nobuffers;      /* writepage was handed a dirty page without buffers */

inline lock_page() { atomic { !pg_locked -> pg_locked = 1 } }    /* @lock_page */
inline unlock_page() { pg_locked = 0 }

/* a_ops->set_page_dirty = __set_page_dirty_buffers, under private_lock */
inline set_page_dirty() {
	atomic {
		if
		:: pg_private -> bh_dirty = 1
		:: else
		fi;
		pg_dirty = 1
	}
}

inline release_dirty() {
	printf("device: release: set_page_dirty (buffers %d)\n", pg_private);
	set_page_dirty()
}

/*
 * A write fault on the shared file mapping (user store or gup FOLL_WRITE):
 * filemap_fault finds (or reads) the page and takes a reference; then
 * ext4_page_mkwrite locks it, attaches buffers if it has none, marks them
 * and the page dirty; finish_fault maps it writable+dirty; unlock; put.
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
		printf("fault: page_mkwrite (buffers were %d), PTE writable+dirty\n", pg_private);
		pg_private = 1; bh_dirty = 1; pg_dirty = 1
	};
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

/*
 * page_mkclean(page, skip_pinned_pages), one VMA.  Returns ret = cleaned &&
 * !skipped.  Vanilla: clean and write-protect the PTE if dirty or writable.
 * Seed: under pinned_dma_lock, a pinned page is skipped when asked; else
 * the lock is dropped for the mmu notifier, retaken, and the walk waits
 * until the page is unpinned (even a skipping caller, if the pin came in
 * between), then cleans the PTE under the lock.
 */
inline page_mkclean(skip_pinned, ret) {
	ret = 0;
	if
	:: !pte_present -> skip             /* !page_mapped(page): return 0 */
	:: else ->
#if SEED
		if
		:: atomic { skip_pinned && pinned -> skipped = 1 }
		:: atomic { !(skip_pinned && pinned) -> skip }
		fi;
		if
		:: skipped -> printf("page_mkclean: pinned page skipped\n")
		:: else ->
			/* mmu_notifier_invalidate_range_start: lock dropped */
			atomic {                    /* @wait_unpin (trails stop on this line) */
				!pinned ->              /* wait_for_dma_pinned_to_clear */
				if
				:: pte_present && (pte_dirty || pte_write) ->
					pte_dirty = 0; pte_write = 0; ret = 1
				:: else
				fi
			}
		fi;
		skipped = 0
#else
		atomic {
			if
			:: pte_present && (pte_dirty || pte_write) ->
				pte_dirty = 0; pte_write = 0; ret = 1
			:: else
			fi
		}
#endif
	fi
}

/*
 * write_cache_pages() for the one page; sync_all: WB_SYNC_ALL.  Then
 * clear_page_dirty_for_io() and ext4's ->writepage, whose page_buffers()
 * is BUG_ON(!PagePrivate(page)): the crash of 2018.
 */
inline writeback_page(sync_all) {
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
			/* ext4_writepage: page_buffers(page) */
			atomic {
				printf("writepage(WB_SYNC_ALL=%d): dirty page, buffers %d\n", sync_all, pg_private);
				wp_nobuffers = !pg_private;
				assert(pg_private);     /* BUG_ON(!PagePrivate(page)) */
				bh_dirty = 0; pg_writeback = 1
			};
			unlock_page();
			pg_writeback = 0            /* end_page_writeback */
		:: else -> unlock_page()
		fi
	fi
}

/* ---- the tasks ---- */

active proctype user()
{
end:
	do
	:: atomic { pte_present && pte_write -> pte_dirty = 1 }   /* store */
	:: !(pte_present && pte_write) -> write_fault()
	od
}

active proctype device()
{
end:
	do
	::
		/* get_user_pages(FOLL_WRITE | FOLL_TOUCH): follow_page_pte */
		do
		:: atomic {
			pte_present && pte_write ->
			if  /* FOLL_TOUCH with FOLL_WRITE */
			:: !pte_dirty && !pg_dirty ->
				if
				:: pg_private -> bh_dirty = 1
				:: else
				fi;
				pg_dirty = 1
			:: else
			fi;
			refcount++;
#if SEED && !GUP_WINDOW
			pin_page();
#endif
#if !SEED || !GUP_WINDOW
			held = 1;
#endif
			}
			break
		:: !(pte_present && pte_write) -> write_fault()
		od;
#if SEED && GUP_WINDOW
		/* end of get_user_pages: pin what was got */
		atomic { pin_page(); held = 1 };
#endif
		printf("device: gup done (refcount %d, pinned %d)\n", refcount, pinned);
		/* the device writes the frame by DMA: no PTE, no dirty bit */
		printf("device: DMA writes the page (buffers %d)\n", pg_private);
#if LONGTERM
end_longterm:
		false;
#endif
		/* release the page it wrote */
#if RELEASE == 0
		/* set_page_dirty_lock() */
		lock_page(); release_dirty(); unlock_page();
#elif RELEASE == 1
		/* put_user_pages_dirty_lock(): lock only a page that looks clean */
		if
		:: !pg_dirty -> lock_page(); release_dirty(); unlock_page()
		:: else
		fi;
#else
		/* set_page_dirty() without the page lock */
		release_dirty();
#endif
		atomic {
			printf("device: unpin and put_page\n");
#if SEED
			unpin_page();
#endif
			held = 0;
			refcount--                  /* put_page */
		};
#if LIVE
		break
#endif
	od
}

/* the flusher: periodic WB_SYNC_NONE writeback */
active proctype flusher()
{
	bit cleaned, was_dirty, skipped;
end:
	do
	:: pg_dirty -> writeback_page(0)
	od
}

/* one fsync(): filemap_write_and_wait with WB_SYNC_ALL */
active proctype fsync()
{
	bit cleaned, was_dirty, skipped;
	if
	:: pg_dirty -> writeback_page(1)
	:: else
	fi;
	/*
	 * The data-integrity write of the page is done (fsync writes and
	 * completes its own I/O in writeback_page).  The properties look at
	 * this point: the wait below, for a writeback the flusher started, can
	 * be starved by new flusher writebacks in this model (weak fairness
	 * does not help a waiter whose guard is enabled only at times), which
	 * is not what they are about.
	 */
	fsync_done = 1;
	(!pg_writeback)                     /* filemap_fdatawait */
}

/* kswapd: shrink_page_list on the inactive file LRU */
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
#if SEED && SEED_TTU
					if
					:: pinned -> ok = 0;     /* refuses a pinned page */
						printf("reclaim: try_to_unmap refuses the pinned page\n")
					:: else
					fi;
#endif
					if
					:: ok ->
						if
						:: pte_dirty ->
							if
							:: pg_private -> bh_dirty = 1
							:: else
							fi;
							pg_dirty = 1
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
					!pg_private && refcount == 2 && !pg_dirty ->
					cached = 0; refcount = 0; isolated = 0;
					pg_locked = 0;
					printf("reclaim: page freed\n")
					}
				:: else -> ok = 0;       /* an extra (gup) reference: keep */
					printf("reclaim: keeps the page (refcount %d, buffers %d)\n", refcount, pg_private)
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
				:: !pinned || !SEED_LRU -> pg_lru = 1  /* the LRU refuses pinned pages */
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
 * the page is unpinned.  Vanilla: must fail, fsync writes around the pin.
 */
ltl fsync_waits_for_unpin { [] ((fsync_cleaning && held) -> (!fsync_done W !held)) }

/*
 * L2 (liveness): an fsync that has begun to clean the page returns.
 * Needs weak fairness (pan -f): without it, a schedule that runs only the
 * user's stores forever is a counterexample that says nothing about pins.
 * Seed with a long-term pin: fails, fsync waits for as long as the pin is
 * held (forever).  Seed with a release: holds.  Vanilla: holds.  Seed with
 * RELEASE=0 or 1: fails, the release's lock_page waits for the page
 * lock that fsync holds while it waits for the unpin (a deadlock).
 */
ltl fsync_returns { [] (fsync_cleaning -> <> fsync_done) }
#endif
