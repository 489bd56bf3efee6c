#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of the rig's judge and of check.py, on consoles written here.

They need no kernel: each test gives rig.judge() the console of a boot
(as the rig captures it) and asserts the verdict and its evidence. Run by
linux/test.sh before the kernels boot.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402
import rig  # noqa: E402

START = ["Checking the host's XSAVE area...11008 bytes",
         "PINMM-START scenario=seed-bug"]
CREATE = "PINMM-FSYNC name=create ret=0 checked=65536 lost=0 first=-1"
FINAL = "PINMM-FSYNC name=final ret=0 checked=65536 lost=0 first=-1"
RESULT = ("PINMM-RESULT refused=0 bytes_checked=65536 bytes_lost=0 "
          "first_lost=-1 size_ok=1 unpromised=0")


def judge(lines, scen="seed-bug", policy="seed", timed_out=False):
    return rig.judge(policy, scen, [rig.strip(l) for l in lines],
                     timed_out, 1.0)


class Verdicts(unittest.TestCase):
    def test_guest_dies_at_first_switch_is_an_error_not_an_oops(self):
        # What UML without the FP-size patches prints on an AMX host.
        r = judge(["Checking the host's XSAVE area...",
                   "[    0.190000] Run /pinmm-guest as init process",
                   "userspace - ptrace set fp regs failed, errno = 14",
                   "[    0.200000] Kernel panic - not syncing: Attempted to "
                   "kill init! exitcode=0x0000000b"])
        self.assertEqual(r["verdict"], "error")
        self.assertIn("ptrace set fp regs failed, errno = 14", r["evidence"])

    def test_environment_report_is_an_error(self):
        r = judge(START + ["PINMM-ENV mount /dev/ubdb: No such device"])
        self.assertEqual(r["verdict"], "error")
        self.assertIn("mount /dev/ubdb", r["evidence"])

    def test_host_timeout_before_start_is_an_error(self):
        r = judge(["Core dump limits :"], timed_out=True)
        self.assertEqual(r["verdict"], "error")
        self.assertIn("host timeout", r["evidence"])

    def test_bug_is_an_oops_with_its_reliable_frames(self):
        r = judge(START + [CREATE,
                           "[    1.0] kernel BUG at fs/ext4/inode.c:2531!",
                           "Kernel panic - not syncing: BUG!",
                           "Call Trace:",
                           " [<602ab8e1>] ? _printk+0x0/0x57",
                           " [<602aa980>] panic+0x14d/0x370",
                           " [<6019fec5>] mpage_prepare_extent_to_map+0x2fe/0x4fd",
                           " [<601a29a7>] ext4_do_writepages+0x2f4/0xad6",
                           "PINMM-OOPS"])
        self.assertEqual(r["verdict"], "oops")
        self.assertEqual(r["oops"], "kernel BUG at fs/ext4/inode.c:2531!")
        self.assertEqual(r["details"]["call_trace"],
                         ["mpage_prepare_extent_to_map", "ext4_do_writepages"])

    def test_hang_names_each_task_and_its_wait(self):
        r = judge(START + [
            "INFO: task jbd2/ubdb-8:20 blocked for more than 3 seconds.",
            "Call Trace:",
            " [<6001e0c3>] __switch_to+0x3e/0x6d",
            " [<601d6745>] jbd2_journal_wait_updates+0xa0/0xb9",
            "INFO: task pinmm-scenario:25 blocked for more than 3 seconds.",
            "Stack:",
            " 836f0000 600607dd 9309fc10 6001e0c3",
            "Call Trace:",
            " [<600d7f5f>] folio_wait_dma_unpinned+0x11e/0x123",
            " [<600607dd>] ? some_helper+0x0/0x10",
            " [<600ca26a>] folio_mkclean+0xfd/0x160",
            "PINMM-HANG hung task detector",
            "PINMM-KV sigkill_ended 0"])
        self.assertEqual(r["verdict"], "hang")
        self.assertEqual(r["details"]["hung_stacks"], {
            "jbd2/ubdb-8:20": ["jbd2_journal_wait_updates"],
            "pinmm-scenario:25": ["folio_wait_dma_unpinned", "folio_mkclean"]})
        self.assertEqual(r["details"]["sigkill_ended"], 0)

    def test_a_missed_fsync_promise_is_data_loss_even_if_all_is_there_later(self):
        r = judge(START + [CREATE,
                           "PINMM-FSYNC name=after-skip ret=0 checked=32768 "
                           "lost=16384 first=0",
                           "WARNING: CPU: 0 PID: 24 at fs/ext4/inode.c:3592 "
                           "ext4_dirty_folio+0x52/0xa7",
                           FINAL, RESULT])
        self.assertEqual(r["verdict"], "data-loss")
        self.assertIn("after-skip", r["evidence"])
        self.assertIn("first at file offset 0", r["evidence"])
        self.assertEqual(r["bytes_lost"], 0)

    def test_bytes_lost_after_remount_is_data_loss(self):
        r = judge(START + [CREATE, FINAL, RESULT.replace(
            "bytes_lost=0 first_lost=-1", "bytes_lost=4096 first_lost=8192")])
        self.assertEqual(r["verdict"], "data-loss")
        self.assertEqual(r["bytes_lost"], 4096)

    def test_warning_without_loss_is_warn_with_its_path(self):
        r = judge(START + [CREATE,
                           "WARNING: CPU: 0 PID: 24 at fs/ext4/inode.c:3592 "
                           "ext4_dirty_folio+0x52/0xa7",
                           "Call Trace:",
                           " [<6019cc6a>] ext4_dirty_folio+0x90/0xa7",
                           " [<6009f5a7>] folio_mark_dirty+0x38/0x4a",
                           " [<6010a000>] sys_munmap+0x10/0x20",
                           "---[ end trace 0000000000000000 ]---",
                           FINAL, RESULT])
        self.assertEqual(r["verdict"], "warn")
        self.assertEqual(r["details"]["warning_trace"],
                         ["ext4_dirty_folio", "folio_mark_dirty", "sys_munmap"])

    def test_lockdep_report_is_kept_apart_from_warnings(self):
        r = judge(START + [
            CREATE,
            "WARNING: possible circular locking dependency detected",
            FINAL, RESULT])
        self.assertEqual(r["verdict"], "pass")
        self.assertEqual(r["debug_reports"],
                         ["WARNING: possible circular locking dependency "
                          "detected"])

    def test_umls_unlocked_vma_walk_is_kept_apart(self):
        rcu = ["WARNING: suspicious RCU usage",
               "lib/maple_tree.c:835 suspicious rcu_dereference_check() usage!",
               "Call Trace:",
               " [<6007ca81>] lockdep_rcu_suspicious+0x116/0x131",
               " [<60310e5a>] mas_start+0xc6/0x13d",
               " [<60318d13>] mas_find+0xe9/0x106",
               " [<60022a65>] flush_tlb_mm+0x3f/0x87",
               " [<60123c0a>] tlb_flush+0x19/0x5e",
               " [<60118840>] zap_page_range_single+0xd4/0xe4",
               " [<601189da>] unmap_mapping_range+0x27/0x29",
               " [<600fa182>] truncate_pagecache_range+0x48/0x65",
               "============================="]
        r = judge(START + [CREATE] + rcu + [FINAL, RESULT])
        self.assertEqual(r["verdict"], "pass")
        self.assertEqual(r["debug_reports"], [])
        self.assertEqual(r["known_debug_reports"], [rcu[0]])
        # the same report from anywhere else still fails the debug build
        other = rcu[:6] + [" [<60118840>] do_exit+0xd4/0xe4"] + rcu[-1:]
        r = judge(START + [CREATE] + other + [FINAL, RESULT])
        self.assertEqual(r["debug_reports"], [rcu[0]])

    def test_refused_pin(self):
        r = judge(START + [CREATE, "PINMM-RESULT refused=1 errno=14 (Bad "
                                   "address)"], scen="longterm-fsync",
                  policy="upstream")
        self.assertEqual(r["verdict"], "refused")
        self.assertIn("14", r["evidence"])

    def test_not_applicable_keeps_its_reason(self):
        r = judge(START + [CREATE, "PINMM-NA MADV_HWPOISON: EINVAL"],
                  scen="memory-failure")
        self.assertEqual(r["verdict"], "n/a")
        self.assertEqual(r["evidence"], "MADV_HWPOISON: EINVAL")

    def test_a_failed_system_call_is_an_error(self):
        r = judge(START + [CREATE, "PINMM-ERROR fsync: Input/output error"])
        self.assertEqual(r["verdict"], "error")
        self.assertIn("fsync: Input/output error", r["evidence"])

    def test_pass_counts_what_each_fsync_checked(self):
        r = judge(START + [CREATE, FINAL, "PINMM-KV unstable_writes 16",
                           RESULT])
        self.assertEqual(r["verdict"], "pass")
        self.assertEqual(len(r["fsyncs"]), 2)
        self.assertEqual(r["counters"]["unstable_writes"], 16)


