# SPDX-License-Identifier: GPL-2.0
#
# pinmm: the seed's pinned-page design twice, in a real kernel (linux/) and
# in an executable model (model/).
#
#   make          build the model and ./pinmm
#   make demo     the main job: seed-bug under vanilla, then under seed
#   make test     every test: the model (plain, ASan+UBSan, TSan), its
#                 scenario catalog against docs/catalog.md, the Spin model,
#                 the kernel rig (builds Linux 6.12 for UML, cached), and
#                 the model's verdicts held against the kernel's
#                 (docs/differential.md)
#   make bench    what each design costs, in the model and in the kernel,
#                 and how fast the model explores: ratios to floors
#                 measured in the same run; docs/bench.md (not a test)
#
# Both install the Debian packages they need when they are missing.

.PHONY: all deps demo test test-model test-linux test-spin test-differential bench clean

all: deps
	$(MAKE) -C model
	ln -sf model/build/pinmm pinmm

deps:
	@scripts/install-deps.sh

demo: all
	scripts/demo.sh

test: test-model test-spin test-linux test-differential

test-model: deps
	$(MAKE) -C model check
	python3 model/tests/check_catalog.py model/build/pinmm --runs 10
	python3 model/tests/check_dpor.py model/build/pinmm
	$(MAKE) -C model SAN=asan check
	$(MAKE) -C model SAN=tsan check

test-spin:
	spin/run.sh

bench: all
	scripts/bench.sh

test-linux:
	linux/test.sh

# After test-linux: it compares that run's kernel verdicts with the model's.
test-differential: all
	python3 scripts/test_differential.py
	python3 scripts/differential.py --pinmm model/build/pinmm \
		--kernel $${PINMM_OUT:-linux/out}/results.json

clean:
	$(MAKE) -C model clean
	rm -f pinmm
