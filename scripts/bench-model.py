#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The model's half of make bench: run bench_model, summarise, report.

  bench-model.py BENCH_MODEL [--rounds N] [--policy P]... [--quick]
                 [--json FILE] [--md FILE] [--plots DIR]

bench_model (model/tests/bench_model.c) measures every policy of the
model's table with a floor in the same process and prints one JSON sample
a line; this prints, per figure and policy, the median and its spread,
the median ratio to the floor and, once the model has an upstream
policy, the ratio to it.
"""
import argparse
import json
import os
import subprocess
import sys

import benchlib

GROUPS = [("pin and release (ns per page)", ("pin+", "get_user")),
          ("writeback (MB/s; higher is better)", ("writeback",)),
          ("page_mkclean against the number of mappings (ns per call)",
           ("page_mkclean",)),
          ("memory", ("peak RSS", "metadata"))]
MKCLEAN_MAPS = [1, 8, 64, 512]


def args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--policy", action="append")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--md")
    ap.add_argument("--plots")
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()
    if a.rounds < 1:
        ap.error("--rounds must be 1 or more")
    return a


def run(a):
    cmd = [a.binary, "--rounds", str(a.rounds)]
    for p in a.policy or []:
        cmd += ["--policy", p]
    if a.quick:
        cmd.append("--quick")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, timeout=a.timeout)
    except subprocess.TimeoutExpired:
        sys.exit("bench-model: %s did not end in %d s" % (a.binary,
                                                          a.timeout))
    if p.returncode:
        sys.exit("bench-model: %s exited with %d" % (a.binary, p.returncode))
    return [json.loads(l) for l in p.stdout.decode().splitlines() if l]


def grouped(summary, policies):
    for title, prefixes in GROUPS:
        sel = [r for r in summary if r["figure"].startswith(prefixes)]
        if sel:
            yield title, benchlib.rows_for(sel, policies)


def plot(summary, policies, d, rel):
    by = {(r["figure"], r["policy"]): r for r in summary}
    made = []
    figs = [r["figure"] for r in summary
            if r["policy"] == policies[0] and
            r["figure"].startswith(("pin+", "get_user", "writeback"))]
    if figs:
        png = os.path.join(d, "model-vs-floor.png")
        err = benchlib.bars(
            png, "The model: each figure over its floor (same process)",
            "x floor (log)", [f.replace("get_user_pages", "gup")
                              .replace(" a call", "/call") for f in figs],
            {p: [by[(f, p)]["x_floor"] if (f, p) in by else None
                 for f in figs] for p in policies}, logscale=True)
        made.append(err or png)
    mk = ["page_mkclean, %d mapping%s" % (m, "s" if m > 1 else "")
          for m in MKCLEAN_MAPS]
    if any((f, p) in by for f in mk for p in policies):
        png = os.path.join(d, "model-mkclean.png")
        err = benchlib.lines(
            png, "The model: page_mkclean of one page mapped N times",
            "mappings", "ns per call",
            MKCLEAN_MAPS, {p: [by[(f, p)]["median"] if (f, p) in by
                               else None for f in mk] for p in policies})
        made.append(err or png)
    return benchlib.made(made, rel, "bench-model")


def main():
    a = args()
    samples = run(a)
    policies = []
    for s in samples:
        if s["policy"] not in policies:
            policies.append(s["policy"])
    summary = benchlib.summarize(samples)
    print(benchlib.LEGEND)
    for title, (h, rows) in grouped(summary, policies):
        print("\n== " + title)
        print(benchlib.text_table(h, rows))
    plots = []
    if a.plots:
        plots = plot(summary, policies, a.plots,
                     benchlib.plots_rel(a.plots, a.md))
    if a.md:
        out = ["## The model (libpinmm)", "",
               "`scripts/bench-model.sh`: %d rounds, the policies of the "
               "model's table (%s) back to back in each; a cell is `median "
               "±half the spread, x its floor in the same process`." %
               (a.rounds, ", ".join(policies)), ""]
        for title, (h, rows) in grouped(summary, policies):
            out += ["### " + title, "", benchlib.md_table(h, rows), ""]
        out += ["![%s](%s)" % (os.path.basename(p), p) for p in plots]
        with open(a.md, "w") as f:
            f.write("\n".join(out) + "\n")
        print("bench-model: wrote " + a.md)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"policies": policies, "rounds": a.rounds,
                       "samples": samples, "summary": summary}, f, indent=1)
        print("bench-model: wrote " + a.json)


if __name__ == "__main__":
    main()
