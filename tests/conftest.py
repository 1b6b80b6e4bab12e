import subprocess
import sys

import numpy as np
import pytest

import sim


@pytest.fixture(scope="session")
def baseline_levers() -> sim.Levers:
    return sim.load_scenario("baseline").levers


def final_year_mean(model: sim.SalesOrgModel, column: str, weeks: int = 52) -> float:
    df = model.datacollector.get_model_vars_dataframe()
    return float(df[column].iloc[-weeks:].mean())


def run(scenario="baseline", seed=1, **levers) -> sim.SalesOrgModel:
    model = sim.SalesOrgModel(scenario, seed=seed, **levers)
    model.run_model()
    return model


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


def salesorg(*args, cwd=None) -> subprocess.CompletedProcess:
    """Run the `salesorg` command in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture
def cli(capsys):
    """Run `salesorg` in this process (no interpreter start-up): its code, stdout, stderr."""
    from types import SimpleNamespace

    from sim.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run
