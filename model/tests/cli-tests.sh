#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the pinmm command line.  Usage: tests/cli-tests.sh PATH/TO/pinmm
#
# Bad input must give exit status 2, nothing on stdout, and on stderr one
# line "pinmm: ..." that names the bad thing, then a usage hint; never a
# crash.  --json must print one JSON object per run, and the exit status
# must be 0 exactly when every run passed.  Ends with
# "cli: N passed, N failed".

pinmm=${1:?usage: $0 PATH/TO/pinmm}
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() {
	echo "[       OK ] cli: $1"
	passed=$((passed + 1))
}

fail() {
	echo "[  FAILED  ] cli: $1: $2"
	failed=$((failed + 1))
}

# usage_error NAME WORD ARGS...: exit 2, no stdout, "pinmm: " line naming
# WORD, then the hint.
usage_error() {
	name=$1
	word=$2
	shift 2
	"$pinmm" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "$name" "exit status $rc, not 2 ($(head -c 300 "$tmp/err"))"
	elif [ -s "$tmp/out" ]; then
		fail "$name" "wrote to stdout"
	elif [ "$(wc -l <"$tmp/err")" -ne 2 ]; then
		fail "$name" "stderr is not an error line and a hint: $(cat "$tmp/err")"
	elif ! head -n 1 "$tmp/err" | grep -q "^pinmm: .*$word"; then
		fail "$name" "error does not name '$word': $(head -n 1 "$tmp/err")"
	elif ! tail -n 1 "$tmp/err" | grep -q "pinmm help"; then
		fail "$name" "no usage hint: $(tail -n 1 "$tmp/err")"
	else
		ok "$name"
	fi
}

usage_error unknown_command_is_usage_error "'bogus'" bogus
usage_error extra_argument_to_list_is_usage_error "list" list extra
usage_error run_without_scenario_is_usage_error "which scenario" run
usage_error unknown_scenario_is_usage_error "'no-such-scenario'" run no-such-scenario
usage_error unknown_policy_is_usage_error "'no-such-policy'" run seed-bug --policy no-such-policy
usage_error unknown_long_option_is_usage_error "'--bogus'" run seed-bug --bogus
usage_error unknown_short_option_is_usage_error "'-x'" run seed-bug -x
usage_error extra_scenario_argument_is_usage_error "'baseline'" run seed-bug baseline
usage_error seed_not_a_number_is_usage_error "'abc'" run seed-bug --seed abc
usage_error seed_negative_is_usage_error "'-1'" run seed-bug --seed -1
usage_error seed_trailing_garbage_is_usage_error "'12x'" run seed-bug --seed 12x
usage_error seed_overflow_is_usage_error "'99999999999999999999999'" run seed-bug --seed 99999999999999999999999
usage_error seed_empty_is_usage_error "--seed" run seed-bug --seed=
usage_error runs_zero_is_usage_error "'0'" run seed-bug --runs 0
usage_error runs_negative_is_usage_error "'-3'" run seed-bug --runs -3
usage_error runs_not_a_number_is_usage_error "'many'" run seed-bug --runs many
usage_error runs_too_large_is_usage_error "'4294967296'" run seed-bug --runs 4294967296
usage_error seed_missing_value_is_usage_error "--seed" run seed-bug --seed
usage_error runs_missing_value_is_usage_error "--runs" run seed-bug --runs
usage_error policy_missing_value_is_usage_error "--policy" run seed-bug --policy
usage_error hung_timeout_zero_is_usage_error "'0'" run seed-bug --hung-timeout 0
usage_error trace_into_missing_directory_is_usage_error "'$tmp/none'" run seed-bug --trace "$tmp/none/t.json"
usage_error explore_out_into_missing_directory_is_usage_error "'$tmp/none'" explore seed-bug --out "$tmp/none/s"
usage_error replay_out_into_missing_directory_is_usage_error "'$tmp/none'" replay x.sched --minimize --out "$tmp/none/s"
usage_error explore_random_without_end_is_usage_error "random" explore seed-bug --strategy random --schedules 0
usage_error explore_pct_without_end_is_usage_error "pct:2" explore seed-bug --schedules 0
usage_error run_option_of_explore_is_usage_error "'--keep-going'" run seed-bug --keep-going
usage_error explore_option_of_run_is_usage_error "'--json'" explore seed-bug --json
usage_error explore_no_reduction_is_for_dfs "no-reduction" explore seed-bug --strategy dpor --no-reduction
usage_error explore_summary_into_missing_directory_is_usage_error "'$tmp/none'" explore seed-bug --summary "$tmp/none/s.json"
usage_error merge_without_summaries_is_usage_error "which summaries" merge

