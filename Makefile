# re300 — everyday commands. Needs only GNU make and python3 >= 3.10; the first target run creates .venv.
#   make solve                      solve models/re300_2050.yaml
#   make solve SCENARIO=quick       solve models/quick.yaml
#   make memo SCENARIO=re300_2050   policy memo in Korean and English (outputs/re300_2050/memo/; SCENARIO=pathway too)
#   make compare SCENARIOS="re300_2050 no_hvdc re100_2034"   comparison memo (outputs/compare/)
#   make analyses                   the flagship, its companion cases and sweeps, then its memo (~17 min)
#   make test | test-fast | lint | bench | regress | clean | help

PYTHON   ?= python3
VENV      = .venv
SCENARIO ?= re300_2050
SWEEP    ?= smoke
SLACK    ?= 0.05
SCENARIOS ?= re300_2050 no_hvdc re100_2034
BIN       = $(VENV)/bin
STAMP     = $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install solve test bench clean sweep mga regress

help:  ## list the targets
	@echo "re300 make targets (SCENARIO=$(SCENARIO), PYTHON=$(PYTHON)):"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  \1\t/' | expand -t 12

# The virtual environment, (re)built whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "re300 needs Python >= 3.10, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)  ## create .venv and install re300 with test extras

solve: $(STAMP)  ## solve models/$(SCENARIO).yaml, outputs in outputs/<name>/
	$(BIN)/re300 solve models/$(SCENARIO).yaml

.PHONY: profiles
profiles: $(STAMP)  ## check the weather/capacity-factor profiles of models/$(SCENARIO).yaml against Korean statistics: outputs/profiles/
	$(BIN)/re300 profiles models/$(SCENARIO).yaml --report

test: lint  ## lint, import contract, then the whole test suite
	$(BIN)/python -m pytest -q

.PHONY: test-fast lint
test-fast: $(STAMP)  ## the edit loop: tests not marked slow (no end-to-end solves), under a minute
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)  ## ruff and the layering contract (import-linter, contract in pyproject.toml)
	$(BIN)/ruff check re300 tests scripts
	$(BIN)/lint-imports

sweep: $(STAMP)  ## run models/sweeps/$(SWEEP).yaml on Dask (RE300_DASK_SCHEDULER=addr for a cluster): outputs/sweeps/<name>/
	$(BIN)/re300 sweep models/sweeps/$(SWEEP).yaml

mga: $(STAMP)  ## near-optimal ranges within SLACK=$(SLACK) of least cost for models/$(SCENARIO).yaml: outputs/mga/<name>/
	$(BIN)/re300 mga models/$(SCENARIO).yaml --slack $(SLACK)

.PHONY: stress
YEARS ?= 20
stress: $(STAMP)  ## re-dispatch outputs/$(SCENARIO) (solved first if missing) on YEARS=$(YEARS) weather years + the measured year: outputs/$(SCENARIO)/stress/
	test -f outputs/$(SCENARIO)/results.nc || $(BIN)/re300 solve models/$(SCENARIO).yaml
	$(BIN)/re300 stress outputs/$(SCENARIO) --years $(YEARS)

.PHONY: memo compare analyses
# Everything the flagship memo reads beside its own run (issue 14-16): the companion cases, the three sweeps, then the
# memo. 16 min 44 s on 2 cores (measured 2026-12-06); each step is skipped when its outputs are up to date (sweeps resume).
COMPANIONS = re300_2050_private re300_2050_battery_atb government_plan re300_2050_electrified
analyses: $(STAMP)  ## the flagship with its companion cases, the deliverability/sensitivity/electrification sweeps, then its memo
	$(BIN)/re300 solve models/re300_2050.yaml
	for s in $(COMPANIONS); do $(BIN)/re300 solve models/$$s.yaml || exit 1; done
	for w in deliverability sensitivity electrification; do $(BIN)/re300 sweep models/sweeps/$$w.yaml || exit 1; done
	$(BIN)/re300 memo outputs/re300_2050
memo: $(STAMP)  ## policy memo (ko + en; a pathway too) from outputs/$(SCENARIO)/*.csv (solves first if missing): outputs/$(SCENARIO)/memo/
	test -f outputs/$(SCENARIO)/calendar.csv || $(BIN)/re300 solve models/$(SCENARIO).yaml
	$(BIN)/re300 memo outputs/$(SCENARIO)

compare: $(STAMP)  ## comparison memo of SCENARIOS="$(SCENARIOS)" (solves missing ones first): outputs/compare/
	for s in $(SCENARIOS); do test -f outputs/$$s/summary.csv || $(BIN)/re300 solve models/$$s.yaml || exit 1; done
	$(BIN)/re300 compare $(addprefix outputs/,$(SCENARIOS)) --output-dir outputs/compare

bench: $(STAMP)  ## time each phase and peak memory (quick, flagship, full year): outputs/bench/
	$(BIN)/python -m re300.bench

regress: $(STAMP)  ## re-solve quick, the flagship and the pathway with a base revision and now; CSVs must be byte-identical
	$(BIN)/python scripts/regress.py

clean:  ## delete run outputs (keeps outputs/.gitkeep and outputs/.cache)
	test ! -d outputs || find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name .cache -exec rm -rf {} +
