#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""dpor on the whole machine: the searches that complete, held against others.

No scenario of the catalog is small enough to run every interleaving
(test_dpor.c does that on small programs).  What can be checked on the whole
machine is that a dpor search that completes reaches every end state that
other searches of the same scenario reach (a bounded search with sleep sets,
the textbook bounded search, random and PCT schedules), with the same
verdicts; and that its shards, run through GNU parallel, complete and
reach what one process reaches.  (Their schedule counts need not add up to
one process's exactly: the search names an object by its address, and a
freed object's address reused by another is a conflict, sound but
dependent on the heap's layout, which differs between processes.)  The
cells are the searches that complete here in seconds:

  idle under the seed             6,358 schedules, every one a pass
  seed-bug-small under vanilla    1,383 schedules, every one the oops
  seed-bug-small under the seed   32,640 schedules, every one a pass

Each has one end state, so what this catches is a search that stops early,
misjudges, or loses its shards' work; whether the reduction loses a state
is test_dpor.c's question, on programs small enough to run every
interleaving.

With --long, it also runs the complete search of seed-bug-small-1ms
(tests/scenarios/: seed-bug-small with five flusher and three kswapd
passes under the pin) under the seed (tens of millions of schedules or
more: not done in hours on two cores; 32 shards through
scripts/explore-shards.sh, one per core at a time) and checks that it
reaches every end state of dfs:0 and dfs:1 of the same cell, all of them
passes.  That cell has more than one end state, and the bounded searches
reach some only at other timer phases: what this catches is a reduction
that loses a state on the whole machine.

Usage: check_dpor.py PINMM [--long].  Prints one line per check and ends
with "N passed, N failed".
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def explore(pinmm, tmp, scenario, policy, strategy, *extra):
    """One search's summary (pinmm explore --summary)."""
    name = os.path.join(tmp, "%s-%s-%s.json" % (os.path.basename(scenario),
                                                policy,
                                                strategy.replace(":", "")))
    cmd = [pinmm, "explore", scenario, "--policy", policy, "--strategy",
           strategy, "--keep-going", "--out", os.path.join(tmp, "f"),
           "--summary", name] + list(extra)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, check=False)
    if p.returncode > 1 or not os.path.exists(name):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                p.stdout[-500:]))
    with open(name) as f:
        return json.load(f)


def sharded(pinmm, tmp, scenario, policy, strategy, *extra, shards=3,
            jobs=2, keep=None):
    """The merged output of a search run as @shards shards, @jobs at a
    time, through scripts/explore-shards.sh (-K @keep: the shards'
    summaries kept there)."""
    env = dict(os.environ, PINMM=os.path.abspath(pinmm))
    opts = ["-N", str(shards)] + (["-K", keep] if keep else [])
    p = subprocess.run([os.path.join(TOP, "scripts", "explore-shards.sh")] +
                       opts + [str(jobs), scenario, "--policy", policy,
                               "--strategy", strategy, "--keep-going"] +
                       list(extra),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, check=False, cwd=tmp, env=env)
    return p.returncode, p.stdout


LONG = os.path.join(TOP, "model", "tests", "scenarios", "seed-bug-small-1ms.ini")


def check_long(pinmm, tmp, check):
    """seed-bug-small-1ms under the seed: dpor complete holds dfs:0's and
    dfs:1's end states."""
    cell = "seed-bug-small-1ms/seed"
    keep = os.path.join(tmp, "long")
    os.mkdir(keep)
    rc, out = sharded(pinmm, tmp, LONG, "seed", "dpor",
                      shards=32, jobs=os.cpu_count(), keep=keep)
    shards = []
    for name in glob.glob(os.path.join(keep, "shard-*.json")):
        with open(name) as f:
            shards.append(json.load(f))
    check(cell + ": dpor's 32 shards ran", rc <= 1 and len(shards) == 32,
          "exit %d: %s" % (rc, out[-300:]))
    states = set().union(*(d["end_states"] for d in shards))
    verdicts = set().union(*(d["verdicts"] for d in shards))
    print("%s: dpor ran %d schedules, %d end states" %
          (cell, sum(d["explored"] for d in shards), len(states)))
    check(cell + ": dpor completes",
          bool(shards) and all(d["complete"] for d in shards))
    check(cell + ": dpor's verdicts", verdicts == {"pass"}, str(verdicts))
    for strategy in ("dfs:0", "dfs:1"):
        o = explore(pinmm, tmp, LONG, "seed", strategy, "--schedules", "0")
        missing = set(o["end_states"]) - states
        check("%s: dpor reaches every end state of %s" % (cell, strategy),
              o["complete"] and not missing, "%d of %d missing" %
              (len(missing), len(o["end_states"])))


def main():
    if len(sys.argv) not in (2, 3) or sys.argv[2:] not in ([], ["--long"]):
        sys.exit(__doc__)
    pinmm = sys.argv[1]
    passed = failed = 0

    def check(name, ok, why=""):
        nonlocal passed, failed
        print("%-60s %s%s" % (name, "ok" if ok else "FAIL",
                              "" if ok else ": " + why))
        passed += ok
        failed += not ok

    cells = [("idle", "seed", {"pass"}),
             ("seed-bug-small", "vanilla", {"oops"}),
             ("seed-bug-small", "seed", {"pass"})]
    others = [("dfs:0", ()), ("dfs:0", ("--no-reduction",)), ("dfs:1", ()),
              ("random", ("--schedules", "300")),
              ("pct:3", ("--schedules", "300"))]
    with tempfile.TemporaryDirectory() as tmp:
        for scenario, policy, verdicts in cells:
            cell = "%s/%s" % (scenario, policy)
            d = explore(pinmm, tmp, scenario, policy, "dpor")
            check(cell + ": dpor completes", d["complete"],
                  "stopped after %d schedules" % d["explored"])
            check(cell + ": dpor's verdicts",
                  set(d["verdicts"]) == verdicts, str(d["verdicts"]))
            states = set(d["end_states"])
            for strategy, extra in others:
                if cell == "seed-bug-small/vanilla" and strategy == "dfs:1":
                    continue  # 41,215 schedules, all the oops: 35 s
                o = explore(pinmm, tmp, scenario, policy, strategy, *extra)
                what = " ".join((strategy,) + extra)
                missing = set(o["end_states"]) - states
                check("%s: dpor reaches every end state of %s" % (cell, what),
                      not missing, "%d of %d missing" %
                      (len(missing), len(o["end_states"])))
                check("%s: %s's verdicts are dpor's" % (cell, what),
                      set(o["verdicts"]) <= verdicts, str(o["verdicts"]))

        # The shards of a dpor search reach what one process reaches.
        p = subprocess.run([pinmm, "explore", "seed-bug-small", "--policy",
                            "vanilla", "--strategy", "dpor", "--keep-going",
                            "--out", os.path.join(tmp, "one")],
                           stdout=subprocess.PIPE, text=True, check=False)
        rc, out = sharded(pinmm, tmp, "seed-bug-small", "vanilla", "dpor")

        def states(text):
            return [l for l in text.splitlines()
                    if l.startswith("end states:")]

        check("seed-bug-small/vanilla: dpor's shards complete as one process",
              rc <= 1 and "3 shards merged" in out and
              "search complete" in out and "verdicts: oops" in out and
              states(out) == states(p.stdout) != [],
              "exit %d: %s / one process: %s" % (rc, out[-300:],
                                                 p.stdout[-300:]))

        if sys.argv[2:] == ["--long"]:
            check_long(pinmm, tmp, check)

    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
