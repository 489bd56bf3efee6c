#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The model's verdict beside the kernel's, for every scenario both run.

The kernel half (linux/rig.py) boots one Linux 6.12 UML kernel per cell and
writes its verdicts, bytes lost and /proc/pinmm counters to a JSON file.
The model (pinmm) runs the same scenario under the same design in
deterministic mode, over fixed strategies and seeds, so that its answer
does not depend on this machine's speed or load.  This script puts the
two side by side and compares, per cell (scenario x design):

  verdict     the kernel's one verdict against the model's.  The kernel
              orders each scenario by causal events, so its run is the
              interleaving the scenario is about; the model's runs cover
              several.  The model's verdict is the one its runs reach (if
              some pass and some reach X, it is X: the scenario *can*
              reach X); with two different non-pass verdicts, the cell
              agrees if the kernel's is one of them.
  signs       for the named counters below, whether the event happened at
              all (0 or not) in each half, when both halves passed: a
              design that writes pinned pages, waits for an unpin, copies
              pages, or mistakes references for pins.  Only zero against
              non-zero is a disagreement: the two halves run different
              page counts and the model's are a model's.

A disagreement fails the check unless docs/differential.md lists it (the
table under "## Known disagreements": scenario, design, what, model,
kernel, reason); a listed disagreement that no longer happens fails too,
so that the list stays true.

Usage: differential.py --kernel RESULTS.json --pinmm PINMM
                       [--known FILE] [--runs N] [--markdown] [--json FILE]
Prints the table and ends with "N agree, N known, N failed".
Exit 0 when nothing failed and some cell was compared, 1 otherwise, 2 on
bad input.
"""
import argparse
import json
import os
import subprocess
import sys

STRATEGIES = ["fifo", "random", "pct:2", "pct:3"]
SEED = 1000
VERDICTS = ["pass", "oops", "warn", "data-loss", "hang", "refused"]

# Counters whose sign (zero or not) both halves must agree on, when both
# passed.  Each name maps to the model's counters and the kernel's
# (/proc/pinmm, or the guest's details) that count the same event.
SIGNS = {
    # The kernel cannot tell a read pin from a write pin: its unstable
    # writes are the model's pinned writes (any pin).
    "unstable": (["pinned_writes"], ["unstable_writes"]),
    "waits": (["mkclean_pinned_waits", "wb_sync_all_waited_unpin",
               "fsync_waited_unpin", "memory_failure_waited_unpin",
               "isize_extend_waited_unpin", "defio_waited_unpin"],
              ["mkclean_waited"]),
    "copies": (["bounce_copies"], ["bounce_copies"]),
    "false-pins": (["pin_false_positive"], ["details.pin_false_positives"]),
}


# Kernel designs that the model builds under another name: the kernel's
# seed-exact is the seed's own tracking (an exact count in the page's lru
# words, pinned pages off the LRU), which is how the model's seed tracks.
MODEL_DESIGN = {"seed-exact": "seed"}


class BadInput(Exception):
    pass


def model_policies(pinmm):
    out = subprocess.run([pinmm, "policies"], capture_output=True, text=True,
                         timeout=60, check=True)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def model_scenarios(pinmm):
    out = subprocess.run([pinmm, "list"], capture_output=True, text=True,
                         timeout=60, check=True)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def model_runs(pinmm, scenario, policy, runs):
    results = []
    for strategy in STRATEGIES:
        out = subprocess.run([pinmm, "run", scenario, "--policy", policy,
                              "--sched", "det", "--strategy", strategy,
                              "--runs", str(runs), "--seed", str(SEED),
                              "--strategy-seed", str(SEED), "--json"],
                             capture_output=True, text=True, timeout=900)
        if out.returncode not in (0, 1):
            raise RuntimeError(f"pinmm run {scenario} --policy {policy}: "
                               f"exit {out.returncode}: {out.stderr.strip()[:200]}")
        results += [json.loads(line) for line in out.stdout.splitlines() if line]
    return results


def model_cell(results):
    """Summarise a cell's model runs: verdict set, bytes lost, counters."""
    seen = sorted({r["verdict"] for r in results}, key=VERDICTS.index)
    bad = [v for v in seen if v != "pass"]
    checked = [r for r in results if r["bytes_lost"] is not None or r["fsync_lost"]]
    lost = max(((r["bytes_lost"] or 0) + (r["fsync_lost"] or 0) for r in checked),
               default=None)
    signs = {}
    for name, (mnames, _) in SIGNS.items():
        vals = [sum(r["counters"].get(n, 0) for n in mnames)
                for r in results if r["verdict"] == "pass"]
        if not vals:
            continue
        signs[name] = "yes" if all(vals) else ("no" if not any(vals) else "some")
    return {"verdicts": bad or ["pass"], "runs": len(results),
            "hits": sum(1 for r in results if r["verdict"] in bad),
            "bytes_lost": lost, "signs": signs,
            "counters": max_counters(results)}


