#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a rig's results.json against the table the kernel must give.

Every cell of scenario x policy is checked: its verdict, and the evidence
that must come with it (linux/README.md explains each cell). A cell whose
environment failed (verdict "error") fails the check with its reason.

  check.py RESULTS.json [--debug]

--debug: the results come from the lockdep/DEBUG_VM build; any report of
those checkers fails the cell.
"""
import json
import sys

TRUNC_LIVE = 8 * 4096		# truncate-*: 8 of 16 pages stay live


def ok_if(cond, why):
    return bool(cond), why


def fsyncs_kept(r, at_least=2):
    f = r["fsyncs"]
    bad = [x for x in f if x.get("ret") != 0 or x.get("lost") != 0]
    return ok_if(len(f) >= at_least and not bad and r["bytes_lost"] == 0,
                 "%d fsyncs checked, %d bytes on the device; bytes_lost=%s" %
                 (len(f), sum(x.get("checked", 0) for x in f),
                  r["bytes_lost"]))


def fsyncs_kept_or_eio(r):
    """A poisoned dirty page is lost, and fsync says so once with EIO."""
    f = r["fsyncs"]
    bad = [x for x in f if x.get("ret") not in (0, -5) or x.get("lost") != 0]
    return ok_if(len(f) >= 2 and not bad and r["bytes_lost"] == 0,
                 "fsyncs returned %s, none lost a promised byte; "
                 "bytes_lost=%s" % ([x.get("ret") for x in f],
                                    r["bytes_lost"]))


def counter(r, name):
    return r["counters"].get(name, 0)


def also(*checks):
    """All of the checks, each (ok, why), in order."""
    def run(r):
        whys = []
        for c in checks:
            ok, why = c(r)
            whys.append(why)
            if not ok:
                return False, "; ".join(whys)
        return True, "; ".join(whys)
    return run


def counter_at_least(name, n):
    return lambda r: ok_if(counter(r, name) >= n,
                           "%s=%s" % (name, counter(r, name)))


def detail_is(name, want):
    return lambda r: ok_if(r["details"].get(name) == want,
                           "%s=%s" % (name, r["details"].get(name)))


def detail_at_least(name, n):
    return lambda r: ok_if((r["details"].get(name) or 0) >= n,
                           "%s=%s" % (name, r["details"].get(name)))


def bug_in_ext4_writeback(r):
    trace = r["details"].get("call_trace") or []
    return ok_if(r["oops"] and "kernel BUG at fs/ext4/" in r["oops"] and
                 "mpage_prepare_extent_to_map" in trace,
                 "%s in %s" % (r["oops"], " <- ".join(trace[:3])))


def hung_in(*waits):
    """Some hung task's stack has each of these functions."""
    def check(r):
        stacks = r["details"].get("hung_stacks") or {}
        found = [w for w in waits
                 if any(w in frames for frames in stacks.values())]
        return ok_if(len(found) == len(waits),
                     "hung: " + "; ".join("%s in %s" % (t, f[0])
                                          for t, f in stacks.items() if f))
    return check


def sigkill_does_not_end_it(r):
    return ok_if(r["details"].get("sigkill_ended") == 0,
                 "SIGKILL ended it: %s" % r["details"].get("sigkill_ended"))


def warned_in(fn, via):
    def check(r):
        trace = r["details"].get("warning_trace") or []
        return ok_if(fn in (r["evidence"] or "") and via in trace,
                     "%s via %s" % (fn, " <- ".join(trace[:4])))
    return check


def lost_at_fsync(name):
    def check(r):
        f = [x for x in r["fsyncs"] if x.get("name") == name]
        return ok_if(f and f[0]["lost"] > 0 and r["bytes_lost"] == 0,
                     "fsync %s: %s of %s promised bytes missing, first at "
                     "%s; after remount %s lost" % (
                         name, f[0]["lost"] if f else "?",
                         f[0]["checked"] if f else "?",
                         f[0]["first"] if f else "?", r["bytes_lost"]))
    return check


def checked_bytes(n):
    return lambda r: ok_if(r["details"].get("bytes_checked") == n,
                           "%s bytes checked" % r["details"].get("bytes_checked"))


