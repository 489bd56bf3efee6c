#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pinmm rig: boot the UML kernel once per (policy, scenario) and judge.

Each cell gets a fresh ext4 image and one boot; the guest init
(guest/*.c) runs the scenario and prints PINMM- lines on the console,
next to the kernel's own messages. The verdict is decided here, from the
captured console, so that it comes out even when the kernel panicked (BUG)
or a task hung and the guest had to be powered off.

Verdicts: pass, oops, warn, data-loss, hang, refused; n/a when the kernel
cannot run the scenario at all (the guest says why); error when the
environment failed (the guest could not start or set up): never a
verdict about the design.
"""
import argparse
import concurrent.futures
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

POLICIES = ["vanilla", "seed", "upstream", "bounce", "seed-exact"]
# scenario -> ext4 block size
SCENARIOS = {
    "baseline": 4096,
    "seed-bug": 4096,
    "dma-writeback": 4096,
    "fsync-during-dma": 4096,
    "longterm-fsync": 4096,
    "journal-deadlock": 4096,
    "truncate-during-dma": 4096,
    "truncate-after-writeback": 4096,
    "isize-extend": 1024,
    "memory-failure": 4096,
    "memory-failure-dirty-release": 4096,
    "fb-defio": 4096,
    "multi-pin": 4096,
    "many-refs": 4096,
    "fsync-after-skip": 4096,
    "fsync-own-pin": 4096,
    "munmap-after-writeback": 4096,
    "gup-selftests": 4096,
}
COUNTERS = ["mkclean_skipped", "mkclean_waited", "mkclean_wait_ns",
            "unmap_refused", "reclaim_pinned_kept", "unstable_writes",
            "unpins", "writeback_skipped", "bounce_copies", "bounce_bytes",
            "exact_pinned", "exact_untracked"]

TS = re.compile(r"^\[\s*\d+\.\d+\]\s?")
# Reports of the debug build (lockdep, DEBUG_VM, DEBUG_ATOMIC_SLEEP): kept
# apart from the scenario's own warnings, and never expected.
DEBUG_REPORT = re.compile(
    r"WARNING: (possible (circular|recursive) locking|inconsistent lock state"
    r"|suspicious RCU usage|possible irq lock inversion)"
    r"|BUG: (sleeping function called from invalid context|scheduling while"
    r" atomic|lock held when returning to user space|Bad page state)"
    r"|page dumped because|VM_BUG_ON|VM_WARN")
# What tells that the guest could not even start: not a verdict.
BOOT_FAILURE = re.compile(
    r"ptrace set fp regs failed|Attempted to kill init|check_ptrace|"
    r"Kernel panic - not syncing: (No working init|VFS)")


def strip(line):
    return TS.sub("", line.rstrip("\r\n"))


def boot(a, policy, scen, run_dir, block=None, img_mb=64, img_dir=None,
         extra=()):
    """One boot of scen under policy; extra: more kernel parameters."""
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(os.path.join(run_dir, "mnt"))
    img = (os.path.join(img_dir, "pinmm-%d.img" % os.getpid()) if img_dir
           else os.path.join(run_dir, "disk.img"))
    with open(img, "wb") as f:
        f.truncate(img_mb << 20)
    mkfs = subprocess.run(["mkfs.ext4", "-q", "-F", "-b",
                           str(block or SCENARIOS[scen]), img],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if mkfs.returncode:
        return ["PINMM-ENV mkfs.ext4 failed: " +
                mkfs.stdout.decode(errors="replace").strip()], False, 0.0
    cmd = [a.kernel, "mem=256M", "root=/dev/root", "rootfstype=hostfs",
           "rootflags=/", "rw", "init=" + a.guest, "ubd1=" + img,
           "con=null", "con0=fd:0,fd:1", "pinmm.policy=" + policy,
           "PINMM_SCEN=" + scen, "PINMM_RUN=" + run_dir,
           "PINMM_TIMEOUT=%d" % a.guest_timeout,
           "PINMM_SELFTESTS=" + a.selftests] + list(extra)
    console = os.path.join(run_dir, "console.log")
    start = time.time()
    timed_out = False

    def limits():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    with open(console, "wb") as out:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.STDOUT, cwd=run_dir,
                             start_new_session=True, preexec_fn=limits)
        try:
            p.wait(timeout=a.host_timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        # UML leaves helper processes in its session: end them all.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
    with open(console, errors="replace") as f:
        lines = [strip(l) for l in f]
    try:
        os.unlink(img)
    except OSError:
        pass
    return lines, timed_out, time.time() - start


FRAME = re.compile(r"^\s*\[<[0-9a-f]+>\] (\? )?([\w.]+)\+0x")
# Frames of the reporting machinery, not of the path that was reported.
NOISE = {"show_stack", "dump_stack", "dump_stack_lvl", "panic", "__warn",
         "warn_slowpath_fmt", "__switch_to", "__schedule", "schedule",
         "io_schedule", "_printk"}


def call_trace(lines, start):
    """The reliable frames of the first call trace after lines[start]."""
    frames, seen = [], False
    for l in lines[start + 1:start + 120]:
        if l.startswith("Call Trace:"):
            seen = True
            continue
        if not seen:
            continue
        m = FRAME.match(l)
        if m:
            if not m.group(1) and m.group(2) not in NOISE:
                frames.append(m.group(2))
        elif not re.match(r"^\s*[0-9a-f]{8}( |$)", l) and frames:
            break
    return frames


def uml_tlb_rcu_report(lines, i):
    """Is lines[i] lockdep's report of UML's own unlocked VMA walk?

    arch/um's flush_tlb_mm() walks the mm's VMAs (the maple tree) with
    neither the mmap lock nor RCU. Reached from unmap_mapping_range(),
    which holds only i_mmap_rwsem (a truncate or hole punch of a mapped
    file), PROVE_RCU reports "suspicious RCU usage" in lib/maple_tree.c.
    It is a bug of UML in 6.12, not of the series: such a report is kept
    apart and does not fail the debug build.
    """
    if "suspicious RCU usage" not in lines[i]:
        return False
    frames = call_trace(lines, i)
    return "flush_tlb_mm" in frames[:8] and "unmap_mapping_range" in frames


def hung_stacks(lines):
    """{task: frames} for every hung task report."""
    out = {}
    for i, l in enumerate(lines):
        m = re.search(r"INFO: task (\S+) blocked for more", l)
        if m and m.group(1) not in out:
            out[m.group(1)] = call_trace(lines, i)
    return out


def number(v):
    for conv in (int, float):
        try:
            return conv(v)
        except ValueError:
            pass
    return v


def fields(l):
    return dict(kv.split("=", 1) for kv in l.split()[1:] if "=" in kv)


def parse_selftests(lines):
    """PINMM-ST lines -> {run: {exit, results: [[desc, ok]], bench, size}}."""
    runs = {}
    for l in lines:
        m = re.match(r"PINMM-ST (\S+) (.*)$", l)
        if m:
            tag, text = m.groups()
            r = runs.setdefault(tag, {"exit": None, "results": [],
                                      "bench": None, "truncated_size": None,
                                      "lines": []})
            r["lines"].append(text)
            run = re.search(r"\[RUN\] (.*)$", text)
            if run:
                r["current"] = run.group(1)
            t = re.match(r"(not ok|ok) \d+ (.*)$", text)
            if t:
                r["results"].append([r.get("current") or t.group(2),
                                     t.group(1) == "ok", t.group(2)])
            b = re.search(r"Time: get:(\d+) put:(\d+) us", text)
            if b:
                r["bench"] = {"get_us": int(b.group(1)),
                              "put_us": int(b.group(2))}
            s = re.search(r"truncated \(size: (\d+)\)", text)
            if s:
                r["truncated_size"] = int(s.group(1))
            continue
        m = re.match(r"PINMM-STEXIT (\S+) (\d+)$", l)
        if m and m.group(1) in runs:
            runs[m.group(1)]["exit"] = int(m.group(2))
    for r in runs.values():
        r.pop("current", None)
    return runs


def judge(policy, scen, lines, timed_out, secs):
    r = {"scenario": scen, "policy": policy, "verdict": None,
         "bytes_lost": None, "oops": None, "evidence": None,
         "fsyncs": [], "counters": {}, "details": {}, "notes": [],
         "debug_reports": [], "known_debug_reports": [],
         "boot_seconds": round(secs, 1)}
    result = env = na = error = hang_marker = None
    started = False
    oops_i = hang_i = warn_i = boot_i = None
    for i, l in enumerate(lines):
        if l.startswith("PINMM-START "):
            started = True
        elif l.startswith("PINMM-RESULT "):
            result = fields(l)
        elif l.startswith("PINMM-FSYNC "):
            f = {k: number(v) for k, v in fields(l).items()}
            r["fsyncs"].append(f)
        elif l.startswith("PINMM-KV "):
            parts = l.split(None, 2)
            if len(parts) == 3:
                k, v = parts[1], number(parts[2])
                (r["counters"] if k in COUNTERS else r["details"])[k] = v
        elif l.startswith("PINMM-NOTE "):
            r["notes"].append(l[len("PINMM-NOTE "):])
        elif l.startswith("PINMM-ENV "):
            env = l[len("PINMM-ENV "):]
        elif l.startswith("PINMM-NA "):
            na = l[len("PINMM-NA "):]
        elif l.startswith("PINMM-ERROR "):
            error = l[len("PINMM-ERROR "):]
        elif l.startswith("PINMM-HANG "):
            hang_marker = l[len("PINMM-HANG "):]
        if l.startswith("PINMM-"):
            continue
        if DEBUG_REPORT.search(l):
            r["known_debug_reports" if uml_tlb_rcu_report(lines, i)
              else "debug_reports"].append(l)
            continue
        if boot_i is None and BOOT_FAILURE.search(l):
            boot_i = i
        if oops_i is None and ("kernel BUG at" in l or
                               l.startswith("Kernel panic")):
            oops_i = i
        if hang_i is None and re.search(r"INFO: task .* blocked for more", l):
            hang_i = i
        if warn_i is None and (l.startswith("WARNING:") or
                               "EXT4-fs warning" in l):
            warn_i = i
    if scen == "gup-selftests":
        r["selftests"] = parse_selftests(lines)
    if warn_i is not None:
        r["details"]["first_warning"] = lines[warn_i]
        r["details"]["warning_trace"] = call_trace(lines, warn_i)

    def verdict(v, evidence):
        r["verdict"], r["evidence"] = v, evidence
        return r

    # Not a verdict: the guest never reached the scenario, or said the
    # environment failed.
    if env is not None:
        return verdict("error", "environment: " + env)
    if not started:
        why = lines[boot_i] if boot_i is not None else (
            lines[oops_i] if oops_i is not None else
            "host timeout" if timed_out else
            " | ".join(lines[-3:]) or "no console output")
        return verdict("error", "the guest did not start the scenario: " +
                       why)
    if na is not None:
        return verdict("n/a", na)
    if oops_i is not None:
        r["oops"] = lines[oops_i]
        r["details"]["call_trace"] = call_trace(lines, oops_i)
        return verdict("oops", lines[oops_i] + "\n  " +
                       " <- ".join(r["details"]["call_trace"][:14]))
    if hang_i is not None or hang_marker or timed_out:
        if hang_i is not None:
            stacks = hung_stacks(lines)
            m = re.search(r"INFO: task (\S+) blocked", lines[hang_i])
            r["details"]["hung_task"] = m.group(1) if m else None
            r["details"]["hung_stacks"] = stacks
            return verdict("hang", "hung tasks:\n" + "\n".join(
                "  %s: %s" % (t, " <- ".join(f[:8]))
                for t, f in stacks.items()))
        return verdict("hang", hang_marker or
                       "host timeout: the guest did not power off")
    if result is not None and result.get("refused") == "1":
        return verdict("refused", "pin refused: " + result.get("errno", "?"))
    if error is not None:
        return verdict("error", "a system call of the scenario failed: " +
                       error)
    if scen == "gup-selftests":
        done = any(l == "PINMM-SELFTESTS-DONE" for l in lines)
        return verdict("pass" if done else "error",
                       "selftests ran" if done else "selftests did not end")
    if result is None:
        return verdict("error", "no result from the guest: " +
                       " | ".join(lines[-3:]))
    lost = int(result.get("bytes_lost", "0"))
    r["bytes_lost"] = lost
    r["details"]["bytes_checked"] = int(result.get("bytes_checked", 0))
    r["details"]["unpromised_bytes"] = int(result.get("unpromised", 0))
    missed = [f for f in r["fsyncs"] if f.get("lost", 0) > 0]
    if missed:
        f = missed[0]
        ev = ("fsync '%s' returned with %d of %d promised bytes not on the "
              "block device, first at file offset %d" %
              (f["name"], f["lost"], f["checked"], f["first"]))
        if lost:
            ev += "; %d bytes differ after remount" % lost
        return verdict("data-loss", ev)
    if lost or result.get("size_ok") != "1":
        ev = "%d of %s bytes differ after remount, first at %s" % (
            lost, result.get("bytes_checked"), result.get("first_lost"))
        if result.get("size_ok") != "1":
            ev += "; wrong file size"
        return verdict("data-loss", ev)
    if warn_i is not None:
        return verdict("warn", lines[warn_i] + "\n  " + " <- ".join(
            r["details"]["warning_trace"][:10]))
    if not r["fsyncs"]:
        return verdict("pass", "%s bytes checked at the end, 0 lost" %
                       result.get("bytes_checked"))
    failed = [f for f in r["fsyncs"] if f.get("ret")]
    return verdict("pass", "%d fsyncs kept their promise (%d bytes checked)%s; "
                   "%s bytes checked at the end, 0 lost" % (
                       len(r["fsyncs"]) - len(failed),
                       sum(f.get("checked", 0) for f in r["fsyncs"]),
                       "".join("; fsync %s returned %d" % (f["name"], f["ret"])
                               for f in failed),
                       result.get("bytes_checked")))


def short(r):
    v = r["verdict"]
    d = r["details"]
    waited = [k for k in ("fsync", "extend", "punch", "truncate", "poison",
                          "defio")
              if d.get(k + "_mkclean_waited", 0) >= 1]
    if v == "pass" and waited:
        v += " (%s waited)" % waited[0]
    if v == "hang" and d.get("hung_task"):
        v += " (" + d["hung_task"] + ")"
    if v == "data-loss":
        if r["bytes_lost"]:
            v += " (%s B)" % r["bytes_lost"]
        else:
            v += " (at fsync)"
    return v


def table(results, policies, scens):
    cells = {(r["scenario"], r["policy"]): short(r) for r in results}
    w0 = max(len(s) for s in scens + ["scenario"])
    ws = {p: max([len(p)] + [len(cells.get((s, p), "-")) for s in scens])
          for p in policies}
    out = ["%-*s  %s" % (w0, "scenario",
                         "  ".join("%-*s" % (ws[p], p) for p in policies))]
    out.append("-" * len(out[0]))
    for s in scens:
        out.append("%-*s  %s" % (w0, s, "  ".join(
            "%-*s" % (ws[p], cells.get((s, p), "-")) for p in policies)))
    return "\n".join(out)


def selftest_cell(x):
    if x is None:
        return "-"
    if x["results"] and len(x["results"]) > 1:
        bad = [d for d, ok, _ in x["results"] if not ok]
        return "%d/%d ok" % (len(x["results"]) - len(bad), len(x["results"]))
    if x["exit"] != 0 or not all(ok for _, ok, _ in x["results"]):
        return "FAIL (exit %s)" % x["exit"]
    if x["truncated_size"] == 0:
        return "refused"
    if x["bench"]:
        return "get %dus put %dus" % (x["bench"]["get_us"],
                                      x["bench"]["put_us"])
    return "ok"


def selftest_table(results, policies):
    """The kernel's own gup tests, one row per run, one column a policy."""
    cells = {r["policy"]: r.get("selftests") or {} for r in results
             if r["scenario"] == "gup-selftests"}
    if not cells:
        return ""
    runs = []
    for st in cells.values():
        runs += [k for k in st if k not in runs]
    rows = [["gup selftests (1 MiB)"] + policies]
    for run in runs:
        rows.append([run] + [selftest_cell(cells.get(p, {}).get(run))
                             for p in policies])
    w = [max(len(r[i]) for r in rows) for i in range(len(policies) + 1)]
    out = ["  ".join("%-*s" % (w[i], c) for i, c in enumerate(r)).rstrip()
           for r in rows]
    for p in policies:
        lt = cells.get(p, {}).get("gup_longterm")
        bad = [d for d, ok, _ in lt["results"] if not ok] if lt else []
        for d in bad:
            out.append("gup_longterm under %s failed: %s" % (p, d))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--selftests", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--policy", action="append")
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--json")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--guest-timeout", type=int, default=60)
    ap.add_argument("--host-timeout", type=int, default=150)
    a = ap.parse_args()
    policies = a.policy or POLICIES
    scens = a.scenario or list(SCENARIOS)
    for p in policies:
        if p not in POLICIES:
            sys.exit("rig.py: unknown policy %s (expected one of %s)" %
                     (p, ", ".join(POLICIES)))
    for s in scens:
        if s not in SCENARIOS:
            sys.exit("rig.py: unknown scenario %s (expected one of %s)" %
                     (s, ", ".join(SCENARIOS)))
    if a.jobs < 1:
        sys.exit("rig.py: --jobs must be 1 or more")

    def cell(ps):
        p, s = ps
        run_dir = os.path.join(os.path.abspath(a.out), "runs", p + "-" + s)
        lines, to, secs = boot(a, p, s, run_dir)
        r = judge(p, s, lines, to, secs)
        r["console"] = os.path.join(run_dir, "console.log")
        print("rig: %-24s %-8s %s (%.1fs)" % (s, p, short(r), secs),
              flush=True)
        return r

    work = [(p, s) for s in scens for p in policies]
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(cell, work))
    print()
    print(table(results, policies, scens))
    st = selftest_table(results, policies)
    if st:
        print()
        print(st)
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
        print("\nrig: wrote %s" % a.json)


if __name__ == "__main__":
    main()
