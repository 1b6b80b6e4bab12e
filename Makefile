# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when missing.
# `make demo` installs what the demo and the workshop need; `make test` adds the dev tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := $(VENV)/.installed-demo
STAMP := $(VENV)/.installed-dev
COMPILE = @echo "Compiling the weekly mechanics (numba caches them under sim/; once per machine, about 40 s)"; \
	$(BIN)/python -c "import sim; sim.SalesOrgModel(n_sellers=30, weeks=1).step()"

.PHONY: demo test lint format bench calibrate workshop mutate mutate-sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(DEMO): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[workshop]"
	$(COMPILE)
	touch $(DEMO)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(COMPILE)
	touch $(STAMP) $(DEMO)

demo: $(DEMO)  ## fire or fix? the comparison, with a report under results/demo
	$(BIN)/salesorg compare baseline fire-low-performers fix-the-organization --replications 10 --out results/demo

test: $(STAMP)  ## lint and the whole test suite
	$(BIN)/ruff check sim tests benchmarks
	$(BIN)/ruff format --check sim tests benchmarks
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff format sim tests benchmarks
	$(BIN)/ruff check --fix sim tests benchmarks

bench: $(STAMP)  ## speed: seller-weeks per second vs Mesa's Boltzmann wealth model
	$(BIN)/python benchmarks/speed.py

calibrate: $(STAMP)  ## third-year figures of the shipped scenarios over seeds
	$(BIN)/python benchmarks/calibration.py

mutate: $(STAMP)  ## mutation score of the mechanics and experiments (mutmut; about an hour on 2 cores)
	$(BIN)/python tests/mutate.py

mutate-sample: $(STAMP)  ## the mechanics' score on the tenth of mutants whose number ends in 7 (CI)
	$(BIN)/python tests/mutate.py mechanics --ending 7

workshop: $(DEMO)  ## the live page for a room: http://127.0.0.1:8765
	$(BIN)/salesorg workshop

clean:  ## the venv, tool caches and numba's compiled kernels (sim/**/__pycache__/*.nbi, *.nbc)
	rm -rf $(VENV) .pytest_cache .ruff_cache build/mutation
	find sim -name '*.nbi' -delete -o -name '*.nbc' -delete