def refused_efault(r):
    return ok_if("14" in (r["evidence"] or ""), r["evidence"])


def panel_matches(r):
    """fb-defio: the panel holds every byte written, all 16 pages."""
    return ok_if(r["bytes_lost"] == 0 and
                 r["details"].get("bytes_checked") == 16 * 4096,
                 "panel: %s of %s bytes differ" % (
                     r["bytes_lost"], r["details"].get("bytes_checked")))


# gup-selftests: what each policy gives. The two R/W long-term pins of a
# shared ext4 mapping are refused only by upstream (Linux 6.5); gup_longterm
# itself expects the refusal, so under vanilla and seed exactly those two of
# its tests fail, and nothing else.
GUP_RUNS = ["gup_fast-anon", "pin_fast-anon", "pin_longterm-anon",
            "pin_fast-ext4-shared", "pin_longterm-ext4-shared",
            "pin_longterm-tmpfs-shared"]
EXT4_RW_SHARED = {
    "R/W longterm GUP pin in MAP_SHARED file mapping ... with local tmpfile",
    "R/W longterm GUP-fast pin in MAP_SHARED file mapping ... with local tmpfile",
}


def gup_selftests(policy):
    def check(r):
        st = r.get("selftests") or {}
        whys = []
        for run in GUP_RUNS:
            x = st.get(run)
            if not x or x["exit"] != 0 or not x["bench"] or \
               not all(ok for _, ok, _ in x["results"]):
                return False, "%s: %s" % (run, x and x["lines"][-3:])
            refused = x["truncated_size"] == 0
            want_refused = (run == "pin_longterm-ext4-shared" and
                            policy == "upstream")
            if refused != want_refused:
                return False, "%s: pinned %s" % (
                    run, "nothing" if refused else "everything")
            whys.append("%s %s" % (run, "refused" if refused else
                                   "get %dus put %dus" % (
                                       x["bench"]["get_us"],
                                       x["bench"]["put_us"])))
        lt = st.get("gup_longterm")
        if not lt or len(lt["results"]) < 16:
            return False, "gup_longterm did not run: %s" % (
                lt and lt["lines"][-3:])
        failed = {d for d, ok, _ in lt["results"] if not ok}
        want = set() if policy == "upstream" else EXT4_RW_SHARED
        if failed != want:
            return False, "gup_longterm failed %s, expected %s" % (
                sorted(failed), sorted(want))
        tmpfs_rw = [ok for d, ok, _ in lt["results"]
                    if d.startswith("R/W") and "MAP_SHARED" in d and
                    ("with memfd" in d or "with tmpfile" in d)]
        if not tmpfs_rw or not all(tmpfs_rw):
            return False, "gup_longterm: R/W shared pins on tmpfs failed"
        whys.append("gup_longterm %d tests, failed: %s" % (
            len(lt["results"]), ", ".join(sorted(failed)) or "none"))
        return True, "; ".join(whys)
    return check


LOST0 = fsyncs_kept
def NO_WAIT(op):
    return detail_is(op + "_mkclean_waited", 0)