class Checks(unittest.TestCase):
    def cell(self, lines, scen, policy):
        r = judge(lines, scen=scen, policy=policy)
        verdict, extra = check.EXPECT[(scen, policy)]
        return r["verdict"] == verdict and extra(r)[0]

    def test_seed_bug_vanilla_needs_the_ext4_bug(self):
        bug = START + [CREATE, "kernel BUG at fs/ext4/inode.c:2531!",
                       "Call Trace:",
                       " [<6019fec5>] mpage_prepare_extent_to_map+0x2fe/0x4fd"]
        other = START + [CREATE, "kernel BUG at mm/rmap.c:10!",
                         "Call Trace:", " [<6019fec5>] folio_mkclean+0x2/0x4"]
        self.assertTrue(self.cell(bug, "seed-bug", "vanilla"))
        self.assertFalse(self.cell(other, "seed-bug", "vanilla"))

    def test_a_pass_needs_its_fsyncs_checked(self):
        self.assertTrue(self.cell(START + [CREATE, FINAL, RESULT],
                                  "baseline", "upstream"))
        self.assertFalse(self.cell(START + [RESULT], "baseline", "upstream"))

    def test_seed_hang_must_wait_for_the_unpin(self):
        lines = START + [
            "INFO: task pinmm-scenario:24 blocked for more than 3 seconds.",
            "Call Trace:", " [<6>] folio_wait_dma_unpinned+0x1/0x2",
            "PINMM-KV sigkill_ended 0"]
        self.assertTrue(self.cell(lines, "fsync-own-pin", "seed"))
        self.assertFalse(self.cell(
            [l.replace("folio_wait_dma_unpinned", "io_schedule")
             for l in lines], "fsync-own-pin", "seed"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
