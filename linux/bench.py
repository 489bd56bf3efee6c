#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel half of make bench: what each design costs on Linux 6.12.

Boots the kernel once per policy and round ("bench" scenario of the
guest, guest/bench.c), policies back to back in a rotating order, and
divides every figure by its floors:

  x floor     the floor measured in the same boot: GUP_FAST (plain
              references) for the pin benchmarks, fsync with no pin for
              fsync latency and throughput
  x upstream  the same figure under upstream in the same round (the median
              of the policy's repetitions over upstream's)

Each cell is the median over rounds x repetitions, with its spread.
These are UML's numbers: the guest kernel runs as a process of the host,
its block device is a file (on /dev/shm here, so that the host's disk is
not measured), its one CPU is shared with the DMA device's kernel thread.
"""
import argparse
import json
import os
import shutil
import sys
import time

import rig

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "scripts"))
import benchlib  # noqa: E402

FIGURES = ["gup", "fio", "fsync", "bounce"]
GUP_RUNS = [  # (run, what, floor run)
    ("pin_fast-anon", "PIN_FAST", "gup_fast-anon"),
    ("pin_longterm-anon", "PIN_LONGTERM", "gup_fast-anon"),
    ("pin_fast-ext4", "PIN_FAST ext4 shared", "gup_fast-ext4"),
]
SIZES = [4096, 16384, 65536, 262144, 1 << 20]
# The seed author's fio 4 KiB O_DIRECT figures (Nov 2018, and as Jan Kara
# cited them in 2023), for the report.
SEED_AUTHOR = [
    ("per-node lock and exact count (Nov 2018)", "13.9k", "12.8-13.4k",
     "0.92-0.96"),
    ("pinned pages taken off the LRU (cited by Kara, 2023)", "21.9k",
     "18.3k", "0.84"),
]


def kv(line):
    return dict(w.split("=", 1) for w in line.split() if "=" in w)


def relayed(lines, tag):
    pre = "PINMM-ST %s " % tag
    return [l[len(pre):] for l in lines if l.startswith(pre)]


def gup_times(lines, run):
    out = []
    for l in relayed(lines, "bench-" + run):
        if "Time: get:" in l and "truncated" not in l:
            t = l.split("Time: get:")[1]
            get, put = t.split(" put:")
            out.append((int(get), int(put.split()[0])))
    return out


def fio_jobs(lines):
    """{(rw, rep): (IOPS, median completion latency in us)} of the one
    fio run of a boot (its JSON)."""
    text = relayed(lines, "bench-fio")
    for i, l in enumerate(text):
        if l.startswith("{"):
            try:
                jobs = json.loads("\n".join(text[i:]))["jobs"]
            except (ValueError, KeyError):
                return {}
            out = {}
            for j in jobs:
                rw, rep = j["jobname"].rsplit("-", 1)
                io = j["read" if rw == "randread" else "write"]
                p50 = io["clat_ns"].get("percentile", {}).get("50.000000")
                out[(rw, int(rep))] = (io["iops"],
                                       p50 / 1e3 if p50 else None)
            return out
    return {}


def sample(fig, unit, pol, rnd, value, floor=None, floor_name=None):
    return {"figure": fig, "unit": unit, "policy": pol, "round": rnd,
            "value": value, "floor": floor, "floor_name": floor_name}


def parse(lines, pol, rnd, a):
    """The samples of one boot."""
    out, na = [], {}
    pages = a.gup_mb * 256
    for run, what, floor in GUP_RUNS:
        got, base = gup_times(lines, run), gup_times(lines, floor)
        for i, (g, p) in enumerate(got):
            fg, fp = base[i] if i < len(base) else (None, None)
            for which, v, f in (("get", g, fg), ("put", p, fp)):
                out.append(sample(
                    "gup %s %s" % (what, which), "ns/page", pol, rnd,
                    v * 1e3 / pages, f * 1e3 / pages if f else None,
                    "GUP_FAST " + which))
    jobs = sorted(fio_jobs(lines).items())
    for (rw, rep), (iops, p50) in jobs:
        if iops:
            out.append(sample("fio 4k O_DIRECT " + rw, "IOPS", pol, rnd,
                              iops))
    # The median I/O: an I/O the host preempted moves IOPS, not this.
    for (rw, rep), (iops, p50) in jobs:
        if p50:
            out.append(sample("fio 4k O_DIRECT %s, median latency" % rw,
                              "us", pol, rnd, p50))
    fs = {}
    bounce = {}
    for l in lines:
        if l.startswith("PINMM-BENCH fsync "):
            d = kv(l)
            fs[(d["mode"], d["rep"])] = d
        elif l.startswith("PINMM-BENCH bounce "):
            d = kv(l)
            bounce[(d["mode"], int(d["size"]), d["rep"])] = d
        elif l.startswith("PINMM-BENCH-NA "):
            fig, why = l.split(None, 2)[1:]
            na[fig] = why
    for (mode, rep), d in fs.items():
        if mode != "pinned":
            continue
        f = fs.get(("floor", rep), {})
        for p in ("p50", "p99"):
            k = p + "_us"
            out.append(sample("fsync %s, range pinned under DMA" % p, "us",
                              pol, rnd, float(d[k]),
                              float(f[k]) if k in f else None,
                              "fsync %s, no pin" % p))
    for (mode, size, rep), d in sorted(bounce.items(), key=lambda x: x[0][1]):
        if mode != "pinned":
            continue
        f = bounce.get(("floor", size, rep), {})
        out.append(sample("fsync MB/s, %d KiB pinned" % (size >> 10), "MB/s",
                          pol, rnd, float(d["mbps"]),
                          float(f["mbps"]) if "mbps" in f else None,
                          "same range unpinned"))
        out[-1]["bounce_bytes"] = int(d["bounce_bytes"])
    return out, na


def args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--selftests", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--policy", action="append")
    ap.add_argument("--figure", action="append",
                    help="gup, fio, fsync, bounce (default: all)")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--fio-ms", type=int, default=2000)
    ap.add_argument("--gup-mb", type=int, default=32)
    ap.add_argument("--fsyncs", type=int, default=100)
    ap.add_argument("--quick", action="store_true",
                    help="tiny sizes, one round: checks that it runs")
    ap.add_argument("--json")
    ap.add_argument("--md")
    ap.add_argument("--plots", help="directory for the PNG plots")
    # A boot takes 13-20 s; these end one that went wrong.
    ap.add_argument("--guest-timeout", type=int, default=60)
    ap.add_argument("--host-timeout", type=int, default=80)
    a = ap.parse_args()
    if a.quick:
        a.rounds, a.reps, a.fio_ms, a.gup_mb, a.fsyncs = 1, 1, 200, 2, 10
    for p in a.policy or []:
        if p not in rig.POLICIES:
            ap.error("unknown policy %s (expected one of %s)" %
                     (p, ", ".join(rig.POLICIES)))
    for f in a.figure or []:
        if f not in FIGURES:
            ap.error("unknown figure %s (expected one of %s)" %
                     (f, ", ".join(FIGURES)))
    for name in ("rounds", "reps", "fio_ms", "gup_mb", "fsyncs"):
        if getattr(a, name) < 1:
            ap.error("--%s must be 1 or more" % name.replace("_", "-"))
    if a.gup_mb > 64:
        ap.error("--gup-mb must be at most 64 (the guest has 256 MiB)")
    if a.reps > 10:
        ap.error("--reps must be at most 10")
    return a


def policies_of(a):
    ps = a.policy or rig.POLICIES
    # upstream is every other policy's floor: always measured
    return ["upstream"] + [p for p in ps if p != "upstream"]


def run_all(a, policies):
    samples, boots, na = [], [], {}
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    extra = ["PINMM_BENCH=" + ",".join(a.figure or FIGURES),
             "PINMM_BENCH_REPS=%d" % a.reps, "PINMM_BENCH_FIO_MS=%d" % a.fio_ms,
             "PINMM_BENCH_GUP_MB=%d" % a.gup_mb,
             "PINMM_BENCH_FSYNCS=%d" % a.fsyncs]
    for rnd in range(a.rounds):
        k = rnd % len(policies)
        for pol in policies[k:] + policies[:k]:
            run_dir = os.path.join(os.path.abspath(a.out), "runs",
                                   "%s-%d" % (pol, rnd))
            for attempt in (1, 2):
                lines, to, secs = rig.boot(a, pol, "bench", run_dir,
                                           block=4096, img_mb=192,
                                           img_dir=shm, extra=extra)
                done = any(l == "PINMM-BENCH-DONE" for l in lines)
                # Seen once in about 40 boots on a loaded host: the
                # guest stops making progress, idling while no timer
                # fires, not even init's watchdog; the host timeout ends
                # it. That is UML, not the design: boot once more.
                if done or not to or attempt == 2:
                    break
                kept = run_dir + ".timed-out"
                shutil.rmtree(kept, ignore_errors=True)
                os.rename(run_dir, kept)
                print("bench: round %d %-10s timed out (console in %s); "
                      "booting again" % (rnd + 1, pol, kept), flush=True)
            r = rig.judge(pol, "bench", lines, to, secs)
            got, why = parse(lines, pol, rnd, a)
            samples += got
            for fig, w in why.items():
                na.setdefault(fig, {})[pol] = w
            boots.append({"policy": pol, "round": rnd, "verdict": r["verdict"],
                          "evidence": r["evidence"], "complete": done,
                          "seconds": round(secs, 1), "samples": len(got),
                          "console": os.path.join(run_dir, "console.log")})
            print("bench: round %d %-10s %3d samples, %s%s (%.1fs)" %
                  (rnd + 1, pol, len(got), r["verdict"],
                   "" if done else ", INCOMPLETE", secs), flush=True)
            if r["verdict"] != "pass" or not done:
                print("bench:   " + str(r["evidence"]).replace("\n", "\n  "),
                      flush=True)
    return samples, boots, na


GROUPS = [("gup_test (ns per page, 512 pages a call)", "gup "),
          ("fio, 4 KiB O_DIRECT on ext4 (IOPS, higher is better; and the "
           "median I/O's latency)", "fio "),
          ("fsync latency, 64-page file, 16 pages pinned by a device that "
           "writes 4 ms and rests 1 ms", "fsync p"),
          ("fsync throughput of a pinned range (MB/s; bounce: stable "
           "copies)", "fsync MB/s")]


def group_rows(summary, prefix, policies):
    return benchlib.rows_for([r for r in summary
                              if r["figure"].startswith(prefix)], policies)


def report_text(summary, policies, na):
    out = [benchlib.LEGEND]
    for title, prefix in GROUPS:
        if not any(r["figure"].startswith(prefix) for r in summary):
            continue
        h, rows = group_rows(summary, prefix, policies)
        out += ["", "== " + title, benchlib.text_table(h, rows)]
    for fig, by in na.items():
        for pol, why in by.items():
            out.append("%s under %s: n/a (%s)" % (fig, pol, why))
    return "\n".join(out)


def seed_author_md(summary):
    by = {(r["figure"], r["policy"]): r for r in summary}
    out = ["| | 2018 baseline | with the seed's tracking | ratio |",
           "|---|---|---|---|"]
    out += ["| seed author: %s | %s | %s | %s |" % s for s in SEED_AUTHOR]
    for pol in ("seed", "seed-exact", "bounce", "vanilla"):
        for rw in ("randread", "randwrite", "randread, median latency",
                   "randwrite, median latency"):
            r = by.get(("fio 4k O_DIRECT " + rw, pol))
            u = by.get(("fio 4k O_DIRECT " + rw, "upstream"))
            if r and u and r["x_ref"] is not None:
                out.append("| this run, %s %s (UML) | upstream %s | %s | "
                           "%s (%s-%s) |" % (
                               pol, rw, benchlib.fmt(u["median"]),
                               benchlib.fmt(r["median"]),
                               benchlib.fmt(r["x_ref"]),
                               benchlib.fmt(r["x_ref_min"]),
                               benchlib.fmt(r["x_ref_max"])))
    return "\n".join(out)


def report_md(summary, policies, na, a, boots, plots):
    out = ["## The kernel: Linux 6.12.117 under UML",
           "",
           "`linux/bench.sh`: %d rounds, each boots %s back to back "
           "(the order rotates), %d repetitions of each figure per boot; "
           "a cell is `median ±half the spread, x its floor in the same "
           "boot, x upstream in the same round`. Under UML the numbers are "
           "UML's: one guest CPU, the block device a file on the host's "
           "/dev/shm, every page fault and system call a ptrace round "
           "trip." % (a.rounds, ", ".join(policies), a.reps), ""]
    for title, prefix in GROUPS:
        if not any(r["figure"].startswith(prefix) for r in summary):
            continue
        h, rows = group_rows(summary, prefix, policies)
        out += ["### " + title, "", benchlib.md_table(h, rows), ""]
    if any(r["figure"].startswith("fio ") for r in summary):
        out += ["### fio beside the seed author's numbers", "",
                seed_author_md(summary), ""]
    for fig, by in na.items():
        for pol, why in by.items():
            out.append("- %s under %s: n/a (%s)" % (fig, pol, why))
    bad = [b for b in boots if b["verdict"] != "pass" or not b["complete"]]
    for b in bad:
        out.append("- boot %s round %d: %s: %s" % (
            b["policy"], b["round"] + 1, b["verdict"], b["evidence"]))
    for png in plots:
        out += ["", "![%s](%s)" % (os.path.basename(png), png)]
    return "\n".join(out) + "\n"


def plot(summary, policies, d, rel):
    by = {(r["figure"], r["policy"]): r for r in summary}
    made = []
    figs = [f for f in ("fio 4k O_DIRECT randread", "fio 4k O_DIRECT randwrite",
                        "fio 4k O_DIRECT randread, median latency",
                        "fio 4k O_DIRECT randwrite, median latency",
                        "gup PIN_FAST get", "gup PIN_FAST put",
                        "gup PIN_LONGTERM get", "gup PIN_LONGTERM put",
                        "gup PIN_FAST ext4 shared get",
                        "fsync p50, range pinned under DMA",
                        "fsync p99, range pinned under DMA")
            if (f, "upstream") in by]
    others = [p for p in policies if p != "upstream"]
    if figs and others:
        png = os.path.join(d, "kernel-vs-upstream.png")
        err = benchlib.bars(
            png, "Linux 6.12 (UML): each design over upstream, same round",
            "x upstream", [f.replace("fio 4k O_DIRECT ", "fio ")
                           .replace(", median latency", " p50 lat")
                           .replace(", range pinned under DMA", " pinned")
                           for f in figs],
            {p: [by[(f, p)]["x_ref"] if (f, p) in by else None for f in figs]
             for p in others})
        made.append(err or png)
    bf = ["fsync MB/s, %d KiB pinned" % (s >> 10) for s in SIZES]
    if any((f, p) in by for f in bf for p in policies):
        png = os.path.join(d, "kernel-fsync-pinned-mbps.png")
        series = {"unpinned (upstream)": [by[(f, "upstream")]["floor"]
                                          if (f, "upstream") in by else None
                                          for f in bf]}
        for p in policies:
            series["pinned, " + p] = [by[(f, p)]["median"] if (f, p) in by
                                      else None for f in bf]
        err = benchlib.lines(png, "fsync of a range a device holds pinned",
                             "range (KiB)", "MB/s",
                             [s >> 10 for s in SIZES], series)
        made.append(err or png)
    return benchlib.made(made, rel, "bench")


def check(path):
    """--check JSON: every figure printed under every policy, and every
    boot complete (what linux/test.sh asks of a --quick run)."""
    d = json.load(open(path))
    bad = ["boot %s round %d: %s" % (b["policy"], b["round"] + 1,
                                     b["evidence"])
           for b in d["boots"] if not b["complete"]]
    # the guest's name of each group's figure (what PINMM-BENCH-NA names)
    guest = {"gup ": "gup", "fio ": "fio", "fsync p": "fsync",
             "fsync MB/s": "bounce"}
    for pol in d["policies"]:
        figs = {s["figure"] for s in d["samples"] if s["policy"] == pol}
        for title, prefix in GROUPS:
            if not any(f.startswith(prefix) for f in figs) and \
                    pol not in d["na"].get(guest[prefix], {}):
                bad.append("%s: no %s figure" % (pol, prefix.strip()))
    for b in bad:
        print("bench --check: " + b)
    print("bench --check: %d policies, %d samples, %s" % (
        len(d["policies"]), len(d["samples"]),
        "every figure printed" if not bad else "%d missing" % len(bad)))
    return not bad


def main():
    if sys.argv[1:2] == ["--check"]:
        if len(sys.argv) != 3:
            sys.exit("usage: bench.py --check RESULTS.json")
        sys.exit(0 if check(sys.argv[2]) else 1)
    a = args()
    policies = policies_of(a)
    t0 = time.time()
    samples, boots, na = run_all(a, policies)
    summary = benchlib.summarize(samples)
    print(report_text(summary, policies, na))
    print("\nbench: %d boots in %.0f s" % (len(boots), time.time() - t0))
    plots = []
    if a.plots:
        plots = plot(summary, policies, a.plots,
                     benchlib.plots_rel(a.plots, a.md))
    if a.md:
        with open(a.md, "w") as f:
            f.write(report_md(summary, policies, na, a, boots, plots))
        print("bench: wrote " + a.md)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"policies": policies, "rounds": a.rounds,
                       "reps": a.reps, "boots": boots, "samples": samples,
                       "summary": summary, "na": na}, f, indent=1)
        print("bench: wrote " + a.json)
    bad = [b for b in boots if not b["complete"]]
    sys.exit(1 if bad or not samples else 0)


if __name__ == "__main__":
    main()