# No arguments: the usage, exit 2.
"$pinmm" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^usage: pinmm run" "$tmp/err"; then
	ok no_arguments_prints_usage
else
	fail no_arguments_prints_usage "exit $rc"
fi

"$pinmm" help >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "^usage: pinmm run" "$tmp/out"; then
	ok help_prints_usage
else
	fail help_prints_usage "$(cat "$tmp/out")"
fi

"$pinmm" list >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "^seed-bug " "$tmp/out" && grep -q "^baseline " "$tmp/out"; then
	ok list_names_the_scenarios
else
	fail list_names_the_scenarios "$(cat "$tmp/out")"
fi

"$pinmm" policies >"$tmp/out" 2>&1
if [ $? -eq 0 ] && grep -q "^vanilla " "$tmp/out" && grep -q "^seed " "$tmp/out"; then
	ok policies_names_the_policies
else
	fail policies_names_the_policies "$(cat "$tmp/out")"
fi

# check_json FILE RUNS SCENARIO POLICY SEED: one object per line, the
# fields, consecutive seeds, every counter; prints the verdicts.
check_json() {
	python3 - "$@" <<'EOF'
import json, sys
path, runs, scenario, policy, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
lines = open(path).read().splitlines()
assert len(lines) == runs, "%d lines for %d runs" % (len(lines), runs)
for i, line in enumerate(lines):
    r = json.loads(line)
    assert isinstance(r, dict), line
    for k in ("scenario", "policy", "seed", "verdict", "bytes_lost", "fsync_lost", "oops", "counters", "end_state"):
        assert k in r, "no %s in %s" % (k, line)
    assert len(r["end_state"]) == 16 and int(r["end_state"], 16) != 0, line
    assert r["scenario"] == scenario and r["policy"] == policy, line
    assert r["seed"] == seed + i, line
    assert r["verdict"] in ("pass", "warn", "data-loss", "hang", "oops", "refused"), line
    c = r["counters"]
    for k in ("nr_foll_pin_acquired", "mkclean_pinned_skipped", "mkclean_pinned_waits",
              "unstable_writes", "buffers_dropped", "pgsteal_kswapd", "fsync_waited_unpin"):
        assert isinstance(c.get(k), int), "counter %s missing" % k
    if r["verdict"] == "oops":
        assert r["oops"].startswith("kernel BUG at fs/ext4/inode.c:"), line
    else:
        assert r["oops"] is None, line
    if r["verdict"] == "pass":
        assert r["bytes_lost"] == 0, line
    print(r["verdict"])
EOF
}

"$pinmm" run seed-bug --policy seed --seed 7 --runs 3 --hung-timeout 60000000 --json >"$tmp/out" 2>"$tmp/err"
rc=$?
if ! check_json "$tmp/out" 3 seed-bug seed 7 >"$tmp/verdicts" 2>"$tmp/py"; then
	fail json_seed_policy_runs "$(cat "$tmp/py")"
elif [ "$(sort -u "$tmp/verdicts")" != pass ]; then
	fail json_seed_policy_runs "verdicts: $(cat "$tmp/verdicts")"
elif [ "$rc" -ne 0 ]; then
	fail json_seed_policy_runs "all passed but exit status $rc"
else
	ok json_seed_policy_runs_pass_with_exit_0
fi

# Deterministic: whether a free-running run oopses depends on the host.
"$pinmm" run seed-bug --policy vanilla --seed 1 --runs 5 --sched det --strategy pct:2 --json >"$tmp/out" 2>"$tmp/err"
rc=$?
if ! check_json "$tmp/out" 5 seed-bug vanilla 1 >"$tmp/verdicts" 2>"$tmp/py"; then
	fail json_vanilla_runs "$(cat "$tmp/py")"
elif ! grep -qx oops "$tmp/verdicts"; then
	fail json_vanilla_runs "no oops in 5 runs: $(cat "$tmp/verdicts")"
elif [ "$rc" -eq 0 ]; then
	fail json_vanilla_runs "a run oopsed but exit status 0"
else
	ok json_vanilla_runs_oops_with_nonzero_exit
fi

# summary_of LABEL FILE: the lines of an explore or merge output that must
# agree between one process and its merged shards (not the times).
summary_of() {
	sed -n 's/.*: \([0-9]* schedules\) in .*/\1/p; /^verdicts:/p; /^end states:/p; /^search /p' "$1"
}

# The shards of a search, run through GNU parallel and merged, add up to
# what one process explores: schedules, verdicts, distinct end states.
scripts=$(cd "$(dirname "$0")/../../scripts" && pwd)
if ! command -v parallel >/dev/null; then
	fail shards_through_gnu_parallel_merge_exactly "GNU parallel is missing (scripts/install-deps.sh)"
