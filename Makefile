# Two commands for a newcomer: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint format bench calibrate workshop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@echo "Compiling the weekly mechanics (numba caches them under sim/; once per machine, 15-30 s)"
	$(BIN)/python -c "import sim; sim.SalesOrgModel(n_sellers=30, weeks=1).step()"
	touch $(STAMP)

demo: $(STAMP)  ## fire or fix? the comparison, with a report under results/demo
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

workshop: $(STAMP)  ## the live page for a room: http://127.0.0.1:8765
	$(BIN)/salesorg workshop

clean:  ## the venv, tool caches and numba's compiled kernels (sim/**/__pycache__/*.nbi, *.nbc)
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find sim -name '*.nbi' -delete -o -name '*.nbc' -delete