def max_counters(results):
    """Each compared counter's largest value over the runs."""
    wanted = sorted({n for mn, _ in SIGNS.values() for n in mn})
    return {n: max(r["counters"].get(n, 0) for r in results) for n in wanted}


def kernel_value(cell, name):
    if name.startswith("details."):
        return (cell.get("details") or {}).get(name[len("details."):]) or 0
    return (cell.get("counters") or {}).get(name, 0)


def kernel_cell(cell):
    signs = {}
    if cell["verdict"] == "pass" and cell.get("counters"):
        for name, (_, knames) in SIGNS.items():
            signs[name] = "yes" if sum(kernel_value(cell, n) for n in knames) else "no"
    at_fsync = sum(f.get("lost") or 0 for f in cell.get("fsyncs") or [])
    lost = None if cell.get("bytes_lost") is None and not at_fsync else \
        (cell.get("bytes_lost") or 0) + at_fsync
    return {"verdict": cell["verdict"], "bytes_lost": lost, "signs": signs}


def disagreements(m, k):
    """What differs between the model's summary m and the kernel's k."""
    out = []
    if k["verdict"] not in m["verdicts"]:
        out.append(("verdict", "/".join(m["verdicts"]), k["verdict"]))
        return out
    for name in SIGNS:
        ms, ks = m["signs"].get(name), k["signs"].get(name)
        if ms is None or ks is None or ms == "some" or ms == ks:
            continue
        out.append((name, ms, ks))
    return out


def load_known(path):
    """The rows of the table under '## Known disagreements' in path."""
    rows, on = {}, False
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("## "):
                on = line.strip() == "## Known disagreements"
                continue
            if not on or not line.startswith("|"):
                continue
            cols = [c.strip() for c in line.strip().strip("|").split("|")]
            if cols[0] in ("scenario", "") or set(cols[0]) <= set("-: "):
                continue
            if len(cols) != 6 or not cols[5]:
                raise BadInput(f"{path}:{n}: [Known disagreements] row: "
                               f"{len(cols)} columns (expected scenario | design | "
                               f"what | model | kernel | reason, with a reason)")
            if cols[2] != "verdict" and cols[2] not in SIGNS:
                raise BadInput(f"{path}:{n}: [Known disagreements] what: "
                               f"'{cols[2]}' (expected verdict or one of "
                               f"{', '.join(SIGNS)})")
            rows[(cols[0], cols[1], cols[2])] = {"model": cols[3], "kernel": cols[4],
                                                 "reason": cols[5], "line": n}
    return rows