else
	"$pinmm" explore idle --policy seed --strategy dfs:0 --schedules 0 >"$tmp/one" 2>&1
	abs=$(cd "$(dirname "$pinmm")" && pwd)/$(basename "$pinmm")
	(cd "$tmp" && PINMM=$abs "$scripts/explore-shards.sh" -N 3 2 idle \
		--policy seed --strategy dfs:0) >"$tmp/merged" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q "^3 shards merged" "$tmp/merged"; then
		fail shards_through_gnu_parallel_merge_exactly "exit $rc: $(cat "$tmp/merged")"
	elif [ "$(summary_of "$tmp/one")" != "$(summary_of "$tmp/merged")" ] ||
	     ! grep -q "search complete" "$tmp/merged"; then
		fail shards_through_gnu_parallel_merge_exactly "one process: $(summary_of "$tmp/one") / merged: $(summary_of "$tmp/merged")"
	else
		ok shards_through_gnu_parallel_merge_exactly
	fi
fi

# Merging refuses what is not the shards of one exploration, each once.
"$pinmm" explore idle --policy seed --strategy dfs:0 --schedules 5 --shard 0/2 --summary "$tmp/s0.json" >/dev/null 2>&1
"$pinmm" explore idle --policy vanilla --strategy dfs:0 --schedules 5 --shard 1/2 --summary "$tmp/v1.json" >/dev/null 2>&1
echo '{"not": "a summary"' >"$tmp/bad.json"
for c in "twice:$tmp/s0.json $tmp/s0.json" "missing:$tmp/s0.json" \
	 "another exploration:$tmp/s0.json $tmp/v1.json" "cannot read:$tmp/bad.json"; do
	word=${c%%:*}
	"$pinmm" merge ${c#*:} >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "^pinmm: merge: .*$word" "$tmp/err"; then
		ok "merge_refuses_${word% *}"
	else
		fail "merge_refuses_${word% *}" "exit $rc: $(cat "$tmp/err")"
	fi
done

usage_error compare_json_and_markdown_is_usage_error "choose one" compare --json --markdown
usage_error compare_zero_seeds_is_usage_error "'0'" compare --seeds 0
usage_error compare_unknown_scenario_is_usage_error "'no-such-scenario'" compare no-such-scenario
usage_error compare_plot_into_missing_directory_is_usage_error "--plot" compare --plot /no/such/dir/x.png

# compare: every design on the scenarios, one cell each, the counters the
# differential check reads; the verdicts of docs/catalog.md.
"$pinmm" compare seed-bug longterm-fsync --seeds 2 --json --plot "$tmp/c.png" >"$tmp/out" 2>"$tmp/err"
rc=$?
if ! python3 - "$tmp/out" >"$tmp/py" 2>&1 <<'EOF'
import json, sys
top = json.load(open(sys.argv[1]))
assert top["seeds"] == 2 and top["sched"] == "det", top
cells = {(c["scenario"], c["policy"]): c for c in top["cells"]}
want = {("seed-bug", "vanilla"): "oops", ("seed-bug", "seed"): "pass",
        ("seed-bug", "upstream"): "pass", ("seed-bug", "bounce"): "pass",
        ("longterm-fsync", "vanilla"): "pass", ("longterm-fsync", "seed"): "hang",
        ("longterm-fsync", "upstream"): "refused", ("longterm-fsync", "bounce"): "pass"}
assert set(cells) == set(want), sorted(cells)
for k, v in want.items():
    c = cells[k]
    assert c["verdict"] == v and c["runs"] == 2 and c["verdicts"] == {v: 2}, c
    for n in ("unstable_writes", "unstable_bytes", "mkclean_pinned_waits", "pin_false_positive",
              "bounce_copies", "bounce_bytes", "foll_longterm_refused"):
        assert isinstance(c["counters"][n], int), (k, n)
b = cells[("longterm-fsync", "bounce")]
assert b["counters"]["bounce_copies"] > 0 and b["counters"]["unstable_writes"] == 0, b
assert b["fsyncs"] == 2 and b["fsync_p99_us"] >= b["fsync_p50_us"] > 0, b
assert cells[("longterm-fsync", "seed")]["fsync_p50_us"] is None
assert cells[("longterm-fsync", "upstream")]["counters"]["foll_longterm_refused"] == 2
EOF
then
	fail compare_json "$(cat "$tmp/py")"
elif [ "$rc" -ne 0 ]; then
	fail compare_json "exit status $rc: $(cat "$tmp/err")"
elif [ "$(head -c 4 "$tmp/c.png" | od -An -c | tr -d ' ')" != "211PNG" ]; then
	fail compare_json "--plot wrote no PNG"
else
	ok compare_json_four_designs_and_plot
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