EXPECT = {
    ("baseline", "vanilla"): ("pass", LOST0),
    ("baseline", "seed"): ("pass", LOST0),
    ("baseline", "upstream"): ("pass", LOST0),
    ("seed-bug", "vanilla"): ("oops", bug_in_ext4_writeback),
    ("seed-bug", "seed"): ("pass", also(
        fsyncs_kept, counter_at_least("mkclean_skipped", 1),
        counter_at_least("unmap_refused", 1))),
    ("seed-bug", "upstream"): ("pass", also(
        fsyncs_kept, counter_at_least("reclaim_pinned_kept", 1))),
    ("dma-writeback", "vanilla"): ("pass", also(
        fsyncs_kept, counter_at_least("unstable_writes", 1),
        detail_at_least("dma_generations", 20))),
    ("dma-writeback", "seed"): ("pass", also(
        fsyncs_kept, counter_at_least("unstable_writes", 1),
        detail_at_least("dma_generations", 20))),
    ("dma-writeback", "upstream"): ("pass", also(
        fsyncs_kept, counter_at_least("unstable_writes", 1),
        detail_at_least("dma_generations", 20))),
    ("fsync-during-dma", "vanilla"): ("pass", also(
        fsyncs_kept, NO_WAIT("fsync"),
        detail_is("fsync_returned_after_unpin", 0))),
    ("fsync-during-dma", "seed"): ("pass", also(
        fsyncs_kept, detail_at_least("fsync_mkclean_waited", 1),
        detail_is("fsync_returned_after_unpin", 1))),
    ("fsync-during-dma", "upstream"): ("pass", also(
        fsyncs_kept, NO_WAIT("fsync"),
        detail_is("fsync_returned_after_unpin", 0))),
    ("longterm-fsync", "vanilla"): ("pass", LOST0),
    ("longterm-fsync", "seed"): ("hang", also(
        hung_in("folio_wait_dma_unpinned", "ext4_writepages"),
        sigkill_does_not_end_it)),
    ("longterm-fsync", "upstream"): ("refused", refused_efault),
    ("journal-deadlock", "vanilla"): ("pass", LOST0),
    ("journal-deadlock", "seed"): ("hang", also(
        hung_in("folio_wait_dma_unpinned", "jbd2_journal_wait_updates",
                "wait_transaction_locked"),
        detail_is("commit_waited_for_handle", 1))),
    ("journal-deadlock", "upstream"): ("pass", LOST0),
    ("truncate-during-dma", "vanilla"): ("pass", also(
        fsyncs_kept, NO_WAIT("punch"), NO_WAIT("truncate"),
        checked_bytes(TRUNC_LIVE))),
    ("truncate-during-dma", "seed"): ("pass", also(
        fsyncs_kept, NO_WAIT("punch"), NO_WAIT("truncate"),
        checked_bytes(TRUNC_LIVE))),
    ("truncate-during-dma", "upstream"): ("pass", also(
        fsyncs_kept, NO_WAIT("punch"), NO_WAIT("truncate"),
        checked_bytes(TRUNC_LIVE))),
    ("truncate-after-writeback", "vanilla"): ("pass", also(
        fsyncs_kept, checked_bytes(TRUNC_LIVE))),
    ("truncate-after-writeback", "seed"): ("warn", also(
        fsyncs_kept, checked_bytes(TRUNC_LIVE),
        counter_at_least("mkclean_skipped", 1),
        warned_in("ext4_dirty_folio", "truncate_pagecache_range"))),
    ("truncate-after-writeback", "upstream"): ("pass", also(
        fsyncs_kept, checked_bytes(TRUNC_LIVE))),
    ("isize-extend", "vanilla"): ("pass", also(
        fsyncs_kept, NO_WAIT("extend"))),
    ("isize-extend", "seed"): ("pass", also(
        fsyncs_kept, detail_at_least("extend_mkclean_waited", 1),
        detail_is("extend_returned_after_unpin", 1))),
    ("isize-extend", "upstream"): ("pass", also(
        fsyncs_kept, NO_WAIT("extend"))),
    ("memory-failure", "vanilla"): ("pass", also(
        fsyncs_kept, NO_WAIT("poison"), detail_is("poison_result",
                                     "Device or resource busy"))),
    ("memory-failure", "seed"): ("pass", also(
        fsyncs_kept_or_eio, detail_at_least("poison_mkclean_waited", 1),
        detail_is("poison_returned_after_unpin", 1))),
    ("memory-failure", "upstream"): ("pass", also(
        fsyncs_kept, NO_WAIT("poison"), detail_is("poison_result",
                                     "Device or resource busy"))),
    ("memory-failure-dirty-release", "vanilla"): ("pass", also(
        fsyncs_kept, NO_WAIT("poison"))),
    ("memory-failure-dirty-release", "seed"): ("hang", hung_in(
        "folio_wait_dma_unpinned", "memory_failure",
        "unpin_user_pages_dirty_lock", "__folio_lock")),
    ("memory-failure-dirty-release", "upstream"): ("pass", also(
        fsyncs_kept, NO_WAIT("poison"))),
    ("fb-defio", "vanilla"): ("pass", also(
        panel_matches, detail_is("defio_mkclean_waited", 0))),
    ("fb-defio", "seed"): ("pass", also(
        panel_matches, detail_at_least("defio_mkclean_waited", 1))),
    ("fb-defio", "upstream"): ("pass", also(
        panel_matches, detail_is("defio_mkclean_waited", 0))),
    ("multi-pin", "vanilla"): ("oops", bug_in_ext4_writeback),
    ("multi-pin", "seed"): ("pass", also(
        fsyncs_kept, counter_at_least("mkclean_skipped", 1),
        counter_at_least("unmap_refused", 1))),
    ("multi-pin", "upstream"): ("pass", also(
        fsyncs_kept, counter_at_least("reclaim_pinned_kept", 1))),
    ("many-refs", "vanilla"): ("pass", also(
        fsyncs_kept, detail_is("pin_false_positives", 0))),
    ("many-refs", "seed"): ("pass", also(
        fsyncs_kept, detail_at_least("pin_false_positives", 1))),
    ("many-refs", "upstream"): ("pass", also(
        fsyncs_kept, detail_at_least("pin_false_positives", 1),
        counter_at_least("reclaim_pinned_kept", 1))),
    ("fsync-after-skip", "vanilla"): ("pass", LOST0),
    ("fsync-after-skip", "seed"): ("data-loss", lost_at_fsync("after-skip")),
    ("fsync-after-skip", "upstream"): ("pass", LOST0),
    ("fsync-own-pin", "vanilla"): ("pass", LOST0),
    ("fsync-own-pin", "seed"): ("hang", also(
        hung_in("folio_wait_dma_unpinned"), sigkill_does_not_end_it)),
    ("fsync-own-pin", "upstream"): ("pass", LOST0),
    ("munmap-after-writeback", "vanilla"): ("pass", LOST0),
    ("munmap-after-writeback", "seed"): ("warn", also(
        fsyncs_kept, warned_in("ext4_dirty_folio", "sys_munmap"))),
    ("munmap-after-writeback", "upstream"): ("pass", LOST0),
    ("gup-selftests", "vanilla"): ("pass", gup_selftests("vanilla")),
    ("gup-selftests", "seed"): ("pass", gup_selftests("seed")),
    ("gup-selftests", "upstream"): ("pass", gup_selftests("upstream")),
}