def compare(kernel, pinmm, runs, known, only=None):
    """Run the model for every cell both halves have; judge each."""
    policies, scenarios = model_policies(pinmm), set(model_scenarios(pinmm))
    cells, used, cache = [], set(), {}
    for kc in kernel:
        scen, pol = kc["scenario"], kc["policy"]
        if scen not in scenarios or (only and scen not in only):
            continue
        row = {"scenario": scen, "design": pol, "kernel": kernel_cell(kc)}
        mpol = MODEL_DESIGN.get(pol, pol)
        if mpol not in policies:
            row.update(status="FAIL", why=[f"the model has no design '{mpol}'"])
            cells.append(row)
            continue
        # seed and seed-exact share the model's seed: run it once
        if (scen, mpol) not in cache:
            cache[scen, mpol] = model_cell(model_runs(pinmm, scen, mpol, runs))
        row["model"] = cache[scen, mpol]
        if kc["verdict"] in ("error", "n/a"):
            row.update(status="skip", why=[f"kernel cell is {kc['verdict']}"])
            cells.append(row)
            continue
        row["why"], row["status"] = [], "agree"
        for what, mv, kv in disagreements(row["model"], row["kernel"]):
            key = (scen, pol, what)
            if key in known:
                used.add(key)
                row["status"] = "known" if row["status"] != "FAIL" else "FAIL"
                row["why"].append(f"{what}: model {mv}, kernel {kv} (known)")
            else:
                row["status"] = "FAIL"
                row["why"].append(f"{what}: model {mv}, kernel {kv}, not in the list")
        cells.append(row)
    stale = [(key, v) for key, v in known.items()
             if key not in used and (not only or key[0] in only)]
    return cells, stale


def fmt_model(m):
    if m is None:
        return "-"
    v = "/".join(m["verdicts"])
    if m["verdicts"] != ["pass"] and m["hits"] != m["runs"]:
        v += f" {m['hits']}/{m['runs']}"
    return v


def fmt_lost(n):
    return "-" if n is None else str(n)


def fmt_signs(s):
    return " ".join(f"{n}" for n in SIGNS if s.get(n) in ("yes", "some")) or "-"


def print_table(cells, markdown):
    head = ["scenario", "design", "model", "kernel", "lost m/k",
            "model counters", "kernel counters", ""]
    rows = []
    for c in cells:
        m, k = c.get("model"), c["kernel"]
        rows.append([c["scenario"], c["design"], fmt_model(m), k["verdict"],
                     f"{fmt_lost(m['bytes_lost'] if m else None)}/{fmt_lost(k['bytes_lost'])}",
                     fmt_signs(m["signs"]) if m else "-", fmt_signs(k["signs"]),
                     c["status"] if c["status"] != "agree" else "ok"])
    if markdown:
        print("| " + " | ".join(head[:-1]) + " | check |")
        print("|" + " --- |" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    w = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(str(x).ljust(w[i]) for i, x in enumerate(r)).rstrip())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", required=True, help="linux/rig.py's results.json")
    ap.add_argument("--pinmm", required=True)
    ap.add_argument("--known", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "docs", "differential.md"))
    ap.add_argument("--runs", type=int, default=3, help="model runs per strategy")
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    try:
        if a.runs < 1 or a.runs > 1000:
            raise BadInput(f"--runs {a.runs}: expected 1..1000")
        with open(a.kernel) as f:
            kernel = json.load(f)
        if not isinstance(kernel, list) or not all(
                isinstance(c, dict) and "scenario" in c and "policy" in c
                and "verdict" in c for c in kernel):
            raise BadInput(f"{a.kernel}: expected the rig's list of cells "
                           "(scenario, policy, verdict, ...)")
        known = load_known(a.known)
    except (OSError, ValueError, BadInput) as e:
        print(f"differential: {e}", file=sys.stderr)
        return 2
    cells, stale = compare(kernel, a.pinmm, a.runs, known, a.scenario)
    print_table(cells, a.markdown)
    failed = sum(1 for c in cells if c["status"] == "FAIL") + len(stale)
    print()
    for c in cells:
        for w in c.get("why") or []:
            print(f"{c['status']:5} {c['scenario']} {c['design']}: {w}")
    for (scen, pol, what), v in stale:
        print(f"FAIL  {scen} {pol}: {what}: listed at {a.known}:{v['line']} "
              "but the halves agree now (remove it)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"cells": cells, "stale": [list(k) for k, _ in stale]}, f, indent=1)
    agree = sum(1 for c in cells if c["status"] == "agree")
    known_n = sum(1 for c in cells if c["status"] == "known")
    print(f"{agree} agree, {known_n} known, {failed} failed")
    return 0 if failed == 0 and agree + known_n else 1


if __name__ == "__main__":
    sys.exit(main())
