#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pinmm rig: boot the UML kernel once per (policy, scenario) and judge.

Each cell gets a fresh ext4 image and one boot; the guest init
(guest/pinmm-guest.c) runs the scenario and prints PINMM- lines on the
console, next to the kernel's own messages. The verdict is decided here,
from the captured console, so that it comes out even when the kernel
panicked (BUG) or a task hung and the guest had to be powered off.

Verdicts: pass, oops, warn, data-loss, hang, refused.
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

POLICIES = ["stock", "2018", "seed"]
# scenario -> ext4 block size
SCENARIOS = {
    "seed-bug": 4096,
    "baseline": 4096,
    "fsync-during-dma": 4096,
    "longterm-fsync": 4096,
    "truncate-during-dma": 4096,
    "truncate-after-writeback": 4096,
    "isize-extend": 1024,
    "multi-pin": 4096,
}
COUNTERS = ["mkclean_skipped", "mkclean_waited", "mkclean_wait_ns",
            "unmap_refused", "unpins"]

TS = re.compile(r"^\[\s*\d+\.\d+\]\s?")


def strip(line):
    return TS.sub("", line.rstrip("\r\n"))


def boot(kernel, guest, policy, scen, run_dir, host_timeout):
    shutil.rmtree(run_dir, ignore_errors=True)
    os.makedirs(os.path.join(run_dir, "mnt"))
    img = os.path.join(run_dir, "disk.img")
    with open(img, "wb") as f:
        f.truncate(64 << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-b", str(SCENARIOS[scen]), img],
                   check=True, stdout=subprocess.DEVNULL)
    cmd = [kernel, "mem=256M", "root=/dev/root", "rootfstype=hostfs",
           "rootflags=/", "rw", "init=" + guest, "ubd1=" + img,
           "con=null", "con0=fd:0,fd:1", "pinmm.policy=" + policy,
           "PINMM_SCEN=" + scen, "PINMM_RUN=" + run_dir, "PINMM_TIMEOUT=60"]
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
            p.wait(timeout=host_timeout)
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


def judge(policy, scen, lines, timed_out, secs):
    r = {"scenario": scen, "policy": policy, "verdict": None,
         "bytes_lost": None, "oops": None, "evidence": None,
         "counters": {}, "details": {}, "notes": [], "boot_seconds":
         round(secs, 1)}
    result = None
    hang_marker = None
    oops_i = hang_i = warn_i = None
    for i, l in enumerate(lines):
        if l.startswith("PINMM-RESULT "):
            result = dict(kv.split("=", 1) for kv in l.split()[1:]
                          if "=" in kv)
        elif l.startswith("PINMM-KV "):
            parts = l.split(None, 2)
            if len(parts) == 3:
                k, v = parts[1], parts[2]
                try:
                    v = int(v)
                except ValueError:
                    try:
                        v = float(v)
                    except ValueError:
                        pass
                (r["counters"] if k in COUNTERS else r["details"])[k] = v
        elif l.startswith("PINMM-NOTE "):
            r["notes"].append(l[len("PINMM-NOTE "):])
        elif l.startswith("PINMM-ERROR "):
            r["notes"].append(l)
        elif l.startswith("PINMM-HANG "):
            hang_marker = l[len("PINMM-HANG "):]
        if oops_i is None and ("kernel BUG at" in l or
                               l.startswith("Kernel panic")):
            oops_i = i
        if hang_i is None and re.search(r"INFO: task .* blocked for more", l):
            hang_i = i
        if warn_i is None and (l.startswith("WARNING:") or
                               "EXT4-fs warning" in l):
            warn_i = i

    if oops_i is not None:
        r["verdict"] = "oops"
        r["oops"] = lines[oops_i]
        trace = [l for l in lines[oops_i + 1:oops_i + 40]
                 if not l.startswith("PINMM-")]
        r["evidence"] = "\n".join([lines[oops_i]] + trace[:25])
    elif hang_i is not None or hang_marker or timed_out:
        r["verdict"] = "hang"
        if hang_i is not None:
            stack = []
            for l in lines[hang_i + 1:hang_i + 60]:
                if l.startswith("PINMM-") or l.startswith("INFO: task"):
                    break
                stack.append(l)
            r["evidence"] = "\n".join([lines[hang_i]] + stack[:30])
            m = re.search(r"INFO: task (\S+) blocked", lines[hang_i])
            r["details"]["hung_task"] = m.group(1) if m else None
        elif hang_marker:
            r["evidence"] = hang_marker
        else:
            r["evidence"] = "host timeout: the guest did not power off"
    elif result is None:
        r["verdict"] = "hang"
        r["evidence"] = "no result from the guest: " + \
            " | ".join(l for l in lines[-5:])
    elif result.get("refused") == "1":
        r["verdict"] = "refused"
        r["evidence"] = "pin refused: " + result.get("errno", "?")
    else:
        lost = int(result.get("bytes_lost", "0"))
        r["bytes_lost"] = lost
        r["details"]["bytes_checked"] = int(result.get("bytes_checked", 0))
        if lost or result.get("size_ok") != "1":
            r["verdict"] = "data-loss"
            r["evidence"] = "%d of %s bytes differ after remount, first at %s" % (
                lost, result.get("bytes_checked"), result.get("first_lost"))
            if warn_i is not None:
                r["evidence"] += "; " + lines[warn_i]
        elif warn_i is not None:
            r["verdict"] = "warn"
            r["evidence"] = lines[warn_i]
        else:
            r["verdict"] = "pass"
            r["evidence"] = "%s bytes checked after remount, 0 lost" % \
                result.get("bytes_checked")
    if warn_i is not None:
        r["details"]["first_warning"] = lines[warn_i]
    return r


def short(r):
    v = r["verdict"]
    d = r["details"]
    if v == "pass" and d.get("fsync_returned_after_unpin") == 1:
        v += " (fsync waited)"
    if v == "pass" and d.get("extend_returned_after_unpin") == 1:
        v += " (extend waited)"
    if v == "pass" and d.get("punch_mkclean_waited", 0) >= 1:
        v += " (punch waited)"
    if v == "hang" and d.get("hung_task"):
        v += " (" + d["hung_task"] + ")"
    if v == "data-loss":
        v += " (%s B)" % r["bytes_lost"]
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--policy", action="append")
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--json")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--host-timeout", type=int, default=150)
    a = ap.parse_args()
    policies = a.policy or POLICIES
    scens = a.scenario or list(SCENARIOS)
    for p in policies:
        if p not in POLICIES:
            sys.exit("unknown policy %s (%s)" % (p, ", ".join(POLICIES)))
    for s in scens:
        if s not in SCENARIOS:
            sys.exit("unknown scenario %s (%s)" % (s, ", ".join(SCENARIOS)))

    def cell(ps):
        p, s = ps
        run_dir = os.path.join(os.path.abspath(a.out), "runs", p + "-" + s)
        lines, to, secs = boot(a.kernel, a.guest, p, s, run_dir,
                               a.host_timeout)
        r = judge(p, s, lines, to, secs)
        r["console"] = os.path.join(run_dir, "console.log")
        print("rig: %-24s %-6s %s (%.1fs)" % (s, p, short(r), secs),
              flush=True)
        return r

    work = [(p, s) for s in scens for p in policies]
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(cell, work))
    print()
    print(table(results, policies, scens))
    if a.json:
        os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
        print("\nrig: wrote %s" % a.json)


if __name__ == "__main__":
    main()
