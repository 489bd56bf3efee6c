#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check linux/out/results.json against the table the kernel must give.

Every cell of scenario x policy is checked. Each expectation is a
verdict plus, where the design says so, the evidence that must come with
it (README.md explains each cell).
"""
import json
import sys


def lost0(r):
    return r["bytes_lost"] == 0, "bytes_lost=%s" % r["bytes_lost"]


def bug_ext4(r):
    ok = bool(r["oops"]) and "kernel BUG at fs/ext4/" in r["oops"]
    return ok, "oops=%r" % r["oops"]


def fsync_waited(r):
    d = r["details"]
    ok = (d.get("fsync_returned_after_unpin") == 1 and
          d.get("fsync_mkclean_waited", 0) >= 1 and r["bytes_lost"] == 0)
    return ok, "fsync %s ms, returned %s ms after the unpin, waits=%s" % (
        d.get("fsync_ms"), d.get("fsync_end_minus_unpin_ms"),
        d.get("fsync_mkclean_waited"))


def extend_waited(r):
    d = r["details"]
    ok = (d.get("extend_returned_after_unpin") == 1 and
          d.get("extend_mkclean_waited", 0) >= 1 and r["bytes_lost"] == 0)
    return ok, "truncate-up %s ms, waits=%s" % (
        d.get("extend_ms"), d.get("extend_mkclean_waited"))


def hung_fsync(r):
    ev = r["evidence"] or ""
    ok = bool(r["details"].get("hung_task")) and "folio_wait_dma_unpinned" in ev
    return ok, "hung task %s" % r["details"].get("hung_task")


def skipped_unmap(r):
    c = r["counters"]
    ok = c.get("mkclean_skipped", 0) > 0 and c.get("unmap_refused", 0) > 0 \
        and r["bytes_lost"] == 0
    return ok, "mkclean_skipped=%s unmap_refused=%s" % (
        c.get("mkclean_skipped"), c.get("unmap_refused"))


# truncate-*: 16 pages, truncated to 10, pages 5-6 punched: every other
# byte (8 pages) must be checked against the shadow.
TRUNC_LIVE = 8 * 4096


def trunc_lost0(r):
    d = r["details"]
    ok = r["bytes_lost"] == 0 and d.get("bytes_checked") == TRUNC_LIVE
    return ok, "bytes_lost=%s of %s checked" % (r["bytes_lost"],
                                                d.get("bytes_checked"))


def trunc_nowait(r):
    """stock, 2018: neither the truncate nor the punch waits for the pin."""
    d = r["details"]
    ok, why = trunc_lost0(r)
    ok = ok and d.get("truncate_mkclean_waited") == 0 and \
        d.get("punch_mkclean_waited") == 0 and \
        d.get("punch_returned_after_release") == 0
    return ok, "truncate %s ms, punch %s ms (%s ms before the unpin), " \
        "waits=%s; %s" % (d.get("truncate_ms"), d.get("punch_ms"),
                          -d.get("punch_end_minus_unpin_ms", 0),
                          d.get("punch_mkclean_waited"), why)


def punch_waited(r):
    """seed: the punch's WB_SYNC_ALL flush waits for the device's unpin;
    the truncate (no flush in ext4 6.1) does not."""
    d = r["details"]
    ok, why = trunc_lost0(r)
    ok = ok and d.get("punch_mkclean_waited", 0) >= 1 and \
        d.get("punch_returned_after_release") == 1 and \
        d.get("punch_wait_end_minus_release_ms", -1) >= 0 and \
        d.get("truncate_mkclean_waited") == 0
    return ok, "punch %s ms, returned %s ms after the unpin, waits=%s; " \
        "truncate %s ms, waits=%s; %s" % (
            d.get("punch_ms"), d.get("punch_end_minus_unpin_ms"),
            d.get("punch_mkclean_waited"), d.get("truncate_ms"),
            d.get("truncate_mkclean_waited"), why)


def warn_zap(r):
    ok = r["bytes_lost"] == 0 and "ext4_dirty_folio" in (r["evidence"] or "")
    return ok, "%s; bytes_lost=%s" % (r["evidence"], r["bytes_lost"])


def warn_zap_skipped(r):
    ok, why = warn_zap(r)
    ok = ok and r["details"].get("bytes_checked") == TRUNC_LIVE and \
        r["counters"].get("mkclean_skipped", 0) > 0
    return ok, "%s, mkclean_skipped=%s" % (why,
                                          r["counters"].get("mkclean_skipped"))


EXPECT = {
    ("seed-bug", "stock"): ("pass", lost0),
    ("seed-bug", "2018"): ("oops", bug_ext4),
    ("seed-bug", "seed"): ("pass", skipped_unmap),
    ("baseline", "stock"): ("pass", lost0),
    ("baseline", "2018"): ("pass", lost0),
    ("baseline", "seed"): ("pass", lost0),
    ("fsync-during-dma", "stock"): ("pass", lost0),
    ("fsync-during-dma", "2018"): ("pass", lost0),
    ("fsync-during-dma", "seed"): ("pass", fsync_waited),
    ("longterm-fsync", "stock"): ("pass", lost0),
    ("longterm-fsync", "2018"): ("pass", lost0),
    ("longterm-fsync", "seed"): ("hang", hung_fsync),
    ("truncate-during-dma", "stock"): ("pass", trunc_nowait),
    ("truncate-during-dma", "2018"): ("pass", trunc_nowait),
    ("truncate-during-dma", "seed"): ("pass", punch_waited),
    ("truncate-after-writeback", "stock"): ("pass", trunc_lost0),
    ("truncate-after-writeback", "2018"): ("pass", trunc_lost0),
    ("truncate-after-writeback", "seed"): ("warn", warn_zap_skipped),
    ("isize-extend", "stock"): ("pass", lost0),
    ("isize-extend", "2018"): ("pass", lost0),
    ("isize-extend", "seed"): ("pass", extend_waited),
    ("multi-pin", "stock"): ("pass", lost0),
    ("multi-pin", "2018"): ("oops", bug_ext4),
    ("multi-pin", "seed"): ("pass", skipped_unmap),
}


def main():
    results = json.load(open(sys.argv[1]))
    got = {(r["scenario"], r["policy"]): r for r in results}
    passed = failed = 0
    print()
    for (s, p), (verdict, extra) in EXPECT.items():
        r = got.get((s, p))
        if r is None:
            continue
        ok = r["verdict"] == verdict
        why = "verdict %s" % r["verdict"]
        if ok:
            ok, why = extra(r)
        print("%s %-24s %-6s expect %-5s %s" % (
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
