#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of differential.py, on a fake pinmm and a kernel file
written here: agreement, a new disagreement, a listed one, a stale
entry, the model's "can" verdicts, and bad input."""
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import differential as d  # noqa: E402

# A pinmm that knows two designs and two scenarios; its runs answer from
# a table in $FAKE_PINMM (scenario/policy -> list of [verdict, counters]),
# cycling through the list run by run.
FAKE = r'''#!/usr/bin/env python3
import json, os, sys
a = sys.argv[1:]
if a[0] == "policies":
    print("vanilla   2018\nseed      the seed"); sys.exit(0)
if a[0] == "list":
    print("seed-bug   x\nmany-refs  y"); sys.exit(0)
t = json.load(open(os.environ["FAKE_PINMM"]))
scen, pol = a[1], a[a.index("--policy") + 1]
runs = int(a[a.index("--runs") + 1])
for i in range(runs):
    v, ctr = t[scen + "/" + pol][i % len(t[scen + "/" + pol])]
    print(json.dumps({"verdict": v, "bytes_lost": 0 if v != "data-loss" else 4096,
                      "fsync_lost": 0, "counters": ctr}))
sys.exit(1 if any(x[0] != "pass" for x in t[scen + "/" + pol]) else 0)
'''

KNOWN_HEAD = ("# x\n\n## Known disagreements\n\n"
              "| scenario | design | what | model | kernel | reason |\n"
              "| --- | --- | --- | --- | --- | --- |\n")


def kcell(scen, pol, verdict, counters=None, details=None):
    return {"scenario": scen, "policy": pol, "verdict": verdict,
            "bytes_lost": 0, "counters": counters if verdict == "pass" else None,
            "details": details or {}, "fsyncs": []}


