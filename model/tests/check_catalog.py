#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check every catalog scenario's verdicts against docs/catalog.md.

For each scenario and policy, runs `pinmm run NAME --policy P --runs N
--json` from a fixed seed and checks every run: the verdict the table says
the policy must reach on every run, or, for the "can" cells, that enough
runs reach it and the others pass; and the counters the table names.

Usage: check_catalog.py PINMM [--runs N] [--only SCENARIO]
Prints one line per cell and ends with "N passed, N failed".
"""
import argparse
import json
import subprocess
import sys


def counter(name, test, what):
    return (name, test, what)


def gt0(v):
    return v > 0


def eq0(v):
    return v == 0


def eq(n):
    return lambda v: v == n


# scenario -> policy -> (verdict, minimum share of runs for "can" cells or
# None for "every run", [(counter, test, description)], hang words)
EXPECT = {
    "baseline": {
        "vanilla": ("pass", None, [counter("pgsteal_kswapd", gt0, "> 0 (pages evicted)"),
                                   counter("pgmajfault", lambda v: v > 128, "> 128 (read back)")]),
        "seed": ("pass", None, [counter("pgsteal_kswapd", gt0, "> 0 (pages evicted)")]),
    },
    "seed-bug": {
        "vanilla": ("oops", 0.9, []),
        "seed": ("pass", None, [counter("mkclean_pinned_skipped", gt0, "> 0")]),
    },
    "dma-writeback": {
        "vanilla": ("pass", None, [counter("unstable_writes", gt0, "> 0")]),
        "seed": ("pass", None, [counter("unstable_writes", gt0, "> 0")]),
    },
    "fsync-during-dma": {
        "vanilla": ("pass", None, [counter("fsync_waited_unpin", eq0, "== 0")]),
        "seed": ("pass", None, [counter("fsync_waited_unpin", gt0, "> 0 (fsync waited for the unpin)")]),
    },
    "longterm-fsync": {
        "vanilla": ("pass", None, []),
        "seed": ("hang", None, [], ["wait_for_dma_pinned_to_clear", "fsynced"]),
    },
    "journal-deadlock": {
        "vanilla": ("pass", None, []),
        "seed": ("hang", None, [], ["wait_for_dma_pinned_to_clear", "t_updates",
                                     "wait_transaction_locked"]),
    },
    "truncate-during-dma": {
        "vanilla": ("pass", None, [counter("pgtruncate", gt0, "> 0")]),
        "seed": ("pass", None, [counter("pgtruncate", gt0, "> 0")]),
    },
    "isize-extend": {
        "vanilla": ("pass", None, [counter("isize_extend_waited_unpin", eq0, "== 0")]),
        "seed": ("pass", None, [counter("isize_extend_waited_unpin", gt0, "> 0 (the extension waited)")]),
    },
    "memory-failure": {
        "vanilla": ("pass", None, [counter("memory_failure", eq(1), "== 1")]),
        "seed": ("pass", None, [counter("memory_failure_waited_unpin", gt0, "> 0 (memory failure waited)")]),
    },
    "fb-defio": {
        "vanilla": ("pass", None, [counter("defio_pages_cleaned", gt0, "> 0")]),
        "seed": ("pass", None, [counter("defio_waited_unpin", gt0, "> 0 (defio waited)")]),
    },
    "multi-pin": {
        "vanilla": ("oops", 0.02, []),
        "seed": ("pass", None, [counter("dma_unpin_to_lru", eq(16),
                                        "== 16 (each page back on the LRU once, at its last unpin)")]),
    },
    "many-refs": {
        "vanilla": ("pass", None, [counter("reclaim_remove_mapping_fail", gt0, "> 0")]),
        "seed": ("pass", None, [counter("reclaim_remove_mapping_fail", gt0, "> 0")]),
    },
    "fsync-after-skip": {
        "vanilla": ("pass", None, []),
        "seed": ("data-loss", None, [counter("mkclean_pinned_skipped", gt0, "> 0")]),
    },
    "fsync-own-pin": {
        "vanilla": ("pass", None, []),
        "seed": ("hang", None, [], ["wait_for_dma_pinned_to_clear", "fsynced"]),
    },
}


def run(pinmm, scenario, policy, runs, seed):
    out = subprocess.run([pinmm, "run", scenario, "--policy", policy,
                          "--runs", str(runs), "--seed", str(seed), "--json"],
                         capture_output=True, text=True, timeout=900)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"pinmm exited {out.returncode}: {out.stderr.strip()}")
    return [json.loads(line) for line in out.stdout.splitlines() if line]


def check_cell(results, expect):
    verdict, share, counters = expect[0], expect[1], expect[2]
    words = expect[3] if len(expect) > 3 else []
    problems = []
    hits = sum(1 for r in results if r["verdict"] == verdict)
    if share is None:
        bad = [r for r in results if r["verdict"] != verdict]
        if bad:
            r = bad[0]
            problems.append(f"seed {r['seed']}: {r['verdict']} "
                            f"({r['oops'] or r['hang'] or r['error'] or r['loss'] or r['warn']})")
    else:
        if hits < max(1, int(share * len(results) + 0.999)):
            problems.append(f"{verdict} in {hits} of {len(results)} runs, want >= {share:.0%}")
        others = [r for r in results if r["verdict"] not in (verdict, "pass")]
        if others:
            problems.append(f"seed {others[0]['seed']}: {others[0]['verdict']}")
    for r in results:
        if r["verdict"] != verdict:
            continue
        if verdict == "oops":
            trace = r.get("call_trace") or []
            if not r["oops"].startswith("kernel BUG at fs/ext4/inode.c:"):
                problems.append(f"seed {r['seed']}: oops '{r['oops']}'")
            want = ["ext4_writepage", "__writepage", "write_cache_pages"]
            names = [n.split(".")[0] for n in trace]
            if [n for n in names if n in want][:3] != want:
                problems.append(f"seed {r['seed']}: trace {names[:6]}")
        if verdict in ("pass", "data-loss") and r["bytes_lost"] is None:
            problems.append(f"seed {r['seed']}: bytes not checked")
        if verdict == "pass" and r["bytes_lost"]:
            problems.append(f"seed {r['seed']}: {r['bytes_lost']} bytes lost")
        for name, test, what in counters:
            v = r["counters"].get(name)
            if v is None or not test(v):
                problems.append(f"seed {r['seed']}: {name}={v}, want {what}")
        for w in words:
            if w not in (r["hang"] or ""):
                problems.append(f"seed {r['seed']}: hang report lacks '{w}'")
        if len(problems) > 3:
            break
    return hits, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pinmm")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--only")
    args = ap.parse_args()
    passed = failed = 0
    for scenario, policies in EXPECT.items():
        if args.only and scenario != args.only:
            continue
        for policy, expect in policies.items():
            runs = args.runs
            if expect[1] is not None:
                runs = max(runs, 50)
            if expect[0] == "hang":
                runs = max(1, runs // 5)
            try:
                results = run(args.pinmm, scenario, policy, runs, args.seed)
                hits, problems = check_cell(results, expect)
            except Exception as e:  # noqa: BLE001 - report any failure as a cell failure
                hits, problems = 0, [str(e)]
            status = "ok  " if not problems else "FAIL"
            print(f"{status} {scenario:20} {policy:8} {expect[0]:6} {hits}/{runs}"
                  + ("" if not problems else "  " + "; ".join(problems[:3])), flush=True)
            if problems:
                failed += 1
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