# bounce: nothing waits, nothing is written while pinned, every promise is
# kept; what each cell adds to that.
def no_unstable(r):
    return ok_if(counter(r, "unstable_writes") == 0 and
                 "unstable_writes" in r["counters"],
                 "unstable_writes=%s" % r["counters"].get("unstable_writes"))


def nothing_waited(r):
    return ok_if(counter(r, "mkclean_waited") == 0,
                 "mkclean_waited=%s" % counter(r, "mkclean_waited"))


BOUNCE = {
    "baseline": [fsyncs_kept],
    "seed-bug": [fsyncs_kept, counter_at_least("writeback_skipped", 1),
                 counter_at_least("reclaim_pinned_kept", 1)],
    "dma-writeback": [fsyncs_kept, counter_at_least("writeback_skipped", 1),
                      detail_at_least("dma_generations", 20)],
    "fsync-during-dma": [fsyncs_kept, detail_is("fsync_returned_after_unpin",
                                                0),
                         counter_at_least("bounce_copies", 1)],
    "longterm-fsync": [fsyncs_kept, counter_at_least("bounce_copies", 1)],
    "journal-deadlock": [fsyncs_kept, counter_at_least("bounce_copies", 1)],
    "truncate-during-dma": [fsyncs_kept, checked_bytes(TRUNC_LIVE)],
    "truncate-after-writeback": [fsyncs_kept, checked_bytes(TRUNC_LIVE),
                                 counter_at_least("writeback_skipped", 1)],
    "isize-extend": [fsyncs_kept],
    "memory-failure": [fsyncs_kept_or_eio],
    "memory-failure-dirty-release": [fsyncs_kept_or_eio],
    "fb-defio": [panel_matches],
    "multi-pin": [fsyncs_kept, counter_at_least("writeback_skipped", 1)],
    "many-refs": [fsyncs_kept, detail_at_least("pin_false_positives", 1)],
    "fsync-after-skip": [fsyncs_kept, counter_at_least("bounce_copies", 1)],
    "fsync-own-pin": [fsyncs_kept, counter_at_least("bounce_copies", 1)],
    "munmap-after-writeback": [fsyncs_kept,
                               counter_at_least("writeback_skipped", 1)],
}
for _s, _checks in BOUNCE.items():
    EXPECT[(_s, "bounce")] = ("pass", also(*_checks, no_unstable,
                                           nothing_waited))
