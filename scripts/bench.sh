#!/bin/bash
# make bench: how fast the model runs, as ratios to a floor measured in the
# same run (the idle scenario: boot, map a page, stop), so that the numbers
# mean the same on a slower or busier machine.  Not a test: nothing here
# asserts a speed.
set -euo pipefail
cd "$(dirname "$0")/.."
pinmm=./model/build/pinmm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rate() {	# the "(N/s)" of an explore summary
	sed -n 's/.*(\([0-9]*\)\/s).*/\1/p' | head -1
}

det() {	# scenario policy strategy schedules (failures do not stop it)
	{ $pinmm explore "$1" --policy "$2" --strategy "$3" --schedules "$4" \
		--keep-going --out "$tmp/s" || true; } | rate
}

free_rate() {	# scenario policy runs
	local start end
	start=$(date +%s.%N)
	$pinmm run "$1" --policy "$2" --runs "$3" >/dev/null || true
	end=$(date +%s.%N)
	python3 -c "print(round($3 / ($end - $start)))"
}

floor_det=$(det idle vanilla random 3000)
floor_free=$(free_rate idle vanilla 300)
printf 'floor (idle): %s schedules/s deterministic, %s runs/s free-running\n\n' \
	"$floor_det" "$floor_free"
printf '%-16s %-8s %-8s %12s %8s\n' scenario policy mode per-second ratio
# dpor: the search's own cost (a step record, races after each run) on top.
for row in "seed-bug seed pct:3 5000" "seed-bug vanilla pct:2 2000" \
	   "baseline seed pct:3 300" "multi-pin seed pct:3 1000" \
	   "seed-bug-small seed dpor 3000"; do
	set -- $row
	r=$(det "$1" "$2" "$3" "$4")
	printf '%-16s %-8s %-8s %12s %8s\n' "$1" "$2" "det" "$r" \
		"$(python3 -c "print(f'{$r / $floor_det:.2f}')")"
done
for row in "seed-bug seed 200" "baseline seed 50"; do
	set -- $row
	r=$(free_rate "$1" "$2" "$3")
	printf '%-16s %-8s %-8s %12s %8s\n' "$1" "$2" "free" "$r" \
		"$(python3 -c "print(f'{$r / $floor_free:.2f}')")"
done

echo
scripts/bench-costs.sh	# what each design costs, the model and the kernel