class Differential(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.pinmm = os.path.join(self.dir, "pinmm")
        with open(self.pinmm, "w") as f:
            f.write(FAKE)
        os.chmod(self.pinmm, stat.S_IRWXU)
        self.table = os.path.join(self.dir, "table.json")
        os.environ["FAKE_PINMM"] = self.table
        self.known = os.path.join(self.dir, "known.md")
        self.write_known("")

    def write_known(self, rows):
        with open(self.known, "w") as f:
            f.write(KNOWN_HEAD + rows + "\n## Other\n\n| a | b |\n")

    def run_main(self, model, kernel):
        with open(self.table, "w") as f:
            json.dump(model, f)
        kpath = os.path.join(self.dir, "k.json")
        with open(kpath, "w") as f:
            json.dump(kernel, f)
        out = subprocess.run([sys.executable, os.path.join(HERE, "differential.py"),
                              "--kernel", kpath, "--pinmm", self.pinmm,
                              "--known", self.known, "--runs", "1"],
                             capture_output=True, text=True, timeout=60)
        return out.returncode, out.stdout + out.stderr

    def test_same_verdicts_and_signs_agree(self):
        rc, out = self.run_main(
            {"seed-bug/vanilla": [["oops", {}]],
             "seed-bug/seed": [["pass", {"pinned_writes": 3}]]},
            [kcell("seed-bug", "vanilla", "oops"),
             kcell("seed-bug", "seed", "pass", {"unstable_writes": 16})])
        self.assertEqual(rc, 0, out)
        self.assertIn("2 agree, 0 known, 0 failed", out)

    def test_a_different_verdict_fails_unless_listed(self):
        model = {"seed-bug/vanilla": [["pass", {}]]}
        kernel = [kcell("seed-bug", "vanilla", "oops")]
        rc, out = self.run_main(model, kernel)
        self.assertEqual(rc, 1, out)
        self.assertIn("verdict: model pass, kernel oops, not in the list", out)
        self.write_known("| seed-bug | vanilla | verdict | pass | oops | because |\n")
        rc, out = self.run_main(model, kernel)
        self.assertEqual(rc, 0, out)
        self.assertIn("0 agree, 1 known, 0 failed", out)

    def test_a_counter_that_is_zero_on_one_side_only_fails(self):
        rc, out = self.run_main(
            {"many-refs/seed": [["pass", {"pin_false_positive": 0}]]},
            [kcell("many-refs", "seed", "pass", {"unstable_writes": 0},
                   {"pin_false_positives": 4})])
        self.assertEqual(rc, 1, out)
        self.assertIn("false-pins: model no, kernel yes", out)

    def test_a_listed_disagreement_that_went_away_fails(self):
        self.write_known("| seed-bug | seed | unstable | no | yes | old |\n")
        rc, out = self.run_main(
            {"seed-bug/seed": [["pass", {"pinned_writes": 1}]]},
            [kcell("seed-bug", "seed", "pass", {"unstable_writes": 2})])
        self.assertEqual(rc, 1, out)
        self.assertIn("the halves agree now (remove it)", out)

    def test_a_can_verdict_agrees_with_either(self):
        m = d.model_cell([{"verdict": "pass", "bytes_lost": 0, "fsync_lost": 0,
                           "counters": {}},
                          {"verdict": "oops", "bytes_lost": None, "fsync_lost": None,
                           "counters": {}}])
        self.assertEqual(m["verdicts"], ["oops"])
        self.assertEqual((m["hits"], m["runs"]), (1, 2))
        self.assertEqual(d.fmt_model(m), "oops 1/2")
        k = d.kernel_cell(kcell("multi-pin", "vanilla", "oops"))
        self.assertEqual(d.disagreements(m, k), [])
        k = d.kernel_cell(kcell("multi-pin", "vanilla", "pass", {}))
        self.assertEqual(d.disagreements(m, k), [("verdict", "oops", "pass")])

    def test_a_counter_only_some_runs_see_is_no_disagreement(self):
        runs = [{"verdict": "pass", "bytes_lost": 0, "fsync_lost": 0,
                 "counters": {"pinned_writes": n}} for n in (0, 5)]
        m = d.model_cell(runs)
        self.assertEqual(m["signs"]["unstable"], "some")
        for kv in (0, 7):
            k = d.kernel_cell(kcell("x", "seed", "pass", {"unstable_writes": kv}))
            self.assertEqual(d.disagreements(m, k), [])

    def test_a_design_the_model_lacks_fails(self):
        rc, out = self.run_main({}, [kcell("seed-bug", "bounce", "pass", {})])
        self.assertEqual(rc, 1, out)
        self.assertIn("the model has no design 'bounce'", out)

    def test_kernel_only_scenarios_and_error_cells_are_not_judged(self):
        rc, out = self.run_main(
            {"seed-bug/seed": [["pass", {}]]},
            [kcell("gup-selftests", "seed", "pass", {}),
             kcell("seed-bug", "seed", "error")])
        self.assertEqual(rc, 1, out)  # nothing compared is not a pass
        self.assertIn("kernel cell is error", out)
        self.assertNotIn("gup-selftests", out)

    def test_a_row_without_a_reason_is_bad_input(self):
        self.write_known("| seed-bug | seed | verdict | pass | oops |  |\n")
        rc, out = self.run_main({}, [])
        self.assertEqual(rc, 2, out)
        self.assertIn("known.md:7: [Known disagreements] row", out)

    def test_an_unknown_what_is_bad_input(self):
        self.write_known("| seed-bug | seed | colour | a | b | c |\n")
        rc, out = self.run_main({}, [])
        self.assertEqual(rc, 2, out)
        self.assertIn("what: 'colour' (expected verdict or one of", out)

    def test_a_kernel_file_that_is_not_the_rigs_is_bad_input(self):
        rc, out = self.run_main({}, {"verdict": "pass"})
        self.assertEqual(rc, 2, out)
        self.assertIn("expected the rig's list of cells", out)


if __name__ == "__main__":
    unittest.main(verbosity=1)