EXPECT[("gup-selftests", "bounce")] = ("pass", gup_selftests("bounce"))


# seed-exact: the seed with its own tracking (an exact count, pinned
# folios off the LRU). Where it differs from seed: reclaim never sees a
# pinned folio, so try_to_unmap() has nothing to refuse; plain references
# are not pins; memory_failure() gives up on an off-LRU folio (EBUSY)
# instead of waiting, and the PTE that cleaning writeback left dirty then
# warns at munmap; fb_defio's vmalloc pages are never on an LRU and are
# not tracked.
def never_unmapped(r):
    return ok_if(counter(r, "unmap_refused") == 0 and
                 counter(r, "exact_untracked") == 0,
                 "unmap_refused=%s exact_untracked=%s" % (
                     counter(r, "unmap_refused"),
                     counter(r, "exact_untracked")))


SEED_EXACT = {
    "seed-bug": ("pass", also(fsyncs_kept, counter_at_least(
        "mkclean_skipped", 1), never_unmapped)),
    "multi-pin": ("pass", also(fsyncs_kept, counter_at_least(
        "mkclean_skipped", 1), never_unmapped)),
    "many-refs": ("pass", also(fsyncs_kept,
                               detail_is("pin_false_positives", 0))),
    "memory-failure": ("warn", also(
        NO_WAIT("poison"), detail_is("poison_result",
                                     "Device or resource busy"),
        warned_in("ext4_dirty_folio", "sys_munmap"))),
    "memory-failure-dirty-release": ("pass", also(
        fsyncs_kept, NO_WAIT("poison"), detail_is(
            "poison_result", "Device or resource busy"))),
    "fb-defio": ("pass", also(
        panel_matches, detail_is("defio_mkclean_waited", 0),
        counter_at_least("exact_untracked", 1))),
    "gup-selftests": ("pass", gup_selftests("seed-exact")),
}
for (_s, _p), _want in list(EXPECT.items()):
    if _p == "seed":
        EXPECT[(_s, "seed-exact")] = SEED_EXACT.get(_s, _want)


def main():
    args = sys.argv[1:]
    debug = "--debug" in args
    paths = [a for a in args if a != "--debug"]
    if len(paths) != 1:
        sys.exit("usage: check.py RESULTS.json [--debug]")
    results = json.load(open(paths[0]))
    got = {(r["scenario"], r["policy"]): r for r in results}
    passed = failed = 0
    print()
    for r in results:
        key = (r["scenario"], r["policy"])
        if key not in EXPECT:
            print("FAIL %-28s %-8s no expectation for this cell" % key)
            failed += 1
    for (s, p), (verdict, extra) in EXPECT.items():
        r = got.get((s, p))
        if r is None:
            continue
        ok = r["verdict"] == verdict
        why = "verdict %s: %s" % (r["verdict"],
                                  (r["evidence"] or "").split("\n")[0])
        if ok:
            ok, why = extra(r)
        if ok and debug and r.get("debug_reports"):
            ok, why = False, "debug build reported: %s" % r["debug_reports"][0]
        print("%s %-28s %-10s expect %-9s %s" % (
            "ok  " if ok else "FAIL", s, p, verdict, why))
        if ok:
            passed += 1
        else:
            failed += 1
            print("     console: %s" % r.get("console"))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(0 if failed == 0 and passed > 0 else 1)


if __name__ == "__main__":
    main()
